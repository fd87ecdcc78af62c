// Trains in plain Node on the BUILT runtime-node: what a user gets from npm, no vitest, no bundler.
//
//   node packages/runtime-node/scripts/gradient-smoke.mjs [entry] [backend]
//
// entry:   the built module to import (default: ../dist/index.js); backend: auto | tensorflow | wasm | cpu.
// Prints one JSON object on stdout ({ ok, checks, info, ... }) and exits 1 if any check fails.
import * as tf from '@tensorflow/tfjs-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = resolve(process.argv[2] ?? new URL('../dist/index.js', import.meta.url).pathname);
const backend = process.argv[3] ?? 'auto';
const checks = {};
const lines = [];

// tfjs-core's CommonJS bundle, which plain Node loads, has no gradients of its own.
checks.noGradientsBeforeInit = tf.getGradient('Mean') == null;

const { initRuntime } = await import(pathToFileURL(entry).href);
// A fresh process: no tensor exists yet (tf.memory() itself would need a backend).
const tensorsBefore = 0;
const info = await initRuntime({ backend, log: (line) => lines.push(line) });
for (const line of lines) console.error(line);
checks.oneLine = lines.length === 1 && lines[0].startsWith(`slot-machines: backend ${info.backend} (`);
checks.noTensorsLeftByInit = tf.memory().numTensors === tensorsBefore;
checks.gradientsRegistered = ['Mean', 'Relu', 'BatchMatMul', 'Conv2D', 'MaxPool', 'Sum'].every((k) => tf.getGradient(k) != null);
checks.oneEngine = globalThis._tfengine === tf.engine() && tf.engine().backendName === info.backend && tf.getBackend() === info.backend;

// d/dw mean(relu(x w)) = x^T (step(x w) / n), computed by hand.
const xs = [[1, -2, 0.5], [0.3, 0.8, -1], [-0.7, 0.2, 0.9], [2, 1, -0.4]];
const ws = [[0.5, -1], [0.25, 0.75], [-0.6, 0.4]];
const xw = xs.map((row) => [0, 1].map((j) => row.reduce((s, v, k) => s + v * ws[k][j], 0)));
const expected = ws.map((_, k) => [0, 1].map((j) => xs.reduce((s, row, i) => s + row[k] * (xw[i][j] > 0 ? 1 : 0), 0) / 8));
const denseGrad = tf.tidy(() => {
  const x = tf.tensor2d(xs);
  return tf.grad((w) => tf.mean(tf.relu(tf.matMul(x, w))))(tf.tensor2d(ws)).arraySync();
});
const denseError = Math.max(...denseGrad.flat().map((g, i) => Math.abs(g - expected.flat()[i])));
checks.denseGradient = denseError < 1e-5;

// d/dfilter of mean(maxPool(relu(conv2d(x, f)))), the order of the paper's conv networks, checked
// against central differences on the same backend (the loss is piecewise linear in the filter, so the
// differences are exact up to float32 rounding unless a step crosses a kink).
const convErrors = tf.tidy(() => {
  const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
  const f0 = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 8);
  const loss = (f) => tf.mean(tf.maxPool(tf.relu(tf.conv2d(x, f, 1, 'same')), 2, 2, 'valid'));
  const grad = tf.grad(loss)(f0).dataSync();
  const base = f0.dataSync();
  const eps = 1e-2;
  return [0, 17, 40, 63, 85, 107].map((i) => {
    const at = (delta) => {
      const values = Float32Array.from(base);
      values[i] += delta;
      return loss(tf.tensor4d(values, f0.shape)).dataSync()[0];
    };
    return Math.abs((at(eps) - at(-eps)) / (2 * eps) - grad[i]);
  });
});
checks.convGradient = Math.max(...convErrors) < 1e-3;

// A few SGD steps through tf.train, the way the trainer uses gradients.
const losses = [];
const w = tf.tidy(() => tf.variable(tf.tensor2d(ws)));
const x = tf.tensor2d(xs);
const target = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]]);
const optimizer = tf.train.sgd(0.1);
for (let step = 0; step < 20; step++) {
  const cost = optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.relu(tf.matMul(x, w)), target))), true);
  losses.push(cost.dataSync()[0]);
  cost.dispose();
}
checks.trainingLowersLoss = losses.at(-1) < losses[0];
tf.dispose([w, x, target]);
optimizer.dispose();
checks.noTensorsLeftByTraining = tf.memory().numTensors === tensorsBefore;

const ok = Object.values(checks).every(Boolean);
console.log(JSON.stringify({ ok, checks, info, line: lines[0], denseError, convErrors, losses: [losses[0], losses.at(-1)] }));
process.exitCode = ok ? 0 : 1;
