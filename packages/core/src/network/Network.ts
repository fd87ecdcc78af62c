import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import { requireGradients } from '../requireGradients';
import { INIT_SCHEMES } from '../init';
import type { ApplyContext, Layer } from '../layers/Layer';
import { createLayerRegistry } from '../layers/kinds';
import type { LayerRegistry } from '../layers/LayerRegistry';
import { isSlotLayer, WeightLayer, type SlotLayer } from '../layers/WeightLayer';
import type { SelectionStrategy } from '../selection';
import { requireInteger, requireOneOf, requireSeed } from '../validate';
import { noSharing, type WeightSharingPolicy } from '../weightSharing';
import { drawNetworkOptions } from './drawOptions';
import type { NetworkOptions, ResolvedNetworkConfig } from './NetworkConfig';
import { planLayers, selectedLayerSpecs, summarizePlans, type LayerPlan, type LayerSummary } from './planLayers';

export interface ForwardOptions {
  /** Training mode: the strategy samples, dropout drops, batch norm uses and updates batch statistics. @default false */
  readonly training?: boolean;
  /**
   * The training step whose seeds this pass uses (sampling, dropout): required when `training`,
   * so that a resumed run repeats the same draws. The network keeps no counter; the trainer's
   * training state does. @default 0 when not training
   */
  readonly step?: number;
  /** Weights to use instead of these layers' own, by layer name (see `ApplyContext.weights`). Not disposed. */
  readonly weights?: Readonly<Record<string, tf.Tensor>>;
  /**
   * When not training: `'selected'` uses the selected (argmax) network, `'sampled'` a network the
   * strategy samples with `step`'s seeds (see `ApplyContext.selection`). @default the strategy's `evalSelection`
   */
  readonly selection?: 'selected' | 'sampled';
}

/** How many connections of the argmax network select the zero option. */
export interface Sparsity {
  readonly zero: number;
  readonly total: number;
  readonly fraction: number;
}

/**
 * A sequential network of layers whose kinds come from a `LayerRegistry` (core's kinds by
 * default). Owns every tensor it makes; call `dispose()` when done.
 */
export class Network {
  readonly config: ResolvedNetworkConfig;
  readonly layers: readonly Layer[];
  readonly strategy: SelectionStrategy | undefined;
  readonly sharing: WeightSharingPolicy;
  /** The layer kinds this network was built from (extraction builds with the same). */
  readonly layerKinds: LayerRegistry;
  /** Each layer's kind, spec, name and shapes, in order (parallel to `layers`). */
  readonly plans: readonly LayerPlan[];

  constructor(options: NetworkOptions) {
    this.config = resolveConfig(options);
    this.layerKinds = options.layerKinds ?? createLayerRegistry();
    const plans = planLayers(this.config.inputShape, this.config.layers, this.layerKinds);
    this.plans = plans;
    this.sharing = options.sharing ?? noSharing;
    this.strategy = options.strategy;
    const slotPlans = plans.filter((p) => p.kind.weight?.source === 'slot');
    if (slotPlans.length > 0 && (!options.strategy || typeof options.strategy.select !== 'function')) {
      throw new SlotConfigError(
        'strategy',
        'a SelectionStrategy (e.g. createGreedyStrategy()) because the network has slot layers',
        options.strategy,
      );
    }
    if (typeof this.sharing.createOptions !== 'function') {
      throw new SlotConfigError('sharing', 'a WeightSharingPolicy with a createOptions(requests, ctx) method', this.sharing);
    }
    const initial = initialValues(options);
    const drawn = drawNetworkOptions(plans, this.config, this.sharing);
    const layers: Layer[] = [];
    try {
      for (const plan of plans) {
        const { k, seed, init, zeroOption } = this.config;
        const prefix = `${plan.name}/`;
        const own = Object.fromEntries(Object.entries(initial).filter(([key]) => key.startsWith(prefix)).map(([key, t]) => [key.slice(prefix.length), t]));
        const options_ = drawn.get(plan.name);
        layers.push(
          plan.kind.create(plan.spec as never, {
            name: plan.name,
            position: plan.position,
            weightIndex: Math.max(plan.weightIndex, 0),
            inputShape: plan.inputShape,
            outputShape: plan.outputShape,
            weightShape: plan.weightShape ?? [],
            seed,
            k,
            init,
            zeroOption,
            ...(this.strategy ? { strategy: this.strategy } : {}),
            ...(options_ ? { options: options_ } : {}),
            initial: own,
            trainableWeights: options.trainableWeights ?? true,
          }),
        );
      }
    } catch (error) {
      for (const layer of layers) layer.dispose();
      for (const t of drawn.values()) if (!t.isDisposed) t.dispose();
      throw error;
    }
    this.layers = layers;
  }

