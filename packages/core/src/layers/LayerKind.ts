import type * as tf from '@tensorflow/tfjs-core';
import type { InitScheme, WeightLayerKind } from '../init';
import type { SelectionStrategy } from '../selection';
import type { AvgPool2dSpec } from './kinds/avgPool2d';
import type { BatchNormSpec } from './kinds/batchNorm';
import type { Conv2dSpec, SlotConv2dSpec } from './kinds/conv2d';
import type { DenseSpec, SlotDenseSpec } from './kinds/dense';
import type { DropoutSpec } from './kinds/dropout';
import type { FlattenSpec } from './kinds/flatten';
import type { MaxPool2dSpec } from './kinds/maxPool2d';
import type { ReluSpec } from './kinds/relu';
import type { Layer } from './Layer';

/** What every layer spec has: its kind's type id and an optional unique name. */
export interface BaseLayerSpec<Type extends string = string> {
  readonly type: Type;
  /** @default `${type}_${index}` (weight layers count among weight layers, the others by position) */
  readonly name?: string;
}

/**
 * The spec of each known layer kind by type id. A package that registers its own kind adds its spec
 * by declaration merging, so its type id autocompletes and type-checks in `layers: [...]`:
 * `declare module '@slot-machines/core' { interface LayerSpecByType { gelu: { type: 'gelu'; name?: string } } }`.
 */
export interface LayerSpecByType {
  slotDense: SlotDenseSpec;
  slotConv2d: SlotConv2dSpec;
  dense: DenseSpec;
  conv2d: Conv2dSpec;
  relu: ReluSpec;
  flatten: FlattenSpec;
  maxPool2d: MaxPool2dSpec;
  avgPool2d: AvgPool2dSpec;
  dropout: DropoutSpec;
  batchNorm: BatchNormSpec;
}

export type LayerType = Extract<keyof LayerSpecByType, string>;
/** A layer of a sequential network, as JSON: one of the registered kinds' specs. */
export type LayerSpec = LayerSpecByType[LayerType];

/** What a kind is told when it plans a layer: no tensors exist yet. */
export interface PlanContext {
  /** The spec's place in the config for error messages, e.g. `layers[3]`. */
  readonly field: string;
  /** The layer's resolved name. */
  readonly name: string;
  /** The layer's input shape without the batch dimension. */
  readonly inputShape: readonly number[];
}

/** Where a weight layer's weight comes from. */
export type WeightSource = 'slot' | 'learned';

/** A kind's plan of one layer: its output shape and, for weight layers, the weight's shape. */
export interface KindPlan {
  readonly outputShape: readonly number[];
  /** Weight layers only: the shape S of the ordinary weight (slot layers hold `[...S, K]` options and scores). */
  readonly weightShape?: readonly number[];
}

/** What a kind is told when it creates a layer. */
export interface BuildContext {
  readonly name: string;
  /** Position in `layers`. */
  readonly position: number;
  /** Weight layers: index among the network's weight layers (seeds derive from it). */
  readonly weightIndex: number;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Weight layers: the weight shape S from `plan`. */
  readonly weightShape: readonly number[];
  readonly seed: number;
  readonly k: number;
  readonly init: InitScheme;
  readonly zeroOption: boolean;
  /** Slot layers: the network's selection strategy. */
  readonly strategy?: SelectionStrategy;
  /** Slot layers: the options drawn by the network's weight-sharing policy, `[...S, K]` or `[K]`; the layer takes ownership. */
  readonly options?: tf.Tensor;
  /** Initial values of the layer's variables by short name (e.g. `weight`, `movingMean`); copied, not disposed. */
  readonly initial: Readonly<Record<string, tf.Tensor>>;
  /** Whether ordinary (learned-source) weights are trainable. */
  readonly trainableWeights: boolean;
}

/** One layer of a Keras `Sequential` topology and its weights, in tfjs-layers' order. */
export interface KerasLayer {
  readonly className: string;
  readonly config: Record<string, unknown>;
  /** The layer's weights in the order tfjs-layers holds them; the caller disposes the tensors. */
  readonly weights: ReadonlyArray<{ readonly name: string; readonly tensor: tf.Tensor }>;
}

/** Parameter counts of a planned layer, from its plan alone (no tensors). */
export interface LayerCounts {
  /** Entries of the ordinary weight (S), slot or not. */
  readonly weights: number;
  /** Fixed random options (S x K per connection; 0 for other layers). */
  readonly options: number;
  /** Trained scores (S x K for slot layers). */
  readonly scores: number;
  /** Float32 values a training run keeps for the layer: options, trained tensors, one momentum per trained value, non-trainable state. */
  readonly stateFloats: number;
}

/**
 * A layer kind: one registered plain object per `type` (the way tfjs registers a kernel config).
 * `Network`, planning, export and summaries loop over the registry; none of them knows a type id.
 */
export interface LayerKind<Spec extends BaseLayerSpec = BaseLayerSpec> {
  readonly type: Spec['type'];
  /** Weight layers: the op and where the weight comes from. Slot kinds are what `extract()` turns into their learned twin. */
  readonly weight?: { readonly op: WeightLayerKind; readonly source: WeightSource; readonly plainType?: string };
  /** Validates the spec's fields and computes shapes before any tensor exists. Throws `SlotConfigError` naming the field. */
  plan(spec: Spec, ctx: PlanContext): KindPlan;
  /** Creates the layer; it owns its tensors. */
  create(spec: Spec, ctx: BuildContext): Layer;
  /** The layer in a tfjs LayersModel (Keras) topology, with its weights. Omit for kinds that cannot be exported. */
  toKeras?(layer: Layer, spec: Spec): KerasLayer;
  /** Parameter counts for `summarizeNetwork`, from the plan (no tensors). @default no parameters */
  counts?(spec: Spec, plan: KindPlan, network: { readonly k: number }): LayerCounts;
}

/** Counts of a layer without parameters. */
export const NO_PARAMETERS: LayerCounts = { weights: 0, options: 0, scores: 0, stateFloats: 0 };

/** The common Keras config fields of every exported layer. */
export function kerasCommon(name: string): Record<string, unknown> {
  return { name, trainable: true, dtype: 'float32' };
}
