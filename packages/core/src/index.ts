export { SlotConfigError, describe, formatInvalid } from './errors';
export { createValidator, requireInteger, requireNumber, requireNumberIn, requireOneOf, requireSeed, validate } from './validate';
export type { InvalidValueError, NumberBounds, Validator } from './validate';
export { deriveSeed } from './seeds';
export { MissingGradientsError, requireGradients } from './requireGradients';
export { fans, initBounds, seededUniform, INIT_SCHEMES } from './init';
export type { InitScheme, InitBounds, WeightLayerKind } from './init';
export { argmaxSelection } from './selection';
export type { FusedSelection, ScoreRequest, SelectionContext, SelectionRecipe, SelectionStrategy } from './selection';
export { gatherOptions, straightThroughSelect } from './straightThrough';
export { noSharing } from './weightSharing';
export type { OptionRequest, SharingContext, WeightSharingPolicy } from './weightSharing';
export type { ApplyContext, Layer } from './layers/Layer';
export type {
  BaseLayerSpec,
  BuildContext,
  KerasLayer,
  KindPlan,
  LayerCounts,
  LayerKind,
  LayerSpec,
  LayerSpecByType,
  LayerType,
  PlanContext,
  WeightSource,
} from './layers/LayerKind';
export { NO_PARAMETERS, kerasCommon } from './layers/LayerKind';
export { createEmptyLayerRegistry } from './layers/LayerRegistry';
export type { LayerRegistry } from './layers/LayerRegistry';
export { CORE_LAYER_KINDS, createLayerRegistry } from './layers/kinds';
export { slotDenseKind, denseKind } from './layers/kinds/dense';
export type { DenseSpec, SlotDenseSpec } from './layers/kinds/dense';
export { slotConv2dKind, conv2dKind } from './layers/kinds/conv2d';
export type { Conv2dSpec, SlotConv2dSpec } from './layers/kinds/conv2d';
export { reluKind } from './layers/kinds/relu';
export type { ReluSpec } from './layers/kinds/relu';
export { flattenKind } from './layers/kinds/flatten';
export type { FlattenSpec } from './layers/kinds/flatten';
export { maxPool2dKind } from './layers/kinds/maxPool2d';
export type { MaxPool2dSpec } from './layers/kinds/maxPool2d';
export { avgPool2dKind } from './layers/kinds/avgPool2d';
export type { AvgPool2dSpec } from './layers/kinds/avgPool2d';
export { dropoutKind } from './layers/kinds/dropout';
export type { DropoutSpec } from './layers/kinds/dropout';
export { BatchNormLayer, batchNormKind } from './layers/kinds/batchNorm';
export type { BatchNormSpec } from './layers/kinds/batchNorm';
export { weightLayerKind } from './layers/kinds/weightLayerKind';
export { WeightLayer, checkInputShape, isSlotLayer } from './layers/WeightLayer';
export type { LearnedLayer, SlotLayer, WeightProvider } from './layers/WeightLayer';
export { SlotWeights, drawSlotOptions, withZeroOption } from './layers/SlotWeights';
export type { SlotWeightsOptions } from './layers/SlotWeights';
export { LearnedWeight } from './layers/LearnedWeight';
export type { LearnedWeightOptions } from './layers/LearnedWeight';
export { StatelessLayer } from './layers/StatelessLayer';
export { conv2dOp, denseOp } from './layers/weightOps';
export type { Conv2dSpecFields, DenseSpecFields, WeightOp } from './layers/weightOps';
export type { Padding } from './layers/shapes';
export type { NetworkConfig, NetworkOptions, ResolvedNetworkConfig } from './network/NetworkConfig';
export { Network, createNetwork, summarizeNetwork } from './network/Network';
export type { LayerPlan, LayerSummary } from './network/planLayers';
export type { ForwardOptions, Sparsity } from './network/Network';
export { createRegistry } from './registry';
export type {
  KnownSharingId,
  KnownStrategyId,
  PluginRegistry,
  SharingConfig,
  SharingFactory,
  SharingId,
  SharingOptionsById,
  StrategyConfig,
  StrategyFactory,
  StrategyId,
  StrategyOptionsById,
} from './registry';
export { layersModelJson, toLayersModelArtifacts } from './export/toLayersModel';
export {
  COMPACT_MODEL_EXTENSION,
  COMPACT_MODEL_MAGIC,
  COMPACT_MODEL_VERSION,
  COMPACT_MODEL_VERSIONS,
  compactModelSize,
  encodeCompactModel,
  loadCompactModel,
  readCompactModel,
} from './export/compactModel';
export type { CompactModelFile, CompactModelHeader, CompactSection, EncodeCompactModelOptions, LoadCompactModelOptions, LoadedCompactModel } from './export/compactModel';
export { CompactModelChecksumError, CompactModelCorruptedError, CompactModelError, CompactModelTruncatedError, CompactModelVersionError } from './export/compactModelErrors';
export { bitsPerIndex } from './export/bitPacking';
export { crc32, crc32Hex } from './crc32';
export { FUSED_RULE_CODES, SLOT_UPDATE_KERNEL, SLOT_UPDATE_IN_PLACE_KERNEL, registerSlotKernels, slotUpdate, slotUpdateCpuKernel, slotUpdateInPlace, slotUpdateInPlaceCpuKernel, slotUpdateInPlaceWasmKernel, slotUpdateLoop, slotUpdateReference, slotUpdateWasmKernel } from './fused/slotUpdate';
export type { FusedRule, SlotChoice, SlotUpdateAttrs, SlotUpdateInputs, SlotUpdateOutputs } from './fused/slotUpdate';
