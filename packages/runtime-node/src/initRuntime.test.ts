import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { availableParallelism } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoTensorLeak, maxAbsDiff, setTestBackend, tensorflowAvailable, testBackend, trainingGradients } from '@slot-machines/test-utils';
import { initRuntime } from './initRuntime';
import type { NodeBackendPreference } from './types';

const quiet = { log: () => {} };
/** Whether @tensorflow/tfjs-node loads on this machine (vitest.config.ts probes it once per run). */
const native = tensorflowAvailable();
/** The backends this machine can run, native first. */
const backends = native ? (['tensorflow', 'wasm', 'cpu'] as const) : (['wasm', 'cpu'] as const);

describe('initRuntime (node)', () => {
  let original: string;
  beforeAll(() => {
    original = testBackend();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await setTestBackend(original);
  });

  it.runIf(native)("'auto' picks native TensorFlow when @tensorflow/tfjs-node loads, and says so in one line", async () => {
    const lines: string[] = [];
    const info = await initRuntime({ log: (line) => lines.push(line) });
    const reason = expect.stringMatching(/^@tensorflow\/tfjs-node 4\.22\.0 is installed \(libtensorflow 2\.\d+\.\d+\)$/);
    expect(info).toEqual({ backend: 'tensorflow', simd: false, threads: availableParallelism(), reason });
    expect(lines).toEqual([`slot-machines: backend tensorflow (native, ${info.threads} thread${info.threads === 1 ? '' : 's'}): ${info.reason}`]);
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it.runIf(!native)("'auto' falls back to wasm when @tensorflow/tfjs-node is missing or does not load, and says why in one line", async () => {
    const lines: string[] = [];
    const info = await initRuntime({ log: (line) => lines.push(line) });
    // not installed (users), or installed without its native part (this repository before install-native.sh)
    const reason = expect.stringMatching(/^@tensorflow\/tfjs-node (is not installed|4\.22\.0 is installed without its native part \(bash \S*install-native\.sh( --project \S+)? builds it, see docs\/guide\/native\.md\)|4\.22\.0 is installed but failed to load: \S.*)$/);
    expect(info).toEqual({ backend: 'wasm', simd: true, threads: 1, reason });
    expect(lines).toEqual([`slot-machines: backend wasm (SIMD, 1 thread): ${info.reason}`]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('logs to stderr (console.error) by default', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await initRuntime({ backend: 'cpu' });
    expect(error).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith('slot-machines: backend cpu (plain JavaScript, 1 thread): requested');
  });

  it("'wasm' starts wasm with the package's binaries and the slot machines kernels", async () => {
    const info = await initRuntime({ ...quiet, backend: 'wasm', threads: 2 });
    expect(info).toEqual({ backend: 'wasm', simd: true, threads: 1, reason: 'requested' });
    expect(tf.backend()).toBeInstanceOf(BackendWasm);
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it("'cpu' starts cpu without tfjs's banner recommending tfjs-node", async () => {
    const warn = vi.spyOn(console, 'warn');
    const info = await initRuntime({ ...quiet, backend: 'cpu' });
    expect(info).toEqual({ backend: 'cpu', simd: false, threads: 1, reason: 'requested' });
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync());
    expect(warn).not.toHaveBeenCalled();
  });

  it.runIf(!native)("'tensorflow' rejects with what to install or build and where the guide is", async () => {
    const attempt = initRuntime({ ...quiet, backend: 'tensorflow' });
    await expect(attempt).rejects.toThrow(/backend 'tensorflow' was requested but @tensorflow\/tfjs-node (is not installed|4\.22\.0 is installed without its native part|4\.22\.0 is installed but failed to load)/);
    await expect(attempt).rejects.toThrow(/install-native\.sh( --project \S+)? \(the CLI: slot-machines native install\)/);
    await expect(attempt).rejects.toThrow(/docs\/guide\/native\.md/);
  });

  it.runIf(native)("'tensorflow' starts native TensorFlow on libtensorflow", async () => {
    const info = await initRuntime({ ...quiet, backend: 'tensorflow' });
    expect(info).toEqual({ backend: 'tensorflow', simd: false, threads: availableParallelism(), reason: 'requested' });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()))).toEqual([11]);
  });

  it.each([
    [{ backend: 'gpu' }, /backend: expected one of 'auto', 'tensorflow', 'wasm', 'cpu', got 'gpu'/],
    [{ threads: 0 }, /threads: expected an integer >= 1, got 0/],
    [{ threads: 2.5 }, /threads: expected an integer >= 1, got 2.5/],
    [{ log: 'stderr' }, /log: expected a function/],
    [null, /options: expected an object or undefined, got null/],
  ])('rejects bad options %j with a message naming the field', async (options, message) => {
    await expect(initRuntime(options as never)).rejects.toThrow(message);
  });

  it('registers the gradients training needs on every backend, equal across backends', async () => {
    const results: Record<string, { dense: Float32Array; conv: Float32Array }> = {};
    for (const backend of backends) {
      await initRuntime({ ...quiet, backend });
      for (const kernel of ['Mean', 'Relu', 'BatchMatMul', 'Conv2D', 'MaxPool', 'Sum']) expect(tf.getGradient(kernel)).toBeDefined();
      results[backend] = trainingGradients();
    }
    for (const backend of backends.filter((b) => b !== 'cpu')) {
      expect(maxAbsDiff(results[backend]!.dense, results.cpu!.dense), backend).toBeLessThan(1e-5);
      expect(maxAbsDiff(results[backend]!.conv, results.cpu!.conv), backend).toBeLessThan(1e-4);
    }
    expect(Math.max(...Array.from(results.cpu!.conv, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('leaves exactly one engine, whose registry holds the backend the backend package created', async () => {
    for (const backend of backends) {
      const info = await initRuntime({ ...quiet, backend });
      expect((globalThis as { _tfengine?: unknown })._tfengine).toBe(tf.engine());
      expect(tf.engine().backendName).toBe(info.backend);
      expect(tf.findBackend(info.backend)).toBe(tf.backend());
    }
    expect(tf.findBackend('wasm')).toBeInstanceOf(BackendWasm);
  });

  it.each<NodeBackendPreference>(['auto', ...backends])("creates no lingering tensors ('%s'), also when called again", async (backend) => {
    await expectNoTensorLeak(() => initRuntime({ ...quiet, backend }));
    await expectNoTensorLeak(() => initRuntime({ ...quiet, backend }));
  });
});
