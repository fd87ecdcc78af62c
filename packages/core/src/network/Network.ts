import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import { INIT_SCHEMES, fans, initBounds } from '../init';
import { Conv2D } from '../layers/Conv2D';
import { Dense } from '../layers/Dense';
import type { ApplyContext, Layer } from '../layers/Layer';
import { SlotConv2D } from '../layers/SlotConv2D';
import { SlotDense } from '../layers/SlotDense';
import { checkInputShape, SlotLayer } from '../layers/SlotLayer';
import { Dropout, Flatten, MaxPool2D, Relu } from '../layers/statelessLayers';
import type { SelectionStrategy } from '../selection';
import { requireInteger, requireOneOf, requireSeed } from '../validate';
import { noSharing, type OptionRequest, type WeightSharingPolicy } from '../weightSharing';
import { isSlotSpec, type LayerSpec } from './LayerSpec';
import type { NetworkOptions, ResolvedNetworkConfig } from './NetworkConfig';
import { planLayers, type LayerPlan } from './planLayers';

export interface ForwardOptions {
  /** Training mode: the strategy samples and dropout drops. @default false */
  readonly training?: boolean;
  /**
   * Step whose seeds this pass uses. @default the network's own counter, which a training pass
   * then advances by one (so a resumed run that restores `step` repeats the same draws).
   */
  readonly step?: number;
}

/** How many connections of the argmax network select the zero option. */
export interface Sparsity {
  readonly zero: number;
  readonly total: number;
  readonly fraction: number;
}

/**
 * A sequential network of slot layers (and ordinary layers). Owns every tensor it makes;
 * call `dispose()` when done.
 */
export class Network {
  readonly config: ResolvedNetworkConfig;
  readonly layers: readonly Layer[];
  readonly strategy: SelectionStrategy | undefined;
  readonly sharing: WeightSharingPolicy;
  /** Training steps taken; seeds of sampling and dropout derive from it. */
  step = 0;

  constructor(options: NetworkOptions) {
    this.config = resolveConfig(options);
    const plans = planLayers(this.config.inputShape, this.config.layers);
    this.sharing = options.sharing ?? noSharing;
    this.strategy = options.strategy;
    const slotPlans = plans.filter((p) => isSlotSpec(p.spec));
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
    const drawn = this.drawOptions(slotPlans);
    const layers: Layer[] = [];
    try {
      for (const plan of plans) layers.push(this.buildLayer(plan, drawn, options));
    } catch (error) {
      for (const layer of layers) layer.dispose();
      for (const t of drawn.values()) if (!t.isDisposed) t.dispose();
      throw error;
    }
    this.layers = layers;
  }

  /** The slot layers, in order. */
  get slotLayers(): SlotLayer[] {
    return this.layers.filter((l): l is SlotLayer => l instanceof SlotLayer);
  }

