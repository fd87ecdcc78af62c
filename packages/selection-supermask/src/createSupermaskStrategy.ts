import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, requireOneOf, type SelectionRecipe, type SelectionStrategy } from '@slot-machines/core';

export interface SupermaskOptions {
  /**
   * The network used when not training:
   * - `'sample'`: a mask drawn from Bernoulli(sigmoid(s)) as in training, seeded by the pass's
   *   context (the authors' code samples at test time too and reports the mean over 10 draws).
   * - `'threshold'`: the most likely mask, kept where sigmoid(s) > 0.5 (the authors' `round_mask`
   *   test-time rule).
   * `extract()`, exports and sparsity always use the thresholded mask (a fixed network).
   * @default 'sample'
   */
  readonly evalMode?: 'sample' | 'threshold';
}

export type ResolvedSupermaskOptions = Required<SupermaskOptions>;

declare module '@slot-machines/core' {
  interface StrategyOptionsById {
    supermask: SupermaskOptions;
  }
}

/**
 * The authors' supermask command (uber-research/deconstructing-lottery-tickets README, "Train a
 * Supermask directly": `--opt sgd --lr 100`, momentum 0.9 and L2 0 by default in
 * train_supermask.py), for every K. Their batch is 250 and their learning rate constant.
 */
const SUPERMASK_RECIPE: SelectionRecipe = { learningRate: () => 100, weightDecay: 0 };

/**
 * Supermasks (Zhou et al., NeurIPS 2019) on the slot-machine contract: every connection has
 * K = 2 options, its fixed random weight (option 0) and the zero option (option 1). Option 0's
 * score m is the mask's logit: each training pass keeps the weight with probability sigmoid(m),
 * one seeded Bernoulli draw per connection, and the straight-through gradient passes through the
 * sigmoid (dL/dm = dL/dW_eff · w · sigmoid'(m), as the authors' `mask + p - stop_gradient(p)`).
 * Scores start at 0 (p = 0.5, the code's `sigmoid_bias` default). Pair it with
 * `createSupermaskWeights()` for the paper's weight initialisations. Score 1 is never read.
 */
export function createSupermaskStrategy(options: SupermaskOptions = {}): SelectionStrategy<'supermask'> {
  const resolved = resolveOptions(options);
  return {
    id: 'supermask',
    options: resolved,
    recipe: SUPERMASK_RECIPE,
    requires: { k: 2, zeroOption: true },
    evalSelection: resolved.evalMode === 'sample' ? 'strategy' : 'argmax',
    select: (scores, ctx) =>
      tf.tidy(() => {
        const { logits, dropped, connections } = firstScores(scores);
        const u = tf.randomUniform(connections, 0, 1, 'float32', ctx.seed);
        return tf.where(tf.less(u, tf.sigmoid(logits)), tf.zeros(connections, 'int32'), tf.fill(connections, dropped, 'int32'));
      }),
    selectEval: (scores) =>
      tf.tidy(() => {
        const { logits, dropped, connections } = firstScores(scores);
        return tf.where(tf.greater(logits, 0), tf.zeros(connections, 'int32'), tf.fill(connections, dropped, 'int32'));
      }),
    straightThroughScale: (scores) =>
      tf.tidy(() => {
        const p = tf.sigmoid(scores);
        return tf.mul(p, tf.sub(1, p));
      }),
    initialScores: ({ shape }) => tf.zeros(shape as number[]),
  };
}

/** Option 0's scores `[...S]`, and the index of the zero option (K - 1). */
function firstScores(scores: tf.Tensor): { logits: tf.Tensor; dropped: number; connections: number[] } {
  const k = scores.shape[scores.rank - 1]!;
  const connections = scores.shape.slice(0, -1);
  const logits = tf.reshape(tf.slice(scores, Array(scores.rank).fill(0), [...connections, 1]), connections);
  return { logits, dropped: k - 1, connections };
}

function resolveOptions(options: SupermaskOptions): ResolvedSupermaskOptions {
  if (options == null || typeof options !== 'object') throw new SlotConfigError('options', 'an options object', options);
  return { evalMode: requireOneOf('evalMode', options.evalMode ?? 'sample', ['sample', 'threshold'] as const) };
}
