import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import { INIT_SCHEMES, fans, initBounds, seededUniform, type InitScheme, type WeightLayerKind } from '../init';
import { deriveSeed } from '../seeds';
import { argmaxSelection, type SelectionStrategy } from '../selection';
import { gatherOptions, straightThroughSelect } from '../straightThrough';
import { requireInteger, requireOneOf, requireSeed } from '../validate';
import type { ApplyContext } from './Layer';
import type { WeightProvider } from './WeightLayer';

/** What a slot weight source is made from. */
export interface SlotWeightsOptions {
  /** The layer's name, for messages. */
  readonly name: string;
  /** Dense or conv2d: decides the score initialisation (spec section 2). */
  readonly op: WeightLayerKind;
  /** Shape S of the ordinary weight. */
  readonly weightShape: readonly number[];
  /** Number of fixed random options per connection (including the zero option, if any). */
  readonly k: number;
  /** The selection plugin (rho). */
  readonly strategy: SelectionStrategy;
  /** Base seed of the network. Options, scores and every draw derive from `(seed, layerIndex)`. */
  readonly seed: number;
  /** Position among the network's weight layers. */
  readonly layerIndex: number;
  /** @default 'paper' */
  readonly init?: InitScheme;
  /** Make the last of the K options exactly 0 (sparse slot machine). @default false */
  readonly zeroOption?: boolean;
  /**
   * Options drawn by a weight-sharing policy: `[...S, K]` or `[K]`. Taken over (disposed by this source).
   * @default per-connection options U(-bound, bound) drawn from `(seed, layerIndex)`
   */
  readonly options?: tf.Tensor;
}

/**
 * The weight source of a slot layer: the weight of shape S is chosen, per connection, among K
 * fixed random options (`options`, never trained) by K learned scores (`scores`, the only
 * trainable tensor). Owns both.
 */
export class SlotWeights implements WeightProvider {
  readonly source = 'slot' as const;
  readonly name: string;
  readonly k: number;
  readonly layerIndex: number;
  readonly seed: number;
  readonly init: InitScheme;
  readonly zeroOption: boolean;
  readonly strategy: SelectionStrategy;
  /** Shape S of the ordinary weight. */
  readonly weightShape: readonly number[];
  /** The fixed options, `[...S, K]` or `[K]` when shared. Never updated; owned by the source. */
  readonly options: tf.Tensor;
  /** The scores `[...S, K]`: the only trainable tensor. Owned by the source. */
  readonly scores: tf.Variable;
  /** U(-weightBound, weightBound) is where per-connection options are drawn from. */
  readonly weightBound: number;

  constructor(options: SlotWeightsOptions) {
    this.name = options.name;
    this.k = requireInteger('k', options.k, 1);
    this.layerIndex = requireInteger('layerIndex', options.layerIndex, 0);
    this.seed = requireSeed('seed', options.seed);
    this.init = requireOneOf('init', options.init ?? 'paper', INIT_SCHEMES);
    this.zeroOption = options.zeroOption ?? false;
    if (this.zeroOption && this.k < 2) {
      throw new SlotConfigError('k', 'an integer >= 2 when zeroOption is true (one of the K options is the zero)', this.k);
    }
    if (!options.strategy || typeof options.strategy.select !== 'function') {
      throw new SlotConfigError('strategy', 'a SelectionStrategy object with a select(scores, ctx) method', options.strategy);
    }
    this.strategy = options.strategy;
    checkRequirements(this.strategy, this.k, this.zeroOption);
    this.weightShape = options.weightShape;

    const { fanIn, fanOut } = fans(this.weightShape);
    const bounds = initBounds(this.init, options.op, fanIn, fanOut);
    this.weightBound = bounds.weightBound;
    const scoreShape = [...this.weightShape, this.k];

    const drawn = options.options ?? drawSlotOptions(scoreShape, bounds.weightBound, this.seed, this.layerIndex);
    checkOptionsShape(drawn, scoreShape, this.name);
    this.options = tf.keep(this.zeroOption ? withZeroOption(drawn) : drawn);
    if (this.options !== drawn) drawn.dispose();

    const scoreSeed = deriveSeed(this.seed, 'scores', this.layerIndex);
    const initialScores = this.strategy.initialScores
      ? this.strategy.initialScores({ shape: scoreShape, op: options.op, fanIn, fanOut, seed: scoreSeed, layerIndex: this.layerIndex })
      : seededUniform(scoreShape, 0, bounds.scoreBound, scoreSeed);
    try {
      checkOptionsShape(initialScores, scoreShape, `strategy '${this.strategy.id}'.initialScores for ${this.name}`, false);
    } catch (error) {
      tf.dispose([initialScores, this.options]);
      throw error;
    }
    this.scores = tf.variable(initialScores, true);
    initialScores.dispose();
  }

