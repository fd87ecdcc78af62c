import * as tf from '@tensorflow/tfjs-core';

/**
 * Effective weights `W[..., k*]` for the indices `k*` that `choose(scores)` picks, with the
 * straight-through gradient of spec section 4 written once for every strategy: the one-hot
 * selection is treated as the identity, so every score, selected or not, receives
 *
 *     dL/ds[..., k] = dL/dW_eff[...] · W[..., k]
 *
 * `options` is `[...S, K]` (one vector per connection) or `[K]` (shared by all connections);
 * `scores` is `[...S, K]`. `scale` (optional) returns φ'(scores) for a surrogate φ: the gradient of
 * score k is then multiplied by it. Call inside `tf.tidy`; the caller owns the returned `[...S]` tensor.
 * Neither `options` nor `scores` is disposed or kept.
 */
export function straightThroughSelect(
  scores: tf.Tensor,
  options: tf.Tensor,
  choose: (scores: tf.Tensor) => tf.Tensor,
  scale?: (scores: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const select = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const s = args[0] as tf.Tensor;
    const indices = choose(s);
    const value = gatherOptions(options, indices);
    // with a surrogate φ (SelectionStrategy.straightThroughScale) every score also gets φ'(s),
    // computed on the backward pass only
    if (scale) (args[1] as tf.GradSaveFunc)([s]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = tf.mul(tf.expandDims(dy, -1), options);
        return scale ? tf.mul(g, scale(saved[0]!)) : g;
      },
    };
  });
  return select(scores);
}

/**
 * `options[..., indices]`: one option per connection. `indices` is int32 `[...S]`; `options` is
 * `[...S, K]` or `[K]`. The caller owns the returned float32 `[...S]` tensor.
 */
export function gatherOptions(options: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (options.rank === 1) return tf.gather(options, indices);
    const k = options.shape[options.rank - 1]!;
    const n = indices.size;
    const flatIndices = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(k, 'int32')), tf.reshape(indices, [n]));
    return tf.reshape(tf.gather(tf.reshape(options, [n * k]), flatIndices), indices.shape);
  });
}
