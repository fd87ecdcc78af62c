// Where a slot training step spends its time, for docs/benchmarks.md: the phases of one fused GS
// step (the effective weights are kept from the last update, so none is gathered) against the
// learned network's forward + backward + SGD, and whole steps of the fused and unfused paths, for
// Lenet-300-100 (batch 128, K=8 and 64) and CONV-6 (batch 128, K=8). Random inputs: only time is
// measured. One backend per run; medians of --reps repetitions after 3 warm-ups.
//
//   node packages/bench/src/stepProfile.mjs [--backend tensorflow|wasm|cpu] [--reps 20] [--nets lenet,conv-6]
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { architecture } from '@slot-machines/architectures';
import { createNetwork, slotUpdate } from '@slot-machines/core';
import { initRuntime } from '@slot-machines/runtime-node';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createTrainingState, disposeTrainingState, trainStep } from '@slot-machines/trainer';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'tensorflow' }, reps: { type: 'string', default: '20' }, nets: { type: 'string', default: 'lenet,conv-6' } } });
const reps = Number(values.reps);
const info = await initRuntime({ backend: values.backend, log: (line) => console.error(line) });
const median = (f) => {
  for (let i = 0; i < 3; i++) f();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
};
const rows = [];
const row = (net, what, ms) => {
  rows.push({ net, what, ms });
  console.error(`${net}: ${what} ${ms.toFixed(2)} ms`);
};

for (const net of values.nets.split(',')) {
  const id = net === 'lenet' ? 'lenet-300-100' : net;
  for (const k of id === 'lenet-300-100' ? [8, 64] : [8]) {
    const label = `${id} K=${k}`;
    const spec = architecture(id, 'slot', id === 'lenet-300-100' ? {} : { dropout: 0 });
    const x = tf.randomNormal([128, ...spec.inputShape], 0, 1, 'float32', 1);
    const y = tf.randomUniform([128], 0, 10, 'int32', 2);
    const batch = { x, y };
    // whole steps, both paths
    for (const fused of [true, false]) {
      const network = createNetwork({ ...spec, k, seed: 0, strategy: createGreedyStrategy() });
      const state = createTrainingState(network, { momentum: 0.9, weightDecay: 1e-4, fused });
      row(label, `whole step, ${fused ? 'fused' : 'unfused'}`, median(() => trainStep(state, batch, 0.1)));
      disposeTrainingState(state);
      network.dispose();
    }
    // the phases of a fused step
    const network = createNetwork({ ...spec, k, seed: 0, strategy: createGreedyStrategy() });
    const layers = network.slotLayers;
    const weights = layers.map((l) => l.selectedWeight());
    const names = layers.map((l) => l.name);
    const forwardBackward = () => {
      const { value, grads } = tf.valueAndGrads((...w) =>
        tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), network.apply(x, { training: true, step: 0, weights: Object.fromEntries(names.map((n, i) => [n, w[i]])) })),
      )(weights);
      value.dataSync();
      return { value, grads };
    };
    row(label, 'fused: forward + backward to dL/dW_eff', median(() => tf.dispose(Object.values(forwardBackward()).flat())));
    const { value, grads } = forwardBackward();
    const velocity = layers.map((l) => tf.zerosLike(l.source.scores));
    layers.forEach((l, i) => {
      row(label, `fused: slot update of ${l.name} [${l.source.scores.shape}]`, median(() => {
        const out = slotUpdate({ scores: l.source.scores, velocity: velocity[i], options: l.source.options, grad: grads[i] }, { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, rule: 'argmax' });
        out.indices.dataSync();
        tf.dispose(Object.values(out));
      }));
    });
    tf.dispose([value, ...grads, ...velocity, ...weights]);
    network.dispose();
    // the learned network, the same data
    const learned = createNetwork({ ...architecture(id, 'learned', id === 'lenet-300-100' ? {} : { dropout: 0 }), seed: 0 });
    const state = createTrainingState(learned, { momentum: 0.9, weightDecay: 1e-4 });
    row(label.replace(`K=${k}`, 'learned'), 'whole step', median(() => trainStep(state, batch, 0.01)));
    disposeTrainingState(state);
    learned.dispose();
    tf.dispose([x, y]);
  }
}
console.log(`Step profile, backend ${info.backend}, ${cpus()[0]?.model} x${cpus().length}, node ${process.version}, ${new Date().toISOString()}, median of ${reps}`);
console.log('| network | what | ms |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.net} | ${r.what} | ${r.ms.toFixed(2)} |`);
