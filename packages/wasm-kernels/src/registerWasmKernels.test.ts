import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak, maxAbsDiff, setTestBackend, testBackend } from '@slot-machines/test-utils';
import { registerWasmKernels } from './registerWasmKernels';

/** d/dfilter of sum(conv2d(x, filter)^2 * r): a loss with a non-trivial upstream gradient. */
function filterGradient(stride: number, padding: 'same' | 'valid'): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const loss = (f: tf.Tensor) => {
      const y = tf.conv2d(x, f as tf.Tensor4D, stride, padding);
      return tf.sum(tf.mul(tf.square(y), tf.randomUniform(y.shape, 0, 1, 'float32', 3)));
    };
    return tf.grad(loss)(filter).dataSync() as Float32Array;
  });
}

describe('registerWasmKernels', () => {
  it.each([
    [1, 'same'],
    [1, 'valid'],
  ] as const)('gives the conv2d filter gradient of the cpu backend (stride %i, %s)', async (stride, padding) => {
    const original = testBackend();
    registerWasmKernels();
    const results: Record<string, Float32Array> = {};
    for (const backend of ['cpu', 'wasm']) {
      await setTestBackend(backend);
      results[backend] = filterGradient(stride, padding);
    }
    await setTestBackend(original);
    const scale = Math.max(...Array.from(results.cpu!, Math.abs));
    expect(scale).toBeGreaterThan(0.1);
    expect(maxAbsDiff(results.wasm!, results.cpu!) / scale).toBeLessThan(1e-5);
  });

  it('refuses strides > 1 on wasm with a clear error', async () => {
    const original = testBackend();
    registerWasmKernels();
    await setTestBackend('wasm');
    expect(() => filterGradient(2, 'same')).toThrow(/only stride 1/);
    await setTestBackend(original);
  });

  it('is idempotent and leaks no tensor', async () => {
    registerWasmKernels();
    registerWasmKernels();
    await expectNoTensorLeak(() => filterGradient(1, 'same'));
  });
});
