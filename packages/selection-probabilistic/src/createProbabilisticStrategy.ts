import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, type SelectionRecipe, type SelectionStrategy } from '@slot-machines/core';

export interface ProbabilisticOptions {
  /**
   * How scores become probabilities.
   * - `'softmax'`: p = softmax(s) (the authors' code).
   * - `'proportional'`: p ∝ max(s, 0) (the paper's "multinomial defined by the scores"); a
   *   connection whose scores are all ≤ 0 draws uniformly.
   * @default 'softmax'
   */
  readonly normalize?: 'softmax' | 'proportional';
  /**
   * Which network is used when not training: the argmax network (as the paper tests) or a sample.
   * @default 'argmax'
   */
  readonly evalMode?: 'argmax' | 'sample';
  /**
   * Draw from the scores sharpened by a temperature T: `softmax(s / T)`, or `p ∝ max(s, 0)^(1/T)`
   * with `'proportional'`. T < 1 moves the sampled networks toward the argmax network, T → 0 is
   * greedy selection. Not in the paper (its T is 1); a recipe knob for PS (docs/results/ps-findings.md).
   * A temperature other than 1 trains on the unfused path (the fused kernels sample at T = 1).
   * @default 1
   */
  readonly temperature?: number;
  /**
   * Anneal the temperature toward greedy selection while training: geometrically from
   * `temperature` at step 0 to `to` at step `steps`, constant after (step = the training step of
   * the forward pass). Not in the paper. @default null: the temperature stays constant
   */
  readonly anneal?: { readonly to: number; readonly steps: number } | null;
  /**
   * Anneal toward greedy selection by share: at training step t, each connection draws from its
   * distribution with probability `max(0, 1 − t / steps)` and takes its argmax option otherwise,
   * so from step `steps` on training is greedy selection (GS) of the same scores. Scale-free,
   * unlike a temperature. Not in the paper. @default null: every connection draws at every step
   */
  readonly greedyAnneal?: { readonly steps: number } | null;
}

export type ResolvedProbabilisticOptions = Required<ProbabilisticOptions>;

declare module '@slot-machines/core' {
  interface StrategyOptionsById {
    probabilistic: ProbabilisticOptions;
  }
}

/** The paper's recipe for PS scores: learning rate 25 for every K, no weight decay. */
const PROBABILISTIC_RECIPE: SelectionRecipe = { learningRate: () => 25, weightDecay: 0 };

/**
 * Probabilistic selection (PS): each connection draws its option from Categorical(p(s)), one
 * independent draw per connection per forward pass, seeded from the context (same seed, same
 * draws). Sampling is by inverse CDF: one uniform number per connection.
 */
export function createProbabilisticStrategy(options: ProbabilisticOptions = {}): SelectionStrategy<'probabilistic'> {
  const resolved = resolveOptions(options);
  const tempered = resolved.temperature !== 1 || resolved.anneal !== null || resolved.greedyAnneal !== null;
  return {
    id: 'probabilistic',
    options: resolved,
    stochastic: true,
    evalSelection: resolved.evalMode === 'sample' ? 'strategy' : 'argmax',
    recipe: PROBABILISTIC_RECIPE,
    // the fused kernels sample at temperature 1 only
    ...(tempered ? {} : { fused: { rule: resolved.normalize, uniforms: (shape, ctx) => uniforms(shape, ctx.seed) } }),
    select: (scores, ctx) =>
      tf.tidy(() => {
        const k = scores.shape[scores.rank - 1]!;
        const t = temperatureAt(resolved, ctx.step);
        const probabilities =
          resolved.normalize === 'softmax' ? tf.softmax(t === 1 ? scores : tf.div(scores, t)) : proportional(scores, t);
        const cdf = tf.cumsum(probabilities, scores.rank - 1); // tf.cumsum takes no negative axis
        const share = sampleShareAt(resolved, ctx.step);
        const drawn = uniforms(scores.shape.slice(0, -1), ctx.seed);
        // a connection samples when its u < share, with u / share (uniform given that) as its draw
        const u = share === 1 ? drawn : tf.div(drawn, share);
        // The option drawn is the number of CDF entries below u; rounding can leave cdf[K-1] < 1.
        const below = tf.sum(tf.cast(tf.less(cdf, tf.expandDims(u, -1)), 'int32'), -1);
        const sampled = tf.minimum(below, tf.scalar(k - 1, 'int32'));
        return share === 1 ? sampled : tf.where(tf.less(drawn, share), sampled, tf.cast(tf.argMax(scores, -1), 'int32'));
      }),
  };
}

