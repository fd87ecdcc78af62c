// Score statistics of a checkpoint, per slot layer: how peaked softmax(scores) is.
//   node packages/bench/src/scoreStats.mjs runs/<run>/last.safetensors
// mean max p: the average over connections of the largest softmax probability (1/K = uniform,
// 1 = one option certain); score range: average max(s) - min(s) per connection.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initRuntime } from '@slot-machines/runtime-node';
import { decodeTensorFile } from '@slot-machines/trainer';

const path = process.argv[2];
if (!path) throw new Error('usage: scoreStats.mjs CHECKPOINT.safetensors');
await initRuntime({ backend: 'wasm', log: () => {} });
const file = decodeTensorFile(new Uint8Array(readFileSync(path)), path);
console.log('| layer | K | mean max softmax p | mean score range |');
console.log('|---|---|---|---|');
for (const [name, scores] of Object.entries(file.tensors)) {
  if (!name.startsWith('variable/') || !name.endsWith('/scores')) continue;
  const [maxP, range] = tf.tidy(() => [
    tf.mean(tf.max(tf.softmax(scores), -1)).dataSync()[0],
    tf.mean(tf.sub(tf.max(scores, -1), tf.min(scores, -1))).dataSync()[0],
  ]);
  console.log(`| ${name.slice('variable/'.length, -'/scores'.length)} | ${scores.shape.at(-1)} | ${maxP.toFixed(3)} | ${range.toFixed(3)} |`);
}
tf.dispose(Object.values(file.tensors));
