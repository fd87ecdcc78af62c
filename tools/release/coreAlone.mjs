// Core, a plugin, tfjs-core and a backend, no runtime: the first training pass must fail with
// core's MissingGradientsError naming initRuntime() (tfjs-core's CommonJS build has no gradients).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createNetwork, MissingGradientsError } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';

await tf.setBackend('cpu');
const net = createNetwork({ inputShape: [4], layers: [{ type: 'slotDense', units: 2 }], k: 4, seed: 1, strategy: createGreedyStrategy() });
const logits = net.apply(tf.ones([1, 4])); // inference works without gradients
logits.dispose();
try {
  tf.train.sgd(0.1).minimize(() => tf.sum(net.apply(tf.ones([1, 4]), { training: true, step: 0 })));
  console.error('core alone: training neither worked nor failed with MissingGradientsError');
  process.exit(1);
} catch (error) {
  if (!(error instanceof MissingGradientsError) || !error.message.includes('initRuntime()')) throw error;
  console.log(`core alone: ${error.message.slice(0, 90)}...`);
}
