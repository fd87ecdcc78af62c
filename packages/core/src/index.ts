export { SlotConfigError, describe, formatInvalid } from './errors';
export { createValidator, requireInteger, requireNumber, requireNumberIn, requireOneOf, requireSeed, validate } from './validate';
export type { InvalidValueError, NumberBounds, Validator } from './validate';
export { deriveSeed } from './seeds';
export { fans, initBounds, seededUniform, INIT_SCHEMES } from './init';
export type { InitScheme, InitBounds, WeightLayerKind } from './init';
export { argmaxSelection } from './selection';
export type { SelectionContext, SelectionRecipe, SelectionStrategy } from './selection';
export { gatherOptions, straightThroughSelect } from './straightThrough';
export { noSharing } from './weightSharing';
export type { OptionRequest, SharingContext, WeightSharingPolicy } from './weightSharing';
export type { ApplyContext, Layer } from './layers/Layer';
export { SlotLayer, drawSlotOptions, withZeroOption } from './layers/SlotLayer';
export type { SlotLayerOptions } from './layers/SlotLayer';
export { SlotDense } from './layers/SlotDense';
export type { SlotDenseOptions } from './layers/SlotDense';
export { SlotConv2D } from './layers/SlotConv2D';
export type { SlotConv2DOptions } from './layers/SlotConv2D';
export { LearnedLayer } from './layers/LearnedLayer';
export type { LearnedLayerOptions } from './layers/LearnedLayer';
export { Dense } from './layers/Dense';
export type { DenseOptions } from './layers/Dense';
export { Conv2D } from './layers/Conv2D';
export type { Conv2DOptions } from './layers/Conv2D';
export { Dropout, Flatten, MaxPool2D, Relu } from './layers/statelessLayers';
export type { Padding } from './layers/shapes';
export { LAYER_TYPES, isSlotSpec, isWeightSpec } from './network/LayerSpec';
export type { LayerSpec, LayerType } from './network/LayerSpec';
export type { NetworkConfig, NetworkOptions, ResolvedNetworkConfig } from './network/NetworkConfig';
export { Network, createNetwork } from './network/Network';
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
