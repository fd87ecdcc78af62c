import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak, maxAbsDiff, setTestBackend, testBackend } from '@slot-machines/test-utils';
import { registerWasmKernels } from './registerWasmKernels';
import { SLOT_UPDATE_IN_PLACE_KERNEL, SLOT_UPDATE_KERNEL, slotUpdateInPlaceSimdKernel, slotUpdateSimdKernel, slotUpdateSimdSupported } from './slotUpdateSimd';

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

  it('registers the SIMD slot update in place of a wasm kernel registered before it (core’s JS loop), once', () => {
    expect(slotUpdateSimdSupported()).toBe(true); // Node 20 has WebAssembly SIMD
    for (const name of [SLOT_UPDATE_KERNEL, SLOT_UPDATE_IN_PLACE_KERNEL]) {
      if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
      tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: () => [] });
    }
    registerWasmKernels();
    registerWasmKernels();
    expect(tf.getKernel(SLOT_UPDATE_KERNEL, 'wasm')!.kernelFunc).toBe(slotUpdateSimdKernel.kernelFunc);
    expect(tf.getKernel(SLOT_UPDATE_IN_PLACE_KERNEL, 'wasm')!.kernelFunc).toBe(slotUpdateInPlaceSimdKernel.kernelFunc);
  });

  it('refuses inputs the module would read past (it addresses the heap directly)', async () => {
    const original = testBackend();
    registerWasmKernels();
    await setTestBackend('wasm');
    const before = tf.memory().numTensors;
    const run = (gradShape: number[], dtype: 'float32' | 'int32' = 'float32', rule = 0) =>
      tf.tidy(() => {
        const scores = tf.zeros([3, 4]);
        const grad = tf.zeros(gradShape, dtype);
        return tf.engine().runKernel(SLOT_UPDATE_KERNEL, { scores, velocity: scores, options: scores, grad, uniforms: tf.zeros([0]) }, { lr: 0.1, momentum: 0, weightDecay: 0, rule });
      });
    expect(() => run([2])).toThrow(/SlotMachinesSlotUpdate on wasm: grad: expected 3 values/);
    expect(() => run([3], 'int32')).toThrow(/grad: expected float32, got int32/);
    expect(() => run([3], 'float32', 1)).toThrow(/uniforms: expected 3 values/);
    expect(tf.memory().numTensors).toBe(before);
    await setTestBackend(original);
  });
});
