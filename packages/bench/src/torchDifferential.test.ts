/**
 * Differential test against PyTorch (issue 12, item 0): the same options, initial scores or
 * weights and batches go to our trainer and to an independent torch implementation
 * (packages/bench/torch/differential.py: F.linear / F.conv2d on NCHW, its own straight-through
 * estimator, torch.optim.SGD); loss, gradients, selections and the updated variables are compared
 * step by step. See docs/guide/differential.md.
 *
 * Our side takes its steps with the trainer's own `trainStep` (what `train()` runs per batch,
 * whichever path it picks); the gradients compared are the core's (straight-through for the
 * scores), taken with tf.variableGrads at each step's state before the step.
 *
 * Tolerances (float32 on both sides, different summation orders):
 * - loss: |ours - torch| <= 1e-4 · max(1, |torch|)
 * - each gradient and each updated variable: max|ours - torch| <= 1e-4 · max|torch| + 1e-6
 * - selections (argmax of each step's scores before the update, ties to the lowest index) must
 *   agree wherever torch's top-1 minus top-2 score gap exceeds twice the scores' tolerance
 *   (within it, either side may win legitimately).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { architecture, type ArchitectureId, type Flavour } from '@slot-machines/architectures';
import { SLOT_UPDATE_KERNEL, createNetwork, type Network } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createTrainingState, disposeTrainingState, encodeTensorFile, trainStep } from '@slot-machines/trainer';
import { testBackend } from '@slot-machines/test-utils';
import { afterAll, describe, expect, it } from 'vitest';

const RTOL = 1e-4;
const ATOL = 1e-6;
const LOSS_TOL = 1e-4;
const SCRIPT = fileURLToPath(new URL('../torch/differential.py', import.meta.url));
const DEFAULT_VENV_PYTHON = join(homedir(), '.cache', 'slot-machines', 'torch-venv', 'bin', 'python');

// ---------------------------------------------------------------- finding a python with torch

interface TorchPython {
  readonly python: string | null;
  readonly version: string;
  /** One line: why there is no torch (empty when there is). */
  readonly reason: string;
}

/** SM_TORCH_PYTHON if set (and only it); else tools/ci/install-torch.sh's venv; else python3. */
function findTorchPython(): TorchPython {
  const explicit = process.env.SM_TORCH_PYTHON;
  const candidates = explicit ? [explicit] : [DEFAULT_VENV_PYTHON, 'python3'];
  const failures: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-W', 'ignore', '-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (probe.status === 0) return { python, version: probe.stdout.trim(), reason: '' };
    const why = probe.error ? probe.error.message : probe.stderr.trim().split('\n').at(-1) || `exit status ${probe.status}`;
    failures.push(`${python}: ${why}`);
  }
  const hint = explicit ? 'SM_TORCH_PYTHON has no torch' : 'install it with bash tools/ci/install-torch.sh or set SM_TORCH_PYTHON';
  return { python: null, version: '', reason: `no python with torch (${failures.join('; ')}); ${hint}` };
}

// ---------------------------------------------------------------- reading torch's files

interface RawTensor {
  readonly shape: number[];
  readonly data: Float32Array | Int32Array;
}

/** A safetensors file (F32/I32) as typed arrays, without making tf tensors. */
function readTensors(path: string): Map<string, RawTensor> {
  const bytes = readFileSync(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const start = 8 + headerLength;
  const out = new Map<string, RawTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = entry.data_offsets;
    const copy = bytes.buffer.slice(bytes.byteOffset + start + begin, bytes.byteOffset + start + end);
    const data = entry.dtype === 'F32' ? new Float32Array(copy) : entry.dtype === 'I32' ? new Int32Array(copy) : null;
    if (!data) throw new Error(`${path}: tensor '${name}' has dtype ${entry.dtype}`);
    out.set(name, { shape: entry.shape, data });
  }
  return out;
}

// ---------------------------------------------------------------- comparing

