import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak, testBackend } from '@slot-machines/test-utils';
import {
  SLOT_UPDATE_IN_PLACE_KERNEL,
  SLOT_UPDATE_KERNEL,
  registerSlotKernels,
  slotUpdate,
  slotUpdateInPlace,
  slotUpdateLoop,
  slotUpdateWasmKernel,
  type FusedRule,
  type SlotUpdateAttrs,
} from './slotUpdate';
import { FUSED_RULE_CODES } from './slotUpdate';

/** Random inputs for `n` connections of `k` options; options hold exact zeros (the zero option) and ties. */
function inputs(n: number, k: number, shared: boolean, seed: number) {
  const random = mulberry(seed);
  const normal = (scale: number) => () => scale * (random() + random() + random() - 1.5);
  const fill = (size: number, f: () => number) => Float32Array.from({ length: size }, f);
  const options = fill(shared ? k : n * k, () => (random() < 0.15 ? 0 : 2 * random() - 1));
  const scores = fill(n * k, normal(1));
  const velocity = fill(n * k, normal(0.1));
  // exact ties in the updated scores (same score, velocity and option), across SIMD lanes and
  // within one, so that "the first of the maximum" is exercised
  const twins = [k - 1, 1, 4].filter((j) => j > 0 && j < k);
  twins.forEach((j, t) => {
    if (shared) options[j] = options[0]!;
    for (let i = t; i < n; i += twins.length + 1) {
      scores[i * k + j] = scores[i * k]!;
      velocity[i * k + j] = velocity[i * k]!;
      if (!shared) options[i * k + j] = options[i * k]!;
    }
  });
  return { scores, velocity, options, grad: fill(n, normal(1)), uniforms: fill(n, random) };
}

/** Small seeded generator for test data (mulberry32). */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What core's JS loop computes on copies of the same arrays: the bits every kernel must give. */
function expected(data: ReturnType<typeof inputs>, n: number, k: number, shared: boolean, attrs: SlotUpdateAttrs) {
  const out = { scores: new Float32Array(n * k), velocity: new Float32Array(n * k), indices: new Int32Array(n), weights: new Float32Array(n) };
  slotUpdateLoop(
    data.scores.slice(),
    data.velocity.slice(),
    data.options.slice(),
    shared,
    data.grad.slice(),
    attrs.rule === 'argmax' ? null : data.uniforms.slice(),
    attrs.lr,
    attrs.momentum,
    attrs.weightDecay,
    FUSED_RULE_CODES[attrs.rule],
    out.scores,
    out.velocity,
    out.indices,
    out.weights,
    k,
  );
  return out;
}

/**
 * A variable holding `values` alone (refCount 1), as a training state's scores are: the in-place
 * kernel runs only on such buffers. `tf.variable(t)` shares `t`'s buffer, so `t` goes with the tidy.
 */
function own(values: Float32Array, shape: number[]): tf.Variable {
  // a copy: the cpu backend keeps the array a tensor is made from, and the update writes into it
  const v = tf.tidy(() => tf.variable(tf.tensor(values.slice(), shape)));
  const backend = tf.backend() as unknown as { refCount?(id: object): number };
  if (typeof backend.refCount === 'function') expect(backend.refCount(v.dataId)).toBe(1);
  return v;
}

/** Bits of a float array, so that equality is exact (NaN included, -0 apart from 0). */
const bits = (a: tf.TypedArray | Float32Array) => Array.from(new Uint32Array(Float32Array.from(a as Float32Array).buffer));

const cases: Array<[rule: FusedRule, k: number, shared: boolean, weightDecay: number, momentum: number]> = [
  ['argmax', 8, false, 1e-4, 0.9],
  ['argmax', 8, true, 0, 0.9],
  ['argmax', 64, false, 1e-4, 0],
  ['argmax', 5, false, 1e-3, 0.9],
  ['argmax', 2, true, 1e-4, 0.9],
  ['argmax', 1, false, 1e-4, 0.9],
  ['softmax', 8, false, 1e-4, 0.9],
  ['softmax', 3, true, 0, 0.9],
  ['proportional', 8, false, 0, 0.9],
  ['proportional', 6, true, 1e-4, 0],
];

