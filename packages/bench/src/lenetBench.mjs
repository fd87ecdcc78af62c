// pnpm bench: ms per training step and s per epoch of Lenet-300-100 on MNIST (batch 128, the
// paper's recipe) for GS K=2, 8, 64 and the learned-weights network, on each backend asked for,
// all in one process so the ratios compare like with like. Runs on the built packages.
//
//   node packages/bench/src/lenetBench.mjs [--backends wasm,tensorflow] [--configs gs-k2,gs-k8,gs-k64,gs-k8-unfused,learned]
//                                          [--subset N] [--json FILE] [--torch on|off]
//
// Without --backends: wasm, then the native backend (tensorflow) when @tensorflow/tfjs-node loads
// (in this repository: bash packages/runtime-node/scripts/install-native.sh --project packages/runtime-node);
// when it does not, one line says why and the table has wasm only. Backends named in --backends
// must start.
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { architecture } from '@slot-machines/architectures';
import { createNetwork, slotUpdateInPlaceWasmKernel, slotUpdateWasmKernel } from '@slot-machines/core';
import { MNIST_STANDARDIZE, createBatchIterator, splitValidation } from '@slot-machines/datasets';
import { loadBundledMnist } from '@slot-machines/datasets/node';
import { initRuntime } from '@slot-machines/runtime-node';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { recipeDefaults, train } from '@slot-machines/trainer';

// GS runs take the fused slot kernels (the trainer's default); the `-unfused` ones the reference path
const CONFIGS = {
  'gs-k2': { label: 'GS K=2', k: 2, flavour: 'slot', fused: true },
  'gs-k8': { label: 'GS K=8', k: 8, flavour: 'slot', fused: true },
  'gs-k64': { label: 'GS K=64', k: 64, flavour: 'slot', fused: true },
  'gs-k2-unfused': { label: 'GS K=2 unfused', k: 2, flavour: 'slot', fused: false },
  'gs-k8-unfused': { label: 'GS K=8 unfused', k: 8, flavour: 'slot', fused: false },
  'gs-k64-unfused': { label: 'GS K=64 unfused', k: 64, flavour: 'slot', fused: false },
  // wasm only: the fused step on core's JS loop over the heap instead of the SIMD module, to compare the routes
  'gs-k8-js': { label: 'GS K=8 JS loop', k: 8, flavour: 'slot', fused: true, jsLoop: true },
  learned: { label: 'learned weights', k: 1, flavour: 'learned', fused: false },
};
/** Float32 values of training state per connection: options, scores and momentum (slot) or weight and momentum (learned). */
const stateBytes = (config) => 4 * (config.flavour === 'learned' ? 2 : 3 * config.k);

const { values } = parseArgs({
  options: {
    backends: { type: 'string' },
    configs: { type: 'string', default: 'gs-k2,gs-k8,gs-k64,gs-k8-unfused,learned' },
    subset: { type: 'string' },
    json: { type: 'string', default: 'test-output/bench.json' },
    torch: { type: 'string', default: 'on' },
  },
});
const backends = (values.backends ?? 'wasm,tensorflow').split(',');
const optional = values.backends === undefined ? new Set(['tensorflow']) : new Set();
const configs = values.configs.split(',');
for (const c of configs) if (!CONFIGS[c]) throw new Error(`--configs: unknown '${c}', expected some of ${Object.keys(CONFIGS).join(', ')}`);

/** Registers `configs` in place of the kernels of their names; returns the ones replaced (to restore). */
function useKernels(configs) {
  const replaced = [];
  for (const config of configs) {
    const existing = tf.getKernel(config.kernelName, config.backendName);
    if (existing) {
      replaced.push(existing);
      tf.unregisterKernel(config.kernelName, config.backendName);
    }
    tf.registerKernel(config);
  }
  return replaced;
}

const mnist = await loadBundledMnist();
const split = splitValidation(mnist, { fraction: 0.15, seed: 0 });
const rows = split.train.slice(0, values.subset ? Number(values.subset) : split.train.length);
const results = [];

