import type * as tf from '@tensorflow/tfjs-core';

/** A mini-batch: inputs `[batch, ...inputShape]` and int32 labels `[batch]`. */
export interface Batch {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
}

/**
 * Where the trainer gets its data: random access by (epoch, index), deterministic, so a resumed
 * run sees exactly the batches the killed one would have seen. `@slot-machines/datasets`'
 * batch iterators are BatchProviders as they are.
 */
export interface BatchProvider {
  /** Number of examples. */
  readonly size: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** Batch `index` of `epoch` (shuffled by epoch for training data). The caller owns `x` and `y`. */
  batch(epoch: number, index: number): Batch;
}
