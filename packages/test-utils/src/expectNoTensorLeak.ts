import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` and throws if the number of live tensors differs afterwards. `fn` must dispose what it
 * creates; whatever it returns is disposed here before the count is taken.
 */
export async function expectNoTensorLeak(fn: () => unknown | Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  const result = await fn();
  if (result instanceof tf.Tensor) result.dispose();
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(`tensor leak: ${after - before} tensor(s) more after the block (${before} -> ${after})`);
  }
}
