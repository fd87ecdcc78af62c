import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setTestBackend, testBackend } from '@slot-machines/test-utils';
import { initRuntimeWith } from './initRuntime';
import { nodeRuntimeHost, type NodeRuntimeHost } from './runtimeHost';

/** The real host with some parts replaced: broken or present native installs, a wasm that will not start. */
function host(overrides: Partial<NodeRuntimeHost>): NodeRuntimeHost {
  return { ...nodeRuntimeHost, ...overrides };
}

const brokenNative = host({
  tensorflowVersion: () => '4.22.0',
  importTensorflow: () => Promise.reject(new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory\n    at Module._extensions..node')),
});
// Whatever this machine has: these tests play tfjs-node absent.
const wasmBlocked = { tensorflowVersion: () => undefined, importWasm: () => Promise.reject(new Error('WebAssembly.instantiate(): blocked by policy')) };

describe('initRuntime choosing among backends (node)', () => {
  let original: string;
  beforeAll(() => {
    original = testBackend();
  });
  afterAll(async () => {
    await setTestBackend(original);
  });

  it("'auto' falls back to wasm when tfjs-node is installed but fails to load, quoting the error's first line", async () => {
    const lines: string[] = [];
    const info = await initRuntimeWith({ log: (line) => lines.push(line) }, brokenNative);
    const reason = '@tensorflow/tfjs-node 4.22.0 is installed but failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory';
    expect(info).toEqual({ backend: 'wasm', simd: true, threads: 1, reason });
    expect(lines).toEqual([`slot-machines: backend wasm (SIMD, 1 thread): ${reason}`]);
  });

  it("'tensorflow' rejects with the load error when tfjs-node is installed but broken", async () => {
    await expect(initRuntimeWith({ backend: 'tensorflow', log: () => {} }, brokenNative)).rejects.toThrow(
      /requested but @tensorflow\/tfjs-node 4\.22\.0 is installed but failed to load: libtensorflow\.so\.2.*docs\/guide\/native\.md/,
    );
    // how to build it offline, with the script this package ships
    await expect(initRuntimeWith({ backend: 'tensorflow', log: () => {} }, brokenNative)).rejects.toThrow(/Build its native part offline with bash \S*install-native\.sh/);
  });

  it("'auto' says a tfjs-node installed without its addon needs building, not that it failed", async () => {
    const notBuilt = host({
      tensorflowVersion: () => '4.22.0',
      importTensorflow: () =>
        Promise.reject(new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \nPlease run command ...')),
    });
    const lines: string[] = [];
    const info = await initRuntimeWith({ log: (line) => lines.push(line) }, notBuilt);
    expect(info.backend).toBe('wasm');
    expect(info.reason).toMatch(/^@tensorflow\/tfjs-node 4\.22\.0 is installed without its native part \(bash \S*install-native\.sh( --project \S+)? builds it, see docs\/guide\/native\.md\)$/);
    expect(lines).toEqual([`slot-machines: backend wasm (SIMD, 1 thread): ${info.reason}`]);
    await expect(initRuntimeWith({ backend: 'tensorflow', log: () => {} }, notBuilt)).rejects.toThrow(/Build its native part offline with bash \S*install-native\.sh/);
  });

  it('does not load a tfjs-node whose version differs from tfjs-core (two cores)', async () => {
    const importTensorflow = vi.fn(() => Promise.resolve({}));
    const info = await initRuntimeWith({ log: () => {} }, host({ tensorflowVersion: () => '4.21.0', importTensorflow }));
    expect(importTensorflow).not.toHaveBeenCalled();
    expect(info.backend).toBe('wasm');
    expect(info.reason).toBe('@tensorflow/tfjs-node 4.21.0 does not match @tensorflow/tfjs-core 4.22.0 (install @tensorflow/tfjs-node@4.22.0)');
  });

  it("'auto' picks tensorflow when tfjs-node loads and registers its backend", async () => {
    const lines: string[] = [];
    let played = false;
    const native = host({
      tensorflowVersion: () => '4.22.0',
      // Plays @tensorflow/tfjs-node: registering the 'tensorflow' backend is what its (first) import
      // does. Where the real one is registered already (the tensorflow project), it is used.
      importTensorflow: async () => {
        if (tf.findBackendFactory('tensorflow') != null) return;
        tf.registerBackend('tensorflow', () => new MathBackendCPU(), 0);
        played = true;
      },
      cores: () => 8,
    });
    try {
      const info = await initRuntimeWith({ log: (line) => lines.push(line) }, native);
      const reason = played ? '@tensorflow/tfjs-node 4.22.0 is installed' : expect.stringMatching(/^@tensorflow\/tfjs-node 4\.22\.0 is installed \(libtensorflow 2\.\d+\.\d+\)$/);
      expect(info).toEqual({ backend: 'tensorflow', simd: false, threads: 8, reason });
      expect(lines).toEqual([`slot-machines: backend tensorflow (native, 8 threads): ${info.reason}`]);
    } finally {
      if (played) tf.removeBackend('tensorflow');
    }
  });

  it("'auto' falls back to cpu when wasm will not start either, naming both reasons", async () => {
    const lines: string[] = [];
    const info = await initRuntimeWith({ log: (line) => lines.push(line) }, host(wasmBlocked));
    const reason = '@tensorflow/tfjs-node is not installed; the wasm backend failed to start: WebAssembly.instantiate(): blocked by policy';
    expect(info).toEqual({ backend: 'cpu', simd: false, threads: 1, reason });
    expect(lines).toEqual([`slot-machines: backend cpu (plain JavaScript, 1 thread): ${reason}`]);
    expect(tf.getBackend()).toBe('cpu');
  });

  it("'wasm' rejects instead of falling back when wasm will not start", async () => {
    await expect(initRuntimeWith({ backend: 'wasm', log: () => {} }, host(wasmBlocked))).rejects.toThrow(
      "initRuntime: backend 'wasm' was requested but the wasm backend failed to start: WebAssembly.instantiate(): blocked by policy",
    );
  });

  it("'auto' rejects, listing every reason, when no backend starts", async () => {
    const nothing = host({ ...wasmBlocked, importCpu: () => Promise.reject(new Error('cpu package missing')) });
    const log = vi.fn();
    await expect(initRuntimeWith({ log }, nothing)).rejects.toThrow(
      'initRuntime: no backend could be started: @tensorflow/tfjs-node is not installed; the wasm backend failed to start: WebAssembly.instantiate(): blocked by policy; the cpu backend failed to start: cpu package missing',
    );
    expect(log).not.toHaveBeenCalled();
  });
});
