// Lenet-300-100 GS K=8 per weight-sharing policy: the K values each slot layer chooses among, and
// how many hidden units are dead (zero for every one of 2,000 test images), at initialisation or,
// for the policies given a checkpoint, with that checkpoint's scores.
//   node packages/bench/src/sharingAtInit.mjs [SEED] [POLICY=CHECKPOINT ...]
//   e.g. node packages/bench/src/sharingAtInit.mjs 0 global=runs/reproduce-mnist/e25/gs-k8-global-seed0/last.safetensors
// "values > 0" is the share of the layer's option values above 0 (all of them without sharing, the
// layer's vector of K with layer sharing, the network's vector of K with global sharing); "mean /
// bound" is their mean over σ_l (0 for a symmetric draw). Scores are the run's own initial scores,
// so the network is the one `train --sharing ... --seed SEED` starts from.
import * as tf from '@tensorflow/tfjs-core';
import { architecture } from '@slot-machines/architectures';
import { createNetwork } from '@slot-machines/core';
import { MNIST_STANDARDIZE, createBatchIterator } from '@slot-machines/datasets';
import { loadBundledMnist } from '@slot-machines/datasets/node';
import { readFileSync } from 'node:fs';
import { initRuntime } from '@slot-machines/runtime-node';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { loadCheckpointVariables } from '@slot-machines/trainer';
import { createGlobalSharing, createLayerSharing, createNoSharing } from '@slot-machines/weight-sharing';

const seed = Number(process.argv[2] ?? 0);
if (!Number.isInteger(seed) || seed < 0) throw new Error(`usage: sharingAtInit.mjs [SEED] (an integer >= 0, got '${process.argv[2]}')`);
const checkpoints = Object.fromEntries(
  process.argv.slice(3).map((arg) => {
    const [policy, path] = arg.split('=');
    if (!['none', 'layer', 'global'].includes(policy) || !path) throw new Error(`expected POLICY=CHECKPOINT with POLICY none, layer or global, got '${arg}'`);
    return [policy, path];
  }),
);
await initRuntime({ backend: 'wasm', log: () => {} });
const mnist = await loadBundledMnist();
const test = createBatchIterator(mnist, { batchSize: 2000, part: 'test', shuffle: false, normalization: MNIST_STANDARDIZE });
const { x, y } = test.batch(0, 0);
y.dispose();
console.log(`seed ${seed}, K = 8, paper initialisation, 2,000 test images`);
console.log('| sharing | scores | layer | values > 0 | mean / bound | dead units after the layer |');
console.log('|---|---|---|---|---|---|');
for (const [name, sharing] of [['none', createNoSharing()], ['layer', createLayerSharing()], ['global', createGlobalSharing()]]) {
  const network = createNetwork({ ...architecture('lenet-300-100', 'slot'), seed, k: 8, init: 'paper', zeroOption: false, strategy: createGreedyStrategy(), sharing });
  if (checkpoints[name]) loadCheckpointVariables(network, new Uint8Array(readFileSync(checkpoints[name])), checkpoints[name]);
  const scores = checkpoints[name] ?? 'initial';
  let h = tf.clone(x);
  const rows = [];
  for (const layer of network.layers) {
    const next = tf.tidy(() => layer.apply(h, { training: false, step: 0 }));
    h.dispose();
    h = next;
    const options = layer.source?.options;
    if (options) {
      const [positive, mean, bound] = tf.tidy(() => [tf.mean(tf.cast(tf.greater(options, 0), 'float32')).dataSync()[0], tf.mean(options).dataSync()[0], tf.max(tf.abs(options)).dataSync()[0]]);
      rows.push({ layer: layer.name, positive, mean: mean / bound, dead: null });
    } else if (/relu/i.test(layer.type) && rows.length) {
      // a unit is dead when it is 0 for every image
      rows.at(-1).dead = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.max(tf.reshape(h, [h.shape[0], -1]), 0), 0), 'float32')).dataSync()[0]);
    }
  }
  for (const r of rows) console.log(`| ${name} | ${scores} | ${r.layer} | ${(r.positive * 100).toFixed(0)}% | ${r.mean.toFixed(2)} | ${r.dead === null ? '- (no ReLU: the logits)' : `${(r.dead * 100).toFixed(1)}%`} |`);
  h.dispose();
  network.dispose();
}
x.dispose();