/** The one uniform number per connection a draw uses: the fused kernels take the same ones. */
function uniforms(shape: readonly number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape as number[], 0, 1, 'float32', seed);
}

/** The temperature of the forward pass at training step `step` (see `ProbabilisticOptions.anneal`). */
export function temperatureAt(options: Pick<ResolvedProbabilisticOptions, 'temperature' | 'anneal'>, step: number): number {
  const { temperature, anneal } = options;
  if (anneal === null) return temperature;
  const progress = Math.min(Math.max(step / anneal.steps, 0), 1);
  return temperature * (anneal.to / temperature) ** progress;
}

/** The share of connections that draw at training step `step` (see `ProbabilisticOptions.greedyAnneal`): 1 without it. */
export function sampleShareAt(options: Pick<ResolvedProbabilisticOptions, 'greedyAnneal'>, step: number): number {
  return options.greedyAnneal === null ? 1 : Math.max(0, 1 - step / options.greedyAnneal.steps);
}

/** p ∝ max(s, 0)^(1/t); all-non-positive rows become uniform. */
function proportional(scores: tf.Tensor, t: number): tf.Tensor {
  // max(s, 0)^(1/t) normalised, computed as exp((log s - log max s) / t) so small t cannot overflow
  const relu = tf.relu(scores);
  const positive = t === 1 ? relu : tf.where(tf.greater(relu, 0), tf.exp(tf.div(tf.sub(tf.log(tf.maximum(relu, 1e-30)), tf.log(tf.maximum(tf.max(relu, -1, true), 1e-30))), t)), tf.zerosLike(relu));
  const total = tf.sum(positive, -1, true);
  const k = scores.shape[scores.rank - 1]!;
  const uniform = tf.fill(positive.shape, 1 / k);
  return tf.where(tf.greater(tf.broadcastTo(total, positive.shape), 0), tf.div(positive, tf.maximum(total, 1e-30)), uniform);
}

function resolveOptions(options: ProbabilisticOptions): ResolvedProbabilisticOptions {
  const normalize = options.normalize ?? 'softmax';
  if (normalize !== 'softmax' && normalize !== 'proportional') {
    throw new SlotConfigError('normalize', "'softmax' or 'proportional'", normalize);
  }
  const evalMode = options.evalMode ?? 'argmax';
  if (evalMode !== 'argmax' && evalMode !== 'sample') {
    throw new SlotConfigError('evalMode', "'argmax' or 'sample'", evalMode);
  }
  const temperature = options.temperature ?? 1;
  if (!(typeof temperature === 'number' && Number.isFinite(temperature) && temperature > 0)) {
    throw new SlotConfigError('temperature', 'a number > 0', temperature);
  }
  const anneal = options.anneal ?? null;
  if (anneal !== null) {
    if (typeof anneal !== 'object') throw new SlotConfigError('anneal', '{ to, steps } or null', anneal);
    if (!(typeof anneal.to === 'number' && Number.isFinite(anneal.to) && anneal.to > 0)) throw new SlotConfigError('anneal.to', 'a number > 0', anneal.to);
    if (!(Number.isInteger(anneal.steps) && anneal.steps >= 1)) throw new SlotConfigError('anneal.steps', 'an integer >= 1', anneal.steps);
  }
  const greedyAnneal = options.greedyAnneal ?? null;
  if (greedyAnneal !== null) {
    if (typeof greedyAnneal !== 'object') throw new SlotConfigError('greedyAnneal', '{ steps } or null', greedyAnneal);
    if (!(Number.isInteger(greedyAnneal.steps) && greedyAnneal.steps >= 1)) throw new SlotConfigError('greedyAnneal.steps', 'an integer >= 1', greedyAnneal.steps);
  }
  return {
    normalize,
    evalMode,
    temperature,
    anneal: anneal === null ? null : { to: anneal.to, steps: anneal.steps },
    greedyAnneal: greedyAnneal === null ? null : { steps: greedyAnneal.steps },
  };
}