interface Check {
  readonly step: number;
  readonly what: 'loss' | 'grad' | 'variable' | 'selection';
  readonly name: string;
  /** max|ours - torch| (selections: number of disagreements beyond the gap tolerance). */
  readonly diff: number;
  /** max|torch| (selections: connections compared). */
  readonly scale: number;
  readonly tolerance: number;
  readonly ok: boolean;
  /** Selections only: disagreements inside the tie band (allowed). */
  readonly excused?: number;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** max|ours - torch| against RTOL · max|torch| + ATOL. */
function compareArrays(step: number, what: 'grad' | 'variable', name: string, ours: ArrayLike<number>, torch: ArrayLike<number>): Check {
  if (ours.length !== torch.length) throw new Error(`${what} ${name} step ${step}: ${ours.length} values here, ${torch.length} from torch`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ours.length; i++) {
    const b = torch[i]!;
    diff = Math.max(diff, Math.abs(ours[i]! - b));
    scale = Math.max(scale, Math.abs(b));
  }
  const tolerance = RTOL * scale + ATOL;
  return { step, what, name, diff, scale, tolerance, ok: diff <= tolerance && Number.isFinite(diff) };
}

function compareLoss(step: number, ours: number, torch: number): Check {
  const diff = Math.abs(ours - torch);
  const tolerance = LOSS_TOL * Math.max(1, Math.abs(torch));
  return { step, what: 'loss', name: 'loss', diff, scale: Math.abs(torch), tolerance, ok: diff <= tolerance };
}

/** Selections must agree where torch's top-2 gap exceeds `gapTolerance`. */
function compareSelections(step: number, name: string, ours: Int32Array, torch: Int32Array, gap: Float32Array, gapTolerance: number): Check {
  let bad = 0;
  let excused = 0;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i] === torch[i]) continue;
    if (gap[i]! > gapTolerance) bad++;
    else excused++;
  }
  return { step, what: 'selection', name, diff: bad, scale: ours.length, tolerance: gapTolerance, ok: bad === 0, excused };
}

// ---------------------------------------------------------------- one case

interface CaseSpec {
  readonly id: ArchitectureId;
  readonly flavour: Flavour;
  readonly batch: number;
  readonly steps: number;
  readonly learningRate: number;
  readonly seed: number;
}

const MOMENTUM = 0.9;
const WEIGHT_DECAY = 1e-4;
const K = 8;

function buildNetwork(spec: CaseSpec): Network {
  const arch = architecture(spec.id, spec.flavour, { dropout: 0 });
  return createNetwork({ ...arch, k: K, seed: spec.seed, strategy: createGreedyStrategy() });
}

/** Seeded batches: inputs U(0, 1) (MNIST-like range) or U(-1, 1) (normalised CIFAR-like), labels 0..9. */
function makeBatches(spec: CaseSpec, inputShape: readonly number[]): { xs: tf.Tensor[]; ys: tf.Tensor[] } {
  const low = inputShape.length === 3 && inputShape[2] === 3 ? -1 : 0;
  const xs: tf.Tensor[] = [];
  const ys: tf.Tensor[] = [];
  for (let t = 0; t < spec.steps; t++) {
    xs.push(tf.randomUniform([spec.batch, ...inputShape], low, 1, 'float32', spec.seed * 1000 + 2 * t));
    ys.push(tf.randomUniform([spec.batch], 0, 10, 'int32', spec.seed * 1000 + 2 * t + 1));
  }
  return { xs, ys };
}

