import * as tf from '@tensorflow/tfjs-core';

/**
 * d/dw mean(relu(x w)) and d/dfilter mean(maxPool(relu(conv2d(x, f)))) on the active backend, from
 * seeded inputs: what the runtime tests compare across backends to show that the gradients training
 * needs are registered and agree. Creates no lingering tensors.
 */
export function trainingGradients(): { dense: Float32Array; conv: Float32Array } {
  return tf.tidy(() => {
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 2], 0, 1, 'float32', 2);
    const images = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 4);
    const dense = tf.grad((v) => tf.mean(tf.relu(tf.matMul(x, v))))(w);
    const conv = tf.grad((f) => tf.mean(tf.maxPool(tf.relu(tf.conv2d(images, f as tf.Tensor4D, 1, 'same')), 2, 2, 'valid')))(filter);
    return { dense: dense.dataSync() as Float32Array, conv: conv.dataSync() as Float32Array };
  });
}