  /** The slot layers, in order. */
  get slotLayers(): SlotLayer[] {
    return this.layers.filter(isSlotLayer);
  }

  /** Every weight layer (slot or ordinary), in order. */
  get weightLayers(): WeightLayer[] {
    return this.layers.filter((l): l is WeightLayer => l instanceof WeightLayer);
  }

  /** Every tensor an optimizer may change, in layer order: the scores (and weights of ordinary layers). */
  get trainableVariables(): tf.Variable[] {
    return this.layers.flatMap((l) => [...l.trainableVariables]);
  }

  get inputShape(): readonly number[] {
    return this.config.inputShape;
  }

  get outputShape(): readonly number[] {
    return this.layers[this.layers.length - 1]!.outputShape;
  }

  /**
   * Forward pass of a batch `[batch, ...inputShape]`. Call inside `tf.tidy` (or dispose the
   * result): the caller owns the returned tensor; `x` is not disposed. A training pass updates
   * non-trainable layer state (batch norm's running statistics). The first training pass throws
   * `MissingGradientsError` if tfjs-core's gradients are not registered (plain Node without a runtime).
   */
  apply(x: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    checkNetworkInput(x, this.config.inputShape);
    const training = options.training ?? false;
    if (training && options.step === undefined) {
      throw new SlotConfigError('step', 'the training step (an integer >= 0) on a training pass: every random draw derives from it', undefined);
    }
    const step = requireInteger('step', options.step ?? 0, 0);
    if (training) requireGradients();
    if (options.selection !== undefined) requireOneOf('selection', options.selection, ['selected', 'sampled'] as const);
    const ctx: ApplyContext = {
      training,
      step,
      ...(options.weights ? { weights: options.weights } : {}),
      ...(options.selection ? { selection: options.selection } : {}),
    };
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.apply(h, ctx), x));
  }

  /** int32 argmax choices `[...S]` of every slot layer, by layer name. The caller owns the tensors. */
  selections(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.slotLayers.map((l) => [l.name, l.source.selectedIndices()]));
  }

  /** The scores of every slot layer by name (the network's own variables: do not dispose). */
  scores(): Record<string, tf.Variable> {
    return Object.fromEntries(this.slotLayers.map((l) => [l.name, l.source.scores]));
  }

  /**
   * Every variable of the network by a stable name, `${layer}/${short}` (`scores`, `weight`,
   * `movingMean`...), in layer order: trainable ones and non-trainable layer state alike, which is
   * what a checkpoint stores. The network's own variables: do not dispose.
   */
  namedVariables(): Record<string, tf.Variable> {
    return Object.fromEntries(
      this.layers.flatMap((layer) => Object.entries(layer.variables()).map(([short, v]) => [`${layer.name}/${short}`, v] as const)),
    );
  }

  /** The trainable variables by their `namedVariables()` names, in the order of `trainableVariables`. */
  namedTrainableVariables(): Array<[string, tf.Variable]> {
    return Object.entries(this.namedVariables()).filter(([, v]) => v.trainable);
  }

  /** Assigns variables by the names of `namedVariables()` (values copied). Unknown names and shapes throw. */
  loadVariables(values: Readonly<Record<string, tf.Tensor>>): void {
    const own = this.namedVariables();
    for (const [name, value] of Object.entries(values)) {
      const target = own[name];
      if (!target) throw new SlotConfigError('variables', `names of this network's variables (${Object.keys(own).join(', ')})`, name);
      if (value.rank !== target.rank || !value.shape.every((d, i) => d === target.shape[i])) {
        throw new SlotConfigError(name, `a tensor of shape [${target.shape.join(', ')}]`, value.shape);
      }
      target.assign(value.dtype === target.dtype ? value : tf.cast(value, target.dtype));
    }
  }

  /** Replaces the scores of the named slot layers (values copied). Unknown names throw. */
  setScores(scores: Readonly<Record<string, tf.Tensor>>): void {
    const byName = new Map(this.slotLayers.map((l) => [l.name, l]));
    for (const [name, value] of Object.entries(scores)) {
      const layer = byName.get(name);
      if (!layer) throw new SlotConfigError('scores', `names of slot layers (${[...byName.keys()].join(', ')})`, name);
      layer.source.setScores(value);
    }
  }

  /** The argmax network's weights `[...S]` of every slot layer, by name. The caller owns the tensors. */
  selectedWeights(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.slotLayers.map((l) => [l.name, l.selectedWeight()]));
  }

  /** Share of connections whose argmax choice is the zero option (0 of 0 without `zeroOption`). */
  sparsity(): Sparsity {
    let zero = 0;
    let total = 0;
    for (const layer of this.slotLayers) {
      const { source } = layer;
      total += source.scores.size / source.k;
      if (!source.zeroOption) continue;
      const count = tf.tidy(() => tf.sum(tf.cast(tf.equal(source.selectedIndices(), source.k - 1), 'int32')));
      zero += count.dataSync()[0]!;
      count.dispose();
    }
    return { zero, total, fraction: total === 0 ? 0 : zero / total };
  }

  /** Per-layer kind, output shape, weights, options, scores and training-state floats (see `summarizeNetwork`). */
  summary(): LayerSummary[] {
    return summarizePlans(this.plans, this.config.k);
  }

  /**
   * The selected network as an ordinary network: every slot layer becomes its kind's learned twin
   * (`slotDense` -> `dense`) whose weight is the argmax choice; every other variable (learned
   * weights, batch-norm statistics) is copied. The result owns its tensors (dispose it); this
   * network is unchanged. Pass `trainable: true` to finetune it.
   */
  extract(options: { trainable?: boolean } = {}): Network {
    const initial: Record<string, tf.Tensor> = {};
    const made: tf.Tensor[] = [];
    for (const layer of this.layers) {
      if (isSlotLayer(layer)) {
        const w = layer.selectedWeight();
        made.push(w);
        initial[`${layer.name}/weight`] = w;
      } else {
        for (const [short, v] of Object.entries(layer.variables())) initial[`${layer.name}/${short}`] = v;
      }
    }
    try {
      return new Network({
        ...this.config,
        layers: selectedLayerSpecs(this.plans),
        layerKinds: this.layerKinds,
        initialVariables: initial,
        trainableWeights: options.trainable ?? false,
      });
    } finally {
      tf.dispose(made);
    }
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }
}