/** Writes the case for differential.py: layer list and hyper-parameters, options, variables, batches. */
function writeInput(dir: string, spec: CaseSpec, network: Network, xs: tf.Tensor[], ys: tf.Tensor[], options: Record<string, tf.Tensor>): void {
  mkdirSync(dir, { recursive: true });
  const layers = network.config.layers.map((l, i) => ({ ...l, name: network.layers[i]!.name }));
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, o] of Object.entries(options)) tensors[`options/${name}`] = o;
  for (const [name, v] of Object.entries(network.namedVariables())) tensors[`variable/${name}`] = v;
  xs.forEach((x, t) => (tensors[`x/${t}`] = x));
  ys.forEach((y, t) => (tensors[`y/${t}`] = y));
  const meta = { layers, steps: spec.steps, learningRate: spec.learningRate, momentum: MOMENTUM, weightDecay: WEIGHT_DECAY };
  writeFileSync(join(dir, 'input.safetensors'), encodeTensorFile(tensors, { case: JSON.stringify(meta) }));
}

/** differential.py on `dirs`, running beside our steps; `exited` is set when it ends. */
interface TorchRun {
  readonly done: Promise<void>;
  exited: Error | 'ok' | null;
  /** Stops it (when our side failed first). */
  stop(): void;
}

function startTorch(python: string, dirs: string[]): TorchRun {
  const child = spawn(python, [SCRIPT, ...dirs], { stdio: ['ignore', 'ignore', 'pipe'] });
  const run: TorchRun = { done: Promise.resolve(), exited: null, stop: () => void (run.exited === null && child.kill()) };
  (run as { done: Promise<void> }).done = new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const fail = (error: Error) => {
      run.exited = error;
      reject(error);
    };
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) {
        run.exited = 'ok';
        resolve();
      } else fail(new Error(`differential.py exited with ${code}: ${stderr.trim().split('\n').slice(-8).join('\n')}`));
    });
  });
  run.done.catch(() => {}); // awaited by the caller; this only keeps an early failure from being "unhandled"
  return run;
}

