import * as tf from '@tensorflow/tfjs-core';

/** What a selection strategy is told on each forward pass. */
export interface SelectionContext {
  /** True while training; at test time the core uses the argmax network unless the strategy asks otherwise. */
  readonly training: boolean;
  /** A seed derived from (network seed, layer index, step): draw every random number from it. */
  readonly seed: number;
  /** Position of the layer among the network's slot layers (0-based). */
  readonly layerIndex: number;
  /** Training step (forward pass) counter of the network. */
  readonly step: number;
}

/**
 * The selection plugin contract (rho of the paper). A strategy writes only the forward pass:
 * the core adds the straight-through gradient to every score.
 */
export interface SelectionStrategy<Id extends string = string> {
  readonly id: Id;
  /**
   * scores `[...S, K]` -> int32 indices `[...S]`, one chosen option per connection.
   * Called inside `tf.tidy`; the caller owns the returned tensor. Must not keep or dispose `scores`.
   */
  select(scores: tf.Tensor, ctx: SelectionContext): tf.Tensor;
  /**
   * Which network is used when not training.
   * @default 'argmax' (spec: at test time every strategy uses the argmax network)
   */
  readonly evalSelection?: 'argmax' | 'strategy';
  /** The resolved, JSON-serialisable options, so a checkpoint can rebuild the strategy through a registry. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * Greedy choice: index of the largest score per connection, ties to the lowest index.
 * The caller owns the returned int32 tensor.
 */
export function argmaxSelection(scores: tf.Tensor): tf.Tensor {
  return tf.argMax(scores, -1);
}