  /** Every tensor an optimizer may change: the scores (and weights of ordinary layers). */
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
   * result): the caller owns the returned tensor; `x` is not disposed.
   */
  apply(x: tf.Tensor, options: ForwardOptions = {}): tf.Tensor {
    checkInputShape(x, this.config.inputShape, 'the network');
    const training = options.training ?? false;
    const step = options.step ?? this.step;
    if (training && options.step === undefined) this.step += 1;
    const ctx: ApplyContext = { training, step };
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.apply(h, ctx), x));
  }

  /** int32 argmax choices `[...S]` of every slot layer, by layer name. The caller owns the tensors. */
  selections(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.slotLayers.map((l) => [l.name, l.selectedIndices()]));
  }

  /** The scores of every slot layer by name (the network's own variables: do not dispose). */
  scores(): Record<string, tf.Variable> {
    return Object.fromEntries(this.slotLayers.map((l) => [l.name, l.scores]));
  }

  /**
   * Every variable of the network by a stable name, `${layer}/scores` or `${layer}/weight`, in layer
   * order: what a checkpoint stores. The network's own variables: do not dispose.
   */
  namedVariables(): Record<string, tf.Variable> {
    return Object.fromEntries(
      this.layers.flatMap((layer) => Object.entries(layer.variables()).map(([short, v]) => [`${layer.name}/${short}`, v] as const)),
    );
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
      layer.setScores(value);
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
      total += layer.scores.size / layer.k;
      if (!layer.zeroOption) continue;
      const count = tf.tidy(() => tf.sum(tf.cast(tf.equal(layer.selectedIndices(), layer.k - 1), 'int32')));
      zero += count.dataSync()[0]!;
      count.dispose();
    }
    return { zero, total, fraction: total === 0 ? 0 : zero / total };
  }

  /**
   * The selected network as an ordinary network: every slot layer becomes a `dense`/`conv2d` layer
   * whose weight is the argmax choice. The result owns its tensors (dispose it); this network is
   * unchanged. Pass `trainable: true` to finetune it.
   */
  extract(options: { trainable?: boolean } = {}): Network {
    const weights = this.selectedWeights();
    try {
      return new Network({
        ...this.config,
        layers: this.config.layers.map((spec, i) => ({ ...plainSpec(spec), name: this.layers[i]!.name })),
        initialWeights: weights,
        trainableWeights: options.trainable ?? false,
      });
    } finally {
      for (const w of Object.values(weights)) w.dispose();
    }
  }

  dispose(): void {
    for (const layer of this.layers) layer.dispose();
  }

  private drawOptions(slotPlans: readonly LayerPlan[]): Map<string, tf.Tensor> {
    const { k, seed, init } = this.config;
    const requests: OptionRequest[] = slotPlans.map((p) => {
      const { fanIn, fanOut } = fans(p.weight!.shape);
      return {
        layerIndex: p.weight!.index,
        shape: [...p.weight!.shape, k],
        bound: initBounds(init, p.weight!.kind, fanIn, fanOut).weightBound,
      };
    });
    if (requests.length === 0) return new Map();
    const tensors = this.sharing.createOptions(requests, { k, seed });
    if (!Array.isArray(tensors) || tensors.length !== requests.length) {
      throw new SlotConfigError(`sharing '${this.sharing.id}'.createOptions`, `${requests.length} tensors, one per slot layer`, tensors?.length);
    }
    return new Map(slotPlans.map((p, i) => [p.name, tensors[i]!]));
  }

  private buildLayer(plan: LayerPlan, drawn: Map<string, tf.Tensor>, options: NetworkOptions): Layer {
    const { spec, name, inputShape } = plan;
    const { k, seed, init, zeroOption } = this.config;
    const layerIndex = plan.weight?.index ?? 0;
    switch (spec.type) {
      case 'slotDense':
      case 'slotConv2d': {
        const common = { k, seed, init, zeroOption, layerIndex, name, inputShape, strategy: this.strategy!, options: drawn.get(name)! };
        return spec.type === 'slotDense'
          ? new SlotDense({ ...common, units: spec.units })
          : new SlotConv2D({ ...common, filters: spec.filters, kernelSize: spec.kernelSize ?? 3, padding: spec.padding ?? 'same' });
      }
      case 'dense':
      case 'conv2d': {
        const initialWeight = options.initialWeights?.[name];
        const common = {
          seed,
          init,
          layerIndex,
          name,
          inputShape,
          trainable: options.trainableWeights ?? true,
          ...(initialWeight ? { initialWeight } : {}),
        };
        return spec.type === 'dense'
          ? new Dense({ ...common, units: spec.units })
          : new Conv2D({ ...common, filters: spec.filters, kernelSize: spec.kernelSize ?? 3, padding: spec.padding ?? 'same' });
      }
      case 'relu':
        return new Relu(name, inputShape);
      case 'flatten':
        return new Flatten(name, inputShape);
      case 'maxPool2d':
        return new MaxPool2D(name, inputShape, spec.poolSize ?? 2);
      case 'dropout':
        return new Dropout(name, inputShape, spec.rate, seed, plan.position);
    }
  }
}

/** Builds a network; see `Network`. */
export function createNetwork(options: NetworkOptions): Network {
  return new Network(options);
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

/** A slot layer's spec as the ordinary layer the argmax network runs as. */
function plainSpec(spec: LayerSpec): LayerSpec {
  if (spec.type === 'slotDense') return { ...spec, type: 'dense' };
  if (spec.type === 'slotConv2d') return { ...spec, type: 'conv2d' };
  return spec;
}
