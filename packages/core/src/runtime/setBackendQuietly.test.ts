import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setTestBackend, testBackend } from '@slot-machines/test-utils';
import { oneLine, setBackendQuietly } from './setBackendQuietly';

describe('setBackendQuietly', () => {
  let original: string;
  beforeAll(() => {
    original = testBackend();
  });
  afterAll(async () => {
    await setTestBackend(original);
  });

  it("turns tfjs's warnings about a backend that fails to start into one reason, printing none", async () => {
    tf.registerBackend('broken-for-test', () => Promise.reject(new Error('wasm binary not found\n  at fetch')), 0);
    const warn = vi.spyOn(console, 'warn');
    try {
      await expect(setBackendQuietly('broken-for-test')).resolves.toEqual({ ok: false, why: 'wasm binary not found' });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      tf.removeBackend('broken-for-test');
    }
  });

  it("starts a working backend (this project's)", async () => {
    await expect(setBackendQuietly(original)).resolves.toEqual({ ok: true });
    expect(tf.getBackend()).toBe(original);
  });

  it("reports an Emscripten abort's cause rather than tfjs's generic advice", async () => {
    tf.registerBackend(
      'aborting-for-test',
      async () => {
        // What the wasm backend prints when its binary is missing, then rejects with.
        console.warn("Aborted(Error: ENOENT: no such file or directory, open '/app/tfjs-backend-wasm-simd.wasm')");
        throw { message: 'Make sure the server can serve the `.wasm` file relative to the bundled js file.' };
      },
      0,
    );
    try {
      await expect(setBackendQuietly('aborting-for-test')).resolves.toEqual({
        ok: false,
        why: "ENOENT: no such file or directory, open '/app/tfjs-backend-wasm-simd.wasm'",
      });
    } finally {
      tf.removeBackend('aborting-for-test');
    }
  });

  it('takes the first non-empty line of any rejection', () => {
    expect(oneLine(new Error('first line\nsecond line'))).toBe('first line');
    expect(oneLine({ message: 'plain object rejection' })).toBe('plain object rejection');
    expect(oneLine('a string')).toBe('a string');
  });
});
