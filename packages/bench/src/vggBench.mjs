// VGG-19 on CIFAR-10: ms per training step (batch 128 by default), the estimated time of one
// 45,000-image epoch, and the peak resident memory while training, for GS K=8 and the learned
// network on each backend asked for. One process per backend (the wasm heap of one run would
// otherwise sit in the next one's RSS): run it once per backend. Runs on the built packages.
//
//   node packages/bench/src/vggBench.mjs --backend tensorflow|wasm [--configs gs-k8,learned] [--steps 3]
//                                        [--batch 128] [--data DIR] [--json FILE]
//
// DIR defaults to ../shared/datasets/cifar-10-batches-bin beside the repository.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { architecture, architectureRecipe } from '@slot-machines/architectures';
import { createNetwork } from '@slot-machines/core';
import { CIFAR10_STANDARDIZE, createBatchIterator } from '@slot-machines/datasets';
import { loadCifar10 } from '@slot-machines/datasets/node';
import { initRuntime } from '@slot-machines/runtime-node';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createTrainingState, disposeTrainingState, recipeDefaults, trainStep } from '@slot-machines/trainer';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'tensorflow' },
    configs: { type: 'string', default: 'gs-k8,learned' },
    steps: { type: 'string', default: '3' },
    batch: { type: 'string', default: '128' },
    data: { type: 'string', default: resolve(here, '../../../../shared/datasets/cifar-10-batches-bin') },
    json: { type: 'string' },
  },
});
const steps = Number(values.steps);
const batchSize = Number(values.batch);
if (!existsSync(values.data)) throw new Error(`--data: ${values.data} does not exist (the cifar-10-batches-bin directory)`);

const info = await initRuntime({ backend: values.backend, log: (line) => console.error(line) });
const cifar = await loadCifar10(values.data);
const rows = Uint32Array.from({ length: batchSize * (steps + 1) }, (_, i) => i);
let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sample, 20);
const results = [];
for (const key of values.configs.split(',')) {
  const flavour = key === 'learned' ? 'learned' : 'slot';
  const k = key === 'learned' ? 1 : Number(key.replace('gs-k', ''));
  const strategy = createGreedyStrategy();
  const spec = architecture('vgg-19', flavour);
  const network = flavour === 'learned' ? createNetwork({ ...spec, seed: 0 }) : createNetwork({ ...spec, seed: 0, k, strategy });
  const recipe = { ...recipeDefaults({ flavour, strategy, k }), ...architectureRecipe('vgg-19', flavour) };
  const data = createBatchIterator(cifar, { batchSize, indices: rows, seed: 0, normalization: CIFAR10_STANDARDIZE });
  const state = createTrainingState(network, { momentum: recipe.momentum, weightDecay: recipe.weightDecay });
  peakRss = 0;
  sample();
  const times = [];
  const losses = [];
  for (let b = 0; b <= steps; b++) {
    const batch = data.batch(0, b);
    const t0 = performance.now();
    const { loss } = trainStep(state, batch, recipe.learningRate);
    tf.dispose([batch.x, batch.y]);
    sample();
    if (b > 0) times.push(performance.now() - t0); // step 0 warms up (kernels, first allocations)
    losses.push(loss);
  }
  disposeTrainingState(state);
  network.dispose();
  const msPerStep = times.reduce((a, b) => a + b, 0) / times.length;
  const row = { backend: info.backend, config: key, k, batchSize, msPerStep, epoch45kSeconds: (msPerStep * Math.ceil(45000 / batchSize)) / 1000, peakRssMiB: peakRss / 2 ** 20, losses };
  results.push(row);
  console.log(JSON.stringify(row));
}
clearInterval(sampler);
const meta = { date: new Date().toISOString(), cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: totalmem() / 2 ** 30, node: process.version, steps, batchSize };
if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, `${JSON.stringify({ meta, results }, null, 2)}\n`);
}
