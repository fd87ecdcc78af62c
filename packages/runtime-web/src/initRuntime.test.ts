import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoTensorLeak, maxAbsDiff, setTestBackend, testBackend, trainingGradients } from '@slot-machines/test-utils';
import { initRuntime, initRuntimeWith } from './initRuntime';
import { webRuntimeHost, type WasmBackendModule, type WebRuntimeHost } from './runtimeHost';
import type { WebBackendPreference } from './types';
import { WASM_BINARY_NAMES } from './wasmBinaryNames';

// The unit tests run in Node, where the package's own dist folder stands in for the app's server.
const wasmDir = `${join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
const NOT_ISOLATED =
  'one thread: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
const SLOW = 'training runs on the much slower cpu backend';

/** The real host, except that the calls made on the wasm package are recorded. */
function recordingHost(): { host: WebRuntimeHost; calls: Array<[string, unknown]> } {
  const calls: Array<[string, unknown]> = [];
  const host: WebRuntimeHost = {
    ...webRuntimeHost,
    overrideLogicalCores: (count) => {
      calls.push(['overrideLogicalCores', count]);
      return () => calls.push(['restoreLogicalCores', count]);
    },
    importWasm: async (): Promise<WasmBackendModule> => {
      const wasm = await webRuntimeHost.importWasm();
      return {
        setWasmPaths: (paths, usePlatformFetch) => {
          calls.push(['setWasmPaths', paths]);
          wasm.setWasmPaths(paths, usePlatformFetch);
        },
        setThreadsCount: (count) => {
          calls.push(['setThreadsCount', count]);
          wasm.setThreadsCount(count);
        },
        getThreadsCount: () => wasm.getThreadsCount(),
      };
    },
  };
  return { host, calls };
}

describe('initRuntime (web)', () => {
  let original: string;
  beforeAll(() => {
    original = testBackend();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await setTestBackend(original);
  });

  it("'auto' starts wasm with SIMD, single-threaded on a page that is not cross-origin isolated, and logs nothing", async () => {
    const log = vi.spyOn(console, 'log');
    const error = vi.spyOn(console, 'error');
    const info = await initRuntime({ wasmPaths: wasmDir });
    expect(info).toEqual({ backend: 'wasm', simd: true, threads: 1, reason: `WebAssembly is available; ${NOT_ISOLATED}` });
    expect(info).not.toHaveProperty('notice');
    expect(tf.backend()).toBeInstanceOf(BackendWasm);
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('leaves the choice of the threaded binary to tfjs on a cross-origin isolated page, and passes a thread count on', async () => {
    vi.stubGlobal('crossOriginIsolated', true);
    const { host, calls } = recordingHost();
    const info = await initRuntimeWith({ wasmPaths: wasmDir, threads: 4 }, host);
    expect(calls).toEqual([
      ['setWasmPaths', wasmDir],
      ['setThreadsCount', 4],
    ]);
    // Node has no WebAssembly threads (tfjs-backend-wasm never loads its threaded binary there).
    expect(info).toEqual({ backend: 'wasm', simd: true, threads: 1, reason: 'WebAssembly is available; one thread: this browser has no WebAssembly threads' });
  });

  // Seen in Chromium on a 2-core machine: left to itself, tfjs-backend-wasm 4.22 sizes its pool at
  // half the logical cores and caps any count asked for there too, so an isolated page ran on one thread.
  it.each([
    [2, 2, [['overrideLogicalCores', 4], ['restoreLogicalCores', 4]]],
    [6, 6, [['overrideLogicalCores', 12], ['restoreLogicalCores', 12]]],
    [16, 8, []],
  ])('asks for one thread per logical core (at most the 8 pooled workers) on an isolated page: %i cores, %i threads', async (cores, threads, overrides) => {
    vi.stubGlobal('crossOriginIsolated', true);
    const { host, calls } = recordingHost();
    await initRuntimeWith({ wasmPaths: wasmDir }, { ...host, logicalCores: () => cores });
    expect(calls).toEqual([['setWasmPaths', wasmDir], ['setThreadsCount', threads], ...overrides]);
  });

  it('leaves the thread count to tfjs where the core count is unknown, and asks for none on a page that is not isolated', async () => {
    vi.stubGlobal('crossOriginIsolated', true);
    const unknown = recordingHost();
    await initRuntimeWith({ wasmPaths: wasmDir }, { ...unknown.host, logicalCores: () => undefined });
    expect(unknown.calls).toEqual([['setWasmPaths', wasmDir]]);
    vi.stubGlobal('crossOriginIsolated', false);
    const plain = recordingHost();
    await initRuntimeWith({ wasmPaths: wasmDir }, { ...plain.host, logicalCores: () => 4 });
    expect(plain.calls).toEqual([['setWasmPaths', wasmDir]]);
  });

  it('presents more logical cores only while the backend starts, then restores navigator as it was', () => {
    const inherited = Object.create({ hardwareConcurrency: 2 }) as { hardwareConcurrency: number };
    vi.stubGlobal('navigator', inherited);
    const restore = webRuntimeHost.overrideLogicalCores(4);
    expect(inherited.hardwareConcurrency).toBe(4);
    restore();
    expect(inherited.hardwareConcurrency).toBe(2);
    expect(Object.hasOwn(inherited, 'hardwareConcurrency')).toBe(false);
    const own = { hardwareConcurrency: 3 };
    vi.stubGlobal('navigator', own);
    webRuntimeHost.overrideLogicalCores(8)();
    expect(own.hardwareConcurrency).toBe(3);
  });

  it('turns threads off when asked, whatever the page', async () => {
    vi.stubGlobal('crossOriginIsolated', true);
    const { host, calls } = recordingHost();
    const info = await initRuntimeWith({ threads: false, backend: 'wasm' }, host);
    expect(info).toEqual({ backend: 'wasm', simd: true, threads: 1, reason: 'requested' });
    expect(calls).toEqual([]);
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('accepts one URL per binary, as bundlers hand them out', async () => {
    const { host, calls } = recordingHost();
    const paths = Object.fromEntries(WASM_BINARY_NAMES.map((name) => [name, `${wasmDir}${name}`]));
    await initRuntimeWith({ wasmPaths: paths as never }, host);
    expect(calls).toEqual([['setWasmPaths', paths]]);
  });

  it("'cpu' starts cpu, as requested, without a notice", async () => {
    const info = await initRuntime({ backend: 'cpu' });
    expect(info).toEqual({ backend: 'cpu', simd: false, threads: 1, reason: 'requested' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it("'auto' falls back to cpu with a notice to show when the browser has no WebAssembly", async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const info = await initRuntime();
    expect(info).toEqual({
      backend: 'cpu',
      simd: false,
      threads: 1,
      reason: 'WebAssembly is unavailable in this browser',
      notice: `WebAssembly is unavailable in this browser: ${SLOW}`,
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it("'auto' falls back to cpu with a notice naming the cause when the wasm backend will not start", async () => {
    const blocked: WebRuntimeHost = { ...webRuntimeHost, importWasm: () => Promise.reject(new Error('blocked by Content-Security-Policy')) };
    const info = await initRuntimeWith(undefined, blocked);
    expect(info).toEqual({
      backend: 'cpu',
      simd: false,
      threads: 1,
      reason: 'the wasm backend failed to start: blocked by Content-Security-Policy',
      notice: `The WebAssembly backend failed to start (blocked by Content-Security-Policy): ${SLOW}`,
    });
  });

  it("'wasm' rejects instead of falling back", async () => {
    vi.stubGlobal('WebAssembly', undefined);
    await expect(initRuntime({ backend: 'wasm' })).rejects.toThrow("initRuntime: backend 'wasm' was requested but WebAssembly is unavailable in this browser");
  });

  it.each([
    [{ backend: 'tensorflow' }, /backend: expected one of 'auto', 'wasm', 'cpu', got 'tensorflow'/],
    [{ threads: 0 }, /threads: expected true, false or an integer >= 1, got 0/],
    [{ threads: 'max' }, /threads: expected true, false or an integer >= 1, got 'max'/],
    [{ wasmPaths: '/wasm' }, /wasmPaths: expected a URL prefix ending in '\/'/],
    [{ wasmPaths: { 'tfjs-backend-wasm.wasm': '/a.wasm' } }, /missing 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'/],
    [
      { wasmPaths: { 'tfjs-backend-wasm.wasm': '/a', 'tfjs-backend-wasm-simd.wasm': '/b', 'tfjs-backend-wasm-threaded-simd.wasm': '/c', 'tfjs-backend-wasm-simd.was': '/d' } },
      /unknown 'tfjs-backend-wasm-simd.was'/,
    ],
    [null, /options: expected an object or undefined, got null/],
  ])('rejects bad options %j with a message naming the field', async (options, message) => {
    await expect(initRuntime(options as never)).rejects.toThrow(message);
  });

  it('registers the gradients training needs, equal across backends', async () => {
    const results: Record<string, { dense: Float32Array; conv: Float32Array }> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await initRuntime({ backend });
      for (const kernel of ['Mean', 'Relu', 'BatchMatMul', 'Conv2D', 'MaxPool', 'Sum']) expect(tf.getGradient(kernel)).toBeDefined();
      results[backend] = trainingGradients();
    }
    expect(maxAbsDiff(results.wasm!.dense, results.cpu!.dense)).toBeLessThan(1e-5);
    expect(maxAbsDiff(results.wasm!.conv, results.cpu!.conv)).toBeLessThan(1e-4);
  });

  it('leaves exactly one engine, whose registry holds the backend it started', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      const info = await initRuntime({ backend });
      expect((globalThis as { _tfengine?: unknown })._tfengine).toBe(tf.engine());
      expect(tf.engine().backendName).toBe(info.backend);
      expect(tf.findBackend(info.backend)).toBe(tf.backend());
    }
  });

  it.each<WebBackendPreference>(['auto', 'wasm', 'cpu'])("creates no lingering tensors ('%s'), also when called again", async (backend) => {
    await expectNoTensorLeak(() => initRuntime({ backend }));
    await expectNoTensorLeak(() => initRuntime({ backend }));
  });
});
