import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, requireNumber, requireOneOf, type SelectionRecipe, type SelectionStrategy } from '@slot-machines/core';

export interface EdgePopupOptions {
  /**
   * Share of each layer's connections that stay (the rest are pruned to 0), layer by layer. The
   * paper calls it k ("top-k%"); its code's `--prune-rate` flag holds this same kept share.
   * In (0, 1]. @default 0.5 (the paper's choice for the CONV nets)
   */
  readonly keepFraction?: number;
  /**
   * What is ranked within a layer.
   * - `'magnitude'`: |s| (the authors' code, `clamped_scores = scores.abs()`; every score's
   *   straight-through gradient is then multiplied by sign(s)).
   * - `'score'`: s itself (the algorithm as the paper writes it).
   * @default 'magnitude'
   */
  readonly ranking?: 'magnitude' | 'score';
  /**
   * Initial scores: `'kaiming-uniform'` is the authors' code (`kaiming_uniform_(scores, a=√5)`,
   * i.e. U(-1/√fan_in, 1/√fan_in)); `'network'` keeps the network's `init` scheme (U(0, λσ)).
   * @default 'kaiming-uniform'
   */
  readonly scores?: 'kaiming-uniform' | 'network';
}

export type ResolvedEdgePopupOptions = Required<EdgePopupOptions>;

declare module '@slot-machines/core' {
  interface StrategyOptionsById {
    'edge-popup': EdgePopupOptions;
  }
}

/**
 * The paper's CIFAR-10 recipe for the scores (Ramanujan et al. 2020, section 4 and the released
 * configs, e.g. configs/smallscale/conv6/conv6_usc_unsigned.yml): SGD lr 0.1 (cosine), momentum
 * 0.9, weight decay 1e-4, batch 128, for every K (there is one weight per connection).
 */
const EDGE_POPUP_RECIPE: SelectionRecipe = { learningRate: () => 0.1, weightDecay: 1e-4 };

/**
 * edge-popup (Ramanujan et al., CVPR 2020) on the slot-machine contract: every connection has
 * K = 2 options, its fixed random weight (option 0) and the zero option (option 1). Option 0's
 * score is the edge's score: the connections whose scores (or |scores|) are in the top
 * `keepFraction` of their layer keep their weight, the others take the zero. The same rule runs in
 * training and at test time (deterministic, the seed is unused), and every score gets the
 * straight-through gradient. Pair it with `createEdgePopupWeights()` for the paper's signed
 * Kaiming constant weights. Score 1 (the zero option's) is never read.
 */
export function createEdgePopupStrategy(options: EdgePopupOptions = {}): SelectionStrategy<'edge-popup'> {
  const resolved = resolveOptions(options);
  const choose = (scores: tf.Tensor) => topFraction(scores, resolved.keepFraction, resolved.ranking);
  return {
    id: 'edge-popup',
    options: resolved,
    recipe: EDGE_POPUP_RECIPE,
    requires: { k: 2, zeroOption: true },
    select: choose,
    selectEval: choose,
    ...(resolved.ranking === 'magnitude' ? { straightThroughScale: (scores: tf.Tensor) => tf.sign(scores) } : {}),
    ...(resolved.scores === 'kaiming-uniform'
      ? {
          initialScores: ({ shape, fanIn, seed }) => {
            const bound = 1 / Math.sqrt(fanIn);
            return tf.randomUniform(shape as number[], -bound, bound, 'float32', seed);
          },
        }
      : {}),
  };
}

/**
 * int32 `[...S]`: 0 for the connections whose first score ranks in the top `keepFraction` of the
 * whole tensor, K - 1 (the zero option) for the rest. As the authors' code counts: the lowest
 * floor((1 - keepFraction) · n) are dropped. The caller owns the result.
 */
export function topFraction(scores: tf.Tensor, keepFraction: number, ranking: 'magnitude' | 'score'): tf.Tensor {
  return tf.tidy(() => {
    const k = scores.shape[scores.rank - 1]!;
    const connections = scores.shape.slice(0, -1);
    const n = scores.size / k;
    const first = tf.reshape(tf.slice(scores, Array(scores.rank).fill(0), [...connections, 1]), [n]);
    const key = ranking === 'magnitude' ? tf.abs(first) : first;
    const keep = n - Math.floor((1 - keepFraction) * n);
    const dropped = k - 1;
    if (keep >= n) return tf.zeros(connections, 'int32');
    if (keep <= 0) return tf.fill(connections, dropped, 'int32');
    const { indices } = tf.topk(key, keep, false);
    const kept = tf.scatterND(tf.reshape(indices, [keep, 1]), tf.fill([keep], dropped, 'int32'), [n]);
    // kept connections hold K - 1 here: K - 1 - kept is 0 for them and K - 1 for the others
    return tf.reshape(tf.sub(tf.scalar(dropped, 'int32'), kept), connections);
  });
}

function resolveOptions(options: EdgePopupOptions): ResolvedEdgePopupOptions {
  if (options == null || typeof options !== 'object') throw new SlotConfigError('options', 'an options object', options);
  return {
    keepFraction: requireNumber('keepFraction', options.keepFraction ?? 0.5, { min: 0, minExclusive: true, max: 1 }),
    ranking: requireOneOf('ranking', options.ranking ?? 'magnitude', ['magnitude', 'score'] as const),
    scores: requireOneOf('scores', options.scores ?? 'kaiming-uniform', ['kaiming-uniform', 'network'] as const),
  };
}
