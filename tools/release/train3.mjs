// Run in an empty project that installed @slot-machines/selection-greedy, architectures and
// runtime-node from the rehearsal registry: train Lenet-300-100 for 3 steps, as the README shows.
import * as tf from '@tensorflow/tfjs-core';
import { createNetwork } from '@slot-machines/core';
import { architecture } from '@slot-machines/architectures';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { initRuntime } from '@slot-machines/runtime-node';

await initRuntime();
const net = createNetwork({ ...architecture('lenet-300-100'), k: 8, seed: 42, strategy: createGreedyStrategy() });
const x = tf.randomUniform([32, 28, 28, 1], 0, 1, 'float32', 1);
const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10);
const optimizer = tf.train.sgd(0.2);
for (let step = 0; step < 3; step++) {
  const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true, step })), true);
  const value = loss.dataSync()[0];
  loss.dispose();
  if (!Number.isFinite(value)) throw new Error(`step ${step}: loss ${value}`);
  console.log(`step ${step}: loss ${value.toFixed(4)}`);
}
