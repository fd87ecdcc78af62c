import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setTestBackend, testBackend } from '@slot-machines/test-utils';
import { initRuntime } from './initRuntime';

// A real failure of the wasm backend: binaries that are not where wasmPaths says. In a file of its
// own, because a wasm backend that failed to start cannot be started again in the same process.
describe('initRuntime (web) when the wasm binaries are missing', () => {
  let original: string;
  beforeAll(() => {
    original = testBackend();
  });
  afterAll(async () => {
    await setTestBackend(original);
  });

  it("'auto' falls back to cpu, with the missing file in the notice and nothing printed", async ({ skip }) => {
    // On the wasm test project the setup file has started wasm already: it cannot fail any more.
    if (tf.findBackend('wasm') != null) skip();
    const warn = vi.spyOn(console, 'warn');
    const info = await initRuntime({ wasmPaths: '/nonexistent/wasm/' });
    expect(info).toMatchObject({ backend: 'cpu', simd: false, threads: 1 });
    expect(info.reason).toMatch(/^the wasm backend failed to start: ENOENT: no such file or directory, open '\/nonexistent\/wasm\/tfjs-backend-wasm(-simd)?\.wasm'$/);
    expect(info.notice).toMatch(/^The WebAssembly backend failed to start \(ENOENT: .*\): training runs on the much slower cpu backend$/);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
