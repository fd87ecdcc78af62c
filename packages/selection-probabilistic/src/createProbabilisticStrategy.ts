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
  return {
    id: 'probabilistic',
    options: resolved,
    evalSelection: resolved.evalMode === 'sample' ? 'strategy' : 'argmax',
    recipe: PROBABILISTIC_RECIPE,
    fused: { rule: resolved.normalize, uniforms: (shape, ctx) => uniforms(shape, ctx.seed) },
    select: (scores, ctx) =>
      tf.tidy(() => {
        const k = scores.shape[scores.rank - 1]!;
        const probabilities = resolved.normalize === 'softmax' ? tf.softmax(scores) : proportional(scores);
        const cdf = tf.cumsum(probabilities, scores.rank - 1); // tf.cumsum takes no negative axis
        const u = uniforms(scores.shape.slice(0, -1), ctx.seed);
        // The option drawn is the number of CDF entries below u; rounding can leave cdf[K-1] < 1.
        const below = tf.sum(tf.cast(tf.less(cdf, tf.expandDims(u, -1)), 'int32'), -1);
        return tf.minimum(below, tf.scalar(k - 1, 'int32'));
      }),
  };
}

/** The one uniform number per connection a draw uses: the fused kernels take the same ones. */
function uniforms(shape: readonly number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape as number[], 0, 1, 'float32', seed);
}

/** p ∝ max(s, 0); all-non-positive rows become uniform. */
function proportional(scores: tf.Tensor): tf.Tensor {
  const positive = tf.relu(scores);
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
  return { normalize, evalMode };
}