/** Waits until torch has written `path` (each step's file appears by an atomic rename). */
async function torchFile(run: TorchRun, path: string): Promise<string> {
  for (;;) {
    if (existsSync(path)) return path;
    if (run.exited instanceof Error) throw run.exited;
    if (run.exited === 'ok') throw new Error(`differential.py finished without writing ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What our side computed for one step, as typed arrays (one step kept at a time, to bound memory). */
interface OurStep {
  grads: Map<string, Float32Array>;
  variables: Map<string, Float32Array>;
  selections: Map<string, Int32Array>;
  /** max|scores| before the step, per slot layer (for the selection gap tolerance). */
  scoreScale: Map<string, number>;
}

/**
 * dL/d(variable) of every trainable variable at the current state: the core's straight-through
 * gradient (scores) or the ordinary one (weights), of the loss `trainStep` minimises (the mean
 * softmax cross-entropy of a training pass at `step`). Nothing is updated.
 */
function ourGradients(network: Network, x: tf.Tensor, y: tf.Tensor, step: number): Map<string, Float32Array> {
  const trainable = Object.entries(network.namedVariables()).filter(([, v]) => v.trainable);
  const { value, grads } = tf.variableGrads(() => {
    const logits = network.apply(x, { training: true, step });
    return tf.losses.softmaxCrossEntropy(tf.oneHot(y, logits.shape[1]!), logits) as tf.Scalar;
  }, trainable.map(([, v]) => v));
  const out = new Map(trainable.map(([name, v]) => [name, grads[v.name]!.dataSync() as Float32Array]));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

/**
 * Per step: our gradients at the current state (`ourGradients`), the selections, then one real
 * step with the trainer's own `trainStep` on a `createTrainingState` (what `train()` runs per batch,
 * whichever path it takes: the reference one through `SGD.step`, or a fused one), then the loss it
 * reports and the updated variables; each compared with torch's file for that step as soon as
 * torch (running beside us) has written it. Returns the checks, our step-0 gradients if asked,
 * and whether `trainStep` went through `SGD.step`.
 */
async function runOursAndCompare(
  spec: CaseSpec,
  network: Network,
  xs: tf.Tensor[],
  ys: tf.Tensor[],
  torchDir: string,
  torch: TorchRun,
  keepStep0Grads = false,
  fused = true,
): Promise<{ checks: Check[]; step0Grads: Map<string, Float32Array>; viaSgdStep: boolean }> {
  const checks: Check[] = [];
  const step0Grads = new Map<string, Float32Array>();
  const state = createTrainingState(network, { momentum: MOMENTUM, weightDecay: WEIGHT_DECAY, fused });
  let viaSgdStep = false;
  try {
    // only to say which path ran; SGD.step itself runs unchanged
    const sgd = state.optimizer;
    const originalStep = sgd.step.bind(sgd);
    sgd.step = (...args: Parameters<typeof sgd.step>) => {
      viaSgdStep = true;
      return originalStep(...args);
    };
    for (let t = 0; t < spec.steps; t++) {
      const before = network.selections();
      const ours: OurStep = {
        grads: ourGradients(network, xs[t]!, ys[t]!, state.progress.step),
        variables: new Map(),
        selections: new Map(Object.entries(before).map(([n, sel]) => [n, sel.dataSync() as Int32Array])),
        scoreScale: new Map(network.slotLayers.map((l) => [l.name, maxAbs(l.source.scores.dataSync())])),
      };
      tf.dispose(Object.values(before));
      const { loss } = trainStep(state, { x: xs[t]!, y: ys[t]! }, spec.learningRate);
      const named = network.namedVariables();
      for (const name of state.trainableNames) ours.variables.set(name, named[name]!.dataSync() as Float32Array);

      const theirs = readTensors(await torchFile(torch, join(torchDir, `torch-step${t}.safetensors`)));
      const get = (key: string) => {
        const v = theirs.get(key);
        if (!v) throw new Error(`torch-step${t}: no '${key}'`);
        return v.data;
      };
      checks.push(compareLoss(t, loss, get('loss')[0]!));
      for (const [name, g] of ours.grads) checks.push(compareArrays(t, 'grad', name, g, get(`grad/${name}`)));
      for (const [name, v] of ours.variables) checks.push(compareArrays(t, 'variable', name, v, get(`variable/${name}`)));
      for (const [layer, sel] of ours.selections) {
        const gapTolerance = 2 * (RTOL * ours.scoreScale.get(layer)! + ATOL);
        checks.push(compareSelections(t, layer, sel, get(`selection/${layer}`) as Int32Array, get(`gap/${layer}`) as Float32Array, gapTolerance));
      }
      if (t === 0 && keepStep0Grads) for (const [n, g] of ours.grads) step0Grads.set(n, g);
    }
    expect(state.progress.step).toBe(spec.steps);
    expect(state.trainableNames.length).toBeGreaterThan(0);
    await torch.done;
  } finally {
    torch.stop();
    disposeTrainingState(state);
  }
  return { checks, step0Grads, viaSgdStep };
}

/** The worst check per (what, name) over the steps, as table lines. */
function summarise(label: string, checks: Check[]): string {
  const worst = new Map<string, Check>();
  for (const c of checks) {
    const key = `${c.what} ${c.name}`;
    const w = worst.get(key);
    const rel = (x: Check) => (x.what === 'selection' ? x.diff : x.diff / Math.max(x.tolerance, 1e-30));
    if (!w || rel(c) > rel(w)) worst.set(key, c);
  }
  const lines = [...worst.entries()].map(([key, c]) =>
    c.what === 'selection'
      ? `  ${key}: ${c.diff} disagreements beyond gap ${c.tolerance.toExponential(1)} (${c.excused} inside it) of ${c.scale} connections`
      : `  ${key}: max|diff| ${c.diff.toExponential(2)} (step ${c.step}), tolerance ${c.tolerance.toExponential(2)}${c.ok ? '' : '  FAIL'}`,
  );
  return `${label}\n${lines.join('\n')}`;
}

// ---------------------------------------------------------------- the tests

const torch = findTorchPython();
const backend = process.env.SM_TEST_BACKEND ?? 'cpu';
if (!torch.python) console.warn(`torchDifferential: skipped on ${backend}: ${torch.reason}`);
const skipNote = torch.python ? '' : ` (skipped: ${torch.reason})`;

/** The JS cpu backend is slow for CONV-2's convolutions (see docs/guide/differential.md); SM_TORCH_DIFF_CPU_CONV2=1 runs them anyway. */
const conv2OnCpu = backend !== 'cpu' || process.env.SM_TORCH_DIFF_CPU_CONV2 === '1';
const conv2CpuNote = conv2OnCpu ? '' : ' (skipped on cpu: its pure-JavaScript convolutions took over 10 minutes for this case; it runs on wasm and tensorflow)';

const work = mkdtempSync(join(tmpdir(), 'sm-torch-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LENET_SLOT: CaseSpec = { id: 'lenet-300-100', flavour: 'slot', batch: 16, steps: 5, learningRate: 0.2, seed: 7 };
const LENET_LEARNED: CaseSpec = { id: 'lenet-300-100', flavour: 'learned', batch: 16, steps: 5, learningRate: 0.01, seed: 7 };
const CONV2_SLOT: CaseSpec = { id: 'conv-2', flavour: 'slot', batch: 8, steps: 3, learningRate: 0.2, seed: 5 };
const CONV2_LEARNED: CaseSpec = { id: 'conv-2', flavour: 'learned', batch: 8, steps: 3, learningRate: 0.01, seed: 5 };

/** Builds, writes, runs torch, runs ours, compares; returns the checks (and keeps the network and inputs for the caller). */
async function differential(spec: CaseSpec, name: string, keepStep0Grads = false, fused = true) {
  const dir = join(work, `${name}-${testBackend()}`);
  const network = buildNetwork(spec);
  const options = Object.fromEntries(network.slotLayers.map((l) => [l.name, l.source.options]));
  const { xs, ys } = makeBatches(spec, network.inputShape);
  writeInput(dir, spec, network, xs, ys, options);
  const started = performance.now();
  const result = await runOursAndCompare(spec, network, xs, ys, dir, startTorch(torch.python!, [dir]), keepStep0Grads, fused);
  const seconds = (performance.now() - started) / 1000;
  rmSync(dir, { recursive: true, force: true }); // CONV-2 leaves about 1.2 GB of step files
  const path = result.viaSgdStep ? 'trainStep via SGD.step' : 'trainStep without SGD.step (fused path)';
  console.log(summarise(`torchDifferential ${name} on ${testBackend()} (torch ${torch.version}; ${spec.steps} steps, batch ${spec.batch}; ${path}; torch and ours side by side ${seconds.toFixed(1)} s):`, result.checks));
  return { ...result, network, xs, ys };
}

function expectAllWithinTolerance(checks: Check[]): void {
  const failed = checks.filter((c) => !c.ok);
  expect(failed, failed.map((c) => `${c.what} ${c.name} step ${c.step}: ${c.diff} > ${c.tolerance}`).join('; ')).toEqual([]);
  expect(checks.length).toBeGreaterThan(0);
}

describe.skipIf(!torch.python)(`differential test against PyTorch${skipNote}`, () => {
  it('Lenet-300-100, GS K=8: loss, score gradients, scores and selections match torch for 5 steps; a perturbed option is caught', { timeout: 180_000 }, async () => {
    const run = await differential(LENET_SLOT, 'lenet-slot', true);
    try {
      expectAllWithinTolerance(run.checks);
      // the default path: fused wherever the backend has the slot-update kernel (cpu, wasm, native)
      expect(run.viaSgdStep).toBe(tf.getKernel(SLOT_UPDATE_KERNEL, testBackend()) == null);
      expect(run.checks.filter((c) => c.what === 'selection').length).toBe(LENET_SLOT.steps * 3);

      // Not vacuous: change one unselected option where the step-0 score gradient is largest.
      // The forward pass is unchanged (that option is not selected), so only the straight-through
      // gradient of an unselected score can reveal it, and the comparison must.
      const layer = run.network.slotLayers[0]!;
      const grads = run.step0Grads.get(`${layer.name}/scores`)!;
      let at = 0;
      for (let i = 1; i < grads.length; i++) if (Math.abs(grads[i]!) > Math.abs(grads[at]!)) at = i;
      const connection = Math.floor(at / K);
      const fresh = buildNetwork(LENET_SLOT); // the same seed: the same initial scores and options
      const source = fresh.slotLayers[0]!.source;
      const chosen = source.selectedIndices();
      const selected = (chosen.dataSync() as Int32Array)[connection]!;
      chosen.dispose();
      const k = at % K === selected ? (selected + 1) % K : at % K;
      const perturbed = source.options.dataSync().slice() as Float32Array;
      perturbed[connection * K + k] = perturbed[connection * K + k]! + source.weightBound;
      const options = Object.fromEntries(fresh.slotLayers.map((l) => [l.name, l.source.options]));
      const perturbedOptions = { ...options, [layer.name]: tf.tensor(perturbed, source.options.shape) };
      const dir = join(work, `lenet-slot-perturbed-${testBackend()}`);
      writeInput(dir, LENET_SLOT, fresh, run.xs, run.ys, perturbedOptions);
      perturbedOptions[layer.name]!.dispose();
      fresh.dispose();
      const again = buildNetwork(LENET_SLOT);
      const caught = await runOursAndCompare(LENET_SLOT, again, run.xs, run.ys, dir, startTorch(torch.python!, [dir])).finally(() => {
        again.dispose();
        rmSync(dir, { recursive: true, force: true });
      });
      const failed = caught.checks.filter((c) => !c.ok);
      console.log(`torchDifferential sanity: one unselected option of ${layer.name} changed by ${layer.source.weightBound.toExponential(2)} -> ${failed.length} checks fail, first: ${failed[0]?.what} ${failed[0]?.name} step ${failed[0]?.step}`);
      expect(failed.some((c) => c.step === 0 && c.what === 'grad' && c.name === `${layer.name}/scores`)).toBe(true);
      expect(caught.checks.find((c) => c.step === 0 && c.what === 'loss')!.ok).toBe(true); // the forward pass did not change
    } finally {
      run.network.dispose();
      tf.dispose([...run.xs, ...run.ys]);
    }
  });

  it('Lenet-300-100, GS K=8 on the unfused reference path (SGD.step): matches torch for 5 steps', { timeout: 180_000 }, async () => {
    const run = await differential(LENET_SLOT, 'lenet-slot-unfused', false, false);
    try {
      expect(run.viaSgdStep).toBe(true);
      expectAllWithinTolerance(run.checks);
    } finally {
      run.network.dispose();
      tf.dispose([...run.xs, ...run.ys]);
    }
  });

  it('Lenet-300-100, learned weights: loss, weight gradients and weights match torch for 5 steps', { timeout: 180_000 }, async () => {
    const run = await differential(LENET_LEARNED, 'lenet-learned');
    try {
      expectAllWithinTolerance(run.checks);
    } finally {
      run.network.dispose();
      tf.dispose([...run.xs, ...run.ys]);
    }
  });

  it.skipIf(!conv2OnCpu)(`CONV-2 (same padding, dropout 0), GS K=8: matches torch for 3 steps${conv2CpuNote}`, { timeout: 600_000 }, async () => {
    const run = await differential(CONV2_SLOT, 'conv2-slot');
    try {
      expectAllWithinTolerance(run.checks);
    } finally {
      run.network.dispose();
      tf.dispose([...run.xs, ...run.ys]);
    }
  });

  it.skipIf(!conv2OnCpu)(`CONV-2 (same padding, dropout 0), learned weights: matches torch for 3 steps${conv2CpuNote}`, { timeout: 600_000 }, async () => {
    const run = await differential(CONV2_LEARNED, 'conv2-learned');
    try {
      expectAllWithinTolerance(run.checks);
    } finally {
      run.network.dispose();
      tf.dispose([...run.xs, ...run.ys]);
    }
  });
});