describe(`the ${SLOT_UPDATE_KERNEL} kernel of this backend`, () => {
  it('is, on wasm, the SIMD module of @slot-machines/wasm-kernels, not core’s JS loop over the heap', () => {
    registerSlotKernels();
    if (testBackend() !== 'wasm') return;
    for (const name of [SLOT_UPDATE_KERNEL, SLOT_UPDATE_IN_PLACE_KERNEL]) {
      const kernel = tf.getKernel(name, 'wasm');
      expect(kernel, name).not.toBeNull();
      expect(kernel!.kernelFunc, name).not.toBe(slotUpdateWasmKernel.kernelFunc);
    }
  });

  it.each(cases)('%s, K=%i, shared options %s, wd %f, momentum %f: the JS loop’s bits, out of place and in place', (rule, k, shared, weightDecay, momentum) => {
    registerSlotKernels();
    const n = 301; // not a multiple of anything the kernels might split by
    const data = inputs(n, k, shared, 11 * k + (shared ? 1 : 0));
    const attrs: SlotUpdateAttrs = { lr: rule === 'argmax' ? 0.3 : 25, momentum, weightDecay, rule };
    const want = expected(data, n, k, shared, attrs);
    const tensors = {
      options: tf.tensor(data.options, shared ? [k] : [n, k]),
      grad: tf.tensor(data.grad, [n]),
      ...(rule === 'argmax' ? {} : { uniforms: tf.tensor(data.uniforms, [n]) }),
    };
    const scores = tf.tensor(data.scores, [n, k]);
    const velocity = tf.tensor(data.velocity, [n, k]);
    const out = slotUpdate({ scores, velocity, ...tensors }, attrs);
    expect(bits(out.scores.dataSync())).toEqual(bits(want.scores));
    expect(bits(out.velocity.dataSync())).toEqual(bits(want.velocity));
    expect(Array.from(out.indices.dataSync())).toEqual(Array.from(want.indices));
    expect(bits(out.weights.dataSync())).toEqual(bits(want.weights));
    // in place (the kernel where the backend has one: cpu, wasm)
    const s = own(data.scores, [n, k]);
    const v = own(data.velocity, [n, k]);
    const choice = slotUpdateInPlace(s, v, tensors, attrs);
    expect(bits(s.dataSync())).toEqual(bits(want.scores));
    expect(bits(v.dataSync())).toEqual(bits(want.velocity));
    expect(Array.from(choice.indices.dataSync())).toEqual(Array.from(want.indices));
    expect(bits(choice.weights.dataSync())).toEqual(bits(want.weights));
    tf.dispose([scores, velocity, s, v, ...Object.values(tensors), ...Object.values(out), ...Object.values(choice)]);
  });

  it('detects a wrong result: another learning rate changes the bits', () => {
    const n = 40;
    const k = 8;
    const data = inputs(n, k, false, 5);
    const want = expected(data, n, k, false, { lr: 0.3, momentum: 0.9, weightDecay: 1e-4, rule: 'argmax' });
    const out = tf.tidy(() => ({ ...slotUpdate({ scores: tf.tensor(data.scores, [n, k]), velocity: tf.tensor(data.velocity, [n, k]), options: tf.tensor(data.options, [n, k]), grad: tf.tensor(data.grad, [n]) }, { lr: 0.31, momentum: 0.9, weightDecay: 1e-4, rule: 'argmax' }) }));
    expect(bits(out.scores.dataSync())).not.toEqual(bits(want.scores));
    tf.dispose(Object.values(out));
  });

  it('gives the same bits after the heap grows between calls', () => {
    registerSlotKernels();
    const n = 257;
    const k = 8;
    const data = inputs(n, k, false, 3);
    const attrs: SlotUpdateAttrs = { lr: 25, momentum: 0.9, weightDecay: 1e-4, rule: 'softmax' };
    const want = expected(data, n, k, false, attrs);
    const rest = { options: tf.tensor(data.options, [n, k]), grad: tf.tensor(data.grad, [n]), uniforms: tf.tensor(data.uniforms, [n]) };
    // a first call, so that whatever the kernel keeps (the wasm module's instance) exists before the growth
    const a = { s: own(data.scores, [n, k]), v: own(data.velocity, [n, k]) };
    const first = slotUpdateInPlace(a.s, a.v, rest, attrs);
    expect(bits(a.s.dataSync())).toEqual(bits(want.scores));
    const heap = () => (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.buffer.byteLength ?? 0;
    const heapBefore = heap();
    // 64 MB more than the tests allocated so far: the wasm heap has to grow (views made before go stale)
    const big = tf.fill([16 * 1024 * 1024], 1);
    if (testBackend() === 'wasm') expect(heap()).toBeGreaterThan(heapBefore);
    const b = { s: own(data.scores, [n, k]), v: own(data.velocity, [n, k]) };
    const choice = slotUpdateInPlace(b.s, b.v, rest, attrs);
    expect(bits(b.s.dataSync())).toEqual(bits(want.scores));
    expect(bits(b.v.dataSync())).toEqual(bits(want.velocity));
    expect(Array.from(choice.indices.dataSync())).toEqual(Array.from(want.indices));
    expect(bits(choice.weights.dataSync())).toEqual(bits(want.weights));
    tf.dispose([big, a.s, a.v, b.s, b.v, ...Object.values(rest), ...Object.values(first), ...Object.values(choice)]);
  });

  it('leaks no tensor', async () => {
    registerSlotKernels();
    const data = inputs(20, 4, false, 9);
    await expectNoTensorLeak(() => {
      const t = { scores: tf.tensor(data.scores, [20, 4]), velocity: tf.tensor(data.velocity, [20, 4]), options: tf.tensor(data.options, [20, 4]), grad: tf.tensor(data.grad, [20]), uniforms: tf.tensor(data.uniforms, [20]) };
      const out = slotUpdate(t, { lr: 1, momentum: 0.9, weightDecay: 0, rule: 'softmax' });
      const s = own(data.scores, [20, 4]);
      const v = own(data.velocity, [20, 4]);
      const choice = slotUpdateInPlace(s, v, t, { lr: 1, momentum: 0.9, weightDecay: 0, rule: 'proportional' });
      tf.dispose([...Object.values(t), ...Object.values(out), ...Object.values(choice), s, v]);
    });
  });
});