for (const backend of backends) {
  let info;
  try {
    info = await initRuntime({ backend, log: (line) => console.error(line) });
  } catch (error) {
    if (!optional.has(backend)) throw error;
    console.error(`bench: no ${backend} rows: ${error.message.split('. ')[0]}`);
    continue;
  }
  for (const key of configs) {
    const config = CONFIGS[key];
    const spec = architecture('lenet-300-100', config.flavour);
    const network =
      config.flavour === 'learned'
        ? createNetwork({ ...spec, seed: 0 })
        : createNetwork({ ...spec, seed: 0, k: config.k, strategy: createGreedyStrategy() });
    const recipe = recipeDefaults(config.flavour === 'learned' ? { flavour: 'learned' } : { flavour: 'slot', strategy: createGreedyStrategy(), k: config.k });
    const data = createBatchIterator(mnist, { batchSize: 128, indices: rows, seed: 0, normalization: MNIST_STANDARDIZE });
    // the JS-loop route: core's wasm kernels in place of the registered (SIMD) ones for this run
    const swapped = config.jsLoop && info.backend === 'wasm' ? useKernels([slotUpdateWasmKernel, slotUpdateInPlaceWasmKernel]) : [];
    const stepTimes = [];
    let last = performance.now();
    const started = last;
    await train({
      network,
      data: { train: data },
      config: { epochs: 1, learningRate: recipe.learningRate, weightDecay: recipe.weightDecay, schedule: { type: 'constant' } },
      fused: config.fused,
      onStep: () => {
        const now = performance.now();
        stepTimes.push(now - last);
        last = now;
      },
    });
    const epochSeconds = (performance.now() - started) / 1000;
    useKernels(swapped);
    network.dispose();
    const steady = stepTimes.slice(3).sort((a, b) => a - b); // the first steps warm up kernels
    const median = steady[Math.floor(steady.length / 2)];
    results.push({ backend: info.backend, simd: info.simd, config: key, label: config.label, fused: config.fused, stateBytesPerConnection: stateBytes(config), steps: stepTimes.length, msPerStep: median, secondsPerEpoch: epochSeconds, tensorsLeft: tf.memory().numTensors });
    console.error(`${info.backend} ${config.label}: ${median.toFixed(1)} ms/step, ${epochSeconds.toFixed(1)} s/epoch (${stepTimes.length} steps)`);
  }
}

// The PyTorch CPU peer, in the same run (same sizes and recipe): where `import torch` works in
// $SM_TORCH_PYTHON, the venv of tools/ci/install-torch.sh, or python3; one line says why otherwise.
if (values.torch !== 'off') {
  const candidates = [process.env.SM_TORCH_PYTHON, join(homedir(), '.cache/slot-machines/torch-venv/bin/python'), 'python3'].filter(Boolean);
  const python = candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
  if (!python) console.error(`bench: no pytorch rows: none of ${candidates.join(', ')} imports torch (bash tools/ci/install-torch.sh installs the CPU build)`);
  else {
    const torchConfigs = configs.filter((c) => !c.endsWith('-unfused'));
    const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'torch', 'lenet_bench.py');
    const out = spawnSync(python, [script, '--configs', torchConfigs.join(','), '--steps', '40'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`bench: the PyTorch peer failed: ${out.stderr.trim().split('\n').at(-1)}`);
    for (const line of out.stdout.trim().split('\n')) {
      const row = JSON.parse(line);
      const config = CONFIGS[row.config];
      results.push({ backend: 'pytorch', simd: false, config: row.config, label: config.label.replace(' unfused', ''), fused: false, stateBytesPerConnection: stateBytes(config), steps: 40, msPerStep: row.msPerStep, secondsPerEpoch: null, torch: row.torch, threads: row.threads });
      console.error(`pytorch ${row.torch} (${row.threads} threads) ${config.label}: ${row.msPerStep.toFixed(1)} ms/step`);
    }
  }
}

const base = (backend) => results.find((r) => r.backend === backend && r.config === 'learned');
const torchRow = (config) => results.find((r) => r.backend === 'pytorch' && r.config === config.replace('-unfused', ''));
const wasmRow = (config) => results.find((r) => r.backend === 'wasm' && r.config === config);
const lines = [
  `Lenet-300-100 on MNIST, batch 128, ${rows.length} training images per epoch (one epoch per configuration)`,
  `machine: ${cpus()[0]?.model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ${new Date().toISOString()}`,
  '',
  '| backend | network | ms/step (median) | s/epoch | step time vs learned | step time vs wasm | vs PyTorch | state bytes / connection |',
  '|---|---|---|---|---|---|---|---|',
  ...results.map((r) => {
    const b = base(r.backend);
    const w = wasmRow(r.config);
    const t = torchRow(r.config);
    return `| ${r.backend}${r.simd ? ' (SIMD)' : ''} | ${r.label} | ${r.msPerStep.toFixed(1)} | ${r.secondsPerEpoch === null ? '-' : r.secondsPerEpoch.toFixed(1)} | ${b ? `${(r.msPerStep / b.msPerStep).toFixed(2)}x` : '-'} | ${w && r.backend !== 'wasm' ? `${(r.msPerStep / w.msPerStep).toFixed(2)}x` : '-'} | ${t && r.backend !== 'pytorch' ? `${(r.msPerStep / t.msPerStep).toFixed(2)}x` : '-'} | ${r.stateBytesPerConnection} |`;
  }),
];
console.log(lines.join('\n'));
mkdirSync(dirname(values.json), { recursive: true });
writeFileSync(values.json, `${JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, images: rows.length, results }, null, 2)}\n`);