  get trainableVariables(): readonly tf.Variable[] {
    return [this.scores];
  }

  variables(): Record<string, tf.Variable> {
    return { scores: this.scores };
  }

  /**
   * The weight used on this forward pass, with the straight-through score gradient.
   * Training: the strategy chooses; otherwise the selected network (the argmax network unless the
   * strategy has its own `selectEval`, or asks for `select` itself with `evalSelection: 'strategy'`;
   * `ctx.selection` overrides that choice).
   * Call inside `tf.tidy`; the caller owns the result.
   */
  weight(ctx: ApplyContext): tf.Tensor {
    const useStrategy = ctx.training || (ctx.selection === undefined ? this.strategy.evalSelection === 'strategy' : ctx.selection === 'sampled');
    const selectionContext = {
      training: ctx.training,
      seed: deriveSeed(this.seed, 'select', this.layerIndex, ctx.step),
      layerIndex: this.layerIndex,
      step: ctx.step,
    };
    const scale = this.strategy.straightThroughScale?.bind(this.strategy);
    return straightThroughSelect(
      this.scores,
      this.options,
      (s) => (useStrategy ? this.strategy.select(s, selectionContext) : this.selectEval(s)),
      scale,
    );
  }

  /** int32 `[...S]`: the selected network's choice per connection (argmax unless the strategy has `selectEval`). The caller owns the result. */
  selectedIndices(): tf.Tensor {
    return tf.tidy(() => this.selectEval(this.scores));
  }

  /** The selected network's weight `[...S]` as a plain tensor (no gradient). The caller owns it. */
  selectedWeight(): tf.Tensor {
    return tf.tidy(() => gatherOptions(this.options, this.selectEval(this.scores)));
  }

  private selectEval(scores: tf.Tensor): tf.Tensor {
    return this.strategy.selectEval ? this.strategy.selectEval(scores) : argmaxSelection(scores);
  }

  /** Replaces the scores (e.g. from a checkpoint). The values are copied; `scores` is not disposed. */
  setScores(scores: tf.Tensor): void {
    checkOptionsShape(scores, this.scores.shape, `${this.name}.scores`, false);
    this.scores.assign(scores);
  }

  dispose(): void {
    this.options.dispose();
    this.scores.dispose();
  }
}

/**
 * Per-connection options `[...S, K]` from U(-bound, bound), reproducible from `(seed, layerIndex)`.
 * The caller owns the returned tensor.
 */
export function drawSlotOptions(shape: readonly number[], bound: number, seed: number, layerIndex: number): tf.Tensor {
  return seededUniform(shape, -bound, bound, deriveSeed(seed, 'options', layerIndex));
}

/** The same options with the last of the K set to exactly 0. The caller owns the result. */
export function withZeroOption(options: tf.Tensor): tf.Tensor {
  const k = options.shape[options.rank - 1]!;
  return tf.tidy(() => {
    const mask = tf.concat([tf.ones([k - 1]), tf.zeros([1])]);
    // negative options times 0 give -0; adding +0 makes the zero option exactly +0
    return tf.add(tf.mul(options, mask), tf.scalar(0));
  });
}

/** Throws a `SlotConfigError` when the network's K or zero option is not what the strategy requires. */
function checkRequirements(strategy: SelectionStrategy, k: number, zeroOption: boolean): void {
  const required = strategy.requires;
  if (!required) return;
  if (required.k !== undefined && required.k !== k) {
    throw new SlotConfigError('k', `${required.k} for strategy '${strategy.id}'`, k);
  }
  if (required.zeroOption !== undefined && required.zeroOption !== zeroOption) {
    throw new SlotConfigError('zeroOption', `${required.zeroOption} for strategy '${strategy.id}'`, zeroOption);
  }
}

function checkOptionsShape(t: tf.Tensor, full: readonly number[], name: string, allowShared = true): void {
  const k = full[full.length - 1];
  const shared = allowShared && t.rank === 1 && t.shape[0] === k;
  if (!shared && !(t.rank === full.length && t.shape.every((d, i) => d === full[i]))) {
    const expected = `a tensor of shape [${full.join(', ')}]${allowShared ? ` or [${k}]` : ''}`;
    throw new SlotConfigError(name, expected, t.shape);
  }
}