/** Builds a network; see `Network`. */
export function createNetwork(options: NetworkOptions): Network {
  return new Network(options);
}

/**
 * The per-layer summary of a network config without building it (no tensor is made, so VGG-19
 * with K=64 costs nothing): kind, output shape, weights, options, scores and the float32 values a
 * training run keeps (options, scores or weights, one momentum per trained value, layer state).
 */
export function summarizeNetwork(options: Pick<NetworkOptions, 'inputShape' | 'layers' | 'k' | 'layerKinds'>): LayerSummary[] {
  const k = requireInteger('k', options.k ?? 8, 1);
  return summarizePlans(planLayers(options.inputShape, options.layers, options.layerKinds ?? createLayerRegistry()), k);
}

function initialValues(options: NetworkOptions): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = { ...(options.initialVariables ?? {}) };
  for (const [name, weight] of Object.entries(options.initialWeights ?? {})) out[`${name}/weight`] = weight;
  return out;
}

function checkNetworkInput(x: tf.Tensor, expected: readonly number[]): void {
  const ok = x.rank === expected.length + 1 && expected.every((d, i) => x.shape[i + 1] === d);
  if (!ok) throw new SlotConfigError('input of the network', `shape [batch, ${expected.join(', ')}]`, x.shape);
}

function resolveConfig(options: NetworkOptions): ResolvedNetworkConfig {
  if (options == null || typeof options !== 'object') throw new SlotConfigError('options', 'a network options object', options);
  const zeroOption = options.zeroOption ?? false;
  if (typeof zeroOption !== 'boolean') throw new SlotConfigError('zeroOption', 'true or false', zeroOption);
  const k = requireInteger('k', options.k ?? 8, 1);
  if (zeroOption && k < 2) throw new SlotConfigError('k', 'an integer >= 2 when zeroOption is true (one of the K options is the zero)', k);
  return {
    inputShape: options.inputShape,
    layers: options.layers,
    seed: requireSeed('seed', options.seed),
    k,
    init: requireOneOf('init', options.init ?? 'paper', INIT_SCHEMES),
    zeroOption,
  };
}
