import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
// core is not a dependency of runtime-node: its JS loop is the reference the native op must equal
import { slotUpdate, slotUpdateLoop } from '../../core/src/fused/slotUpdate';
import { NATIVE_SLOT_UPDATE, nativeSlotOpsStatus, registerNativeSlotOps } from './nativeSlotOps';

// the project's backend (the setup file selects it before the tests run, after this module is collected)
const onTensorflow = process.env.SM_TEST_BACKEND === 'tensorflow';
// .ci/run sets SM_TEST_TENSORFLOW=1: there the native op must load, or CI fails here
const required = process.env.SM_TEST_TENSORFLOW === '1';

describe.runIf(onTensorflow)('the native fused slot op (SlotMachinesSlotUpdate on tensorflow)', () => {
  it(`is registered as the tensorflow backend's ${NATIVE_SLOT_UPDATE} kernel${required ? ' (SM_TEST_TENSORFLOW=1)' : ''}`, () => {
    const status = registerNativeSlotOps();
    if (!required && !status.loaded) {
      console.warn(`nativeSlotOps.test: the native op is not loaded (${status.why}); SM_TEST_TENSORFLOW=1 makes that a failure`);
      return;
    }
    expect(status, JSON.stringify(nativeSlotOpsStatus())).toMatchObject({ loaded: true });
    expect(tf.getKernel(NATIVE_SLOT_UPDATE, 'tensorflow')).not.toBeNull();
  });

  /** slotUpdate() on tensorflow (the native op) against slotUpdateLoop (the cpu and wasm kernels), bit for bit. */
  function check(shape: number[], rule: 0 | 1 | 2, opts: { shared?: boolean; weightDecay?: number; momentum?: number; ties?: boolean; zeroRows?: boolean; seed?: number } = {}) {
    const k = shape.at(-1)!;
    const n = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const seed = opts.seed ?? 7;
    const scores = tf.tidy(() => {
      let s = tf.randomNormal(shape, 0, 1, 'float32', seed);
      if (opts.ties) s = tf.round(tf.mul(s, 2)); // many equal scores: argmax ties go to the lowest index
      if (opts.zeroRows) s = tf.mul(s, tf.cast(tf.greater(tf.randomUniform([...shape.slice(0, -1), 1], 0, 1, 'float32', seed + 9), 0.5), 'float32'));
      return s;
    });
    const velocity = tf.randomNormal(shape, 0, 0.1, 'float32', seed + 1);
    const options = opts.shared ? tf.randomUniform([k], -1, 1, 'float32', seed + 2) : tf.randomUniform(shape, -1, 1, 'float32', seed + 2);
    const grad = opts.zeroRows ? tf.zeros(shape.slice(0, -1)) : tf.randomNormal(shape.slice(0, -1), 0, 1, 'float32', seed + 3);
    const uniforms = rule === 0 ? undefined : tf.randomUniform(shape.slice(0, -1), 0, 1, 'float32', seed + 4);
    const attrs = { lr: 0.3, momentum: opts.momentum ?? 0.9, weightDecay: opts.weightDecay ?? 1e-3, rule: (['argmax', 'softmax', 'proportional'] as const)[rule] };
    const out = slotUpdate({ scores, velocity, options, grad, ...(uniforms ? { uniforms } : {}) }, attrs);
    const expected = { scores: new Float32Array(n * k), velocity: new Float32Array(n * k), indices: new Int32Array(n), weights: new Float32Array(n) };
    slotUpdateLoop(
      scores.dataSync() as Float32Array,
      velocity.dataSync() as Float32Array,
      options.dataSync() as Float32Array,
      opts.shared === true,
      grad.dataSync() as Float32Array,
      uniforms ? (uniforms.dataSync() as Float32Array) : null,
      attrs.lr,
      attrs.momentum,
      attrs.weightDecay,
      rule,
      expected.scores,
      expected.velocity,
      expected.indices,
      expected.weights,
      k,
    );
    expect(out.scores.shape).toEqual(shape);
    expect(out.indices.shape).toEqual(shape.slice(0, -1));
    expect(out.indices.dtype).toBe('int32');
    const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let differ = 0;
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
      return differ;
    };
    expect(same(out.scores.dataSync(), expected.scores), 'scores that differ').toBe(0);
    expect(same(out.velocity.dataSync(), expected.velocity), 'velocities that differ').toBe(0);
    expect(same(out.indices.dataSync(), expected.indices), 'indices that differ').toBe(0);
    expect(same(out.weights.dataSync(), expected.weights), 'chosen weights that differ').toBe(0);
    tf.dispose([scores, velocity, options, grad, ...(uniforms ? [uniforms] : []), ...Object.values(out)]);
  }

  const loaded = () => tf.getKernel(NATIVE_SLOT_UPDATE, 'tensorflow') != null;

  it.each([
    ['argmax', [7, 3, 5], 0, {}],
    ['argmax with ties', [40, 30, 8], 0, { ties: true }],
    ['argmax, shared options, no weight decay', [50, 8], 0, { shared: true, weightDecay: 0 }],
    ['argmax, first step (momentum 0)', [20, 64], 0, { momentum: 0 }],
    ['softmax sampling', [60, 30, 8], 1, {}],
    ['softmax sampling K=64', [40, 64], 1, { shared: true }],
    ['proportional sampling with all-zero rows', [60, 30, 8], 2, { zeroRows: true, weightDecay: 0, momentum: 0 }],
    ['proportional sampling', [300, 8], 2, { shared: true }],
    // large enough for TensorFlow's thread pool to split the connections
    ['argmax across worker threads', [784, 300, 8], 0, { seed: 11 }],
    ['softmax across worker threads', [300, 100, 64], 1, { seed: 12 }],
  ] as const)('equals slotUpdateLoop (the cpu and wasm kernels) bit for bit: %s', (_name, shape, rule, opts) => {
    if (!loaded()) return;
    check([...shape], rule, opts);
  });

  it('rejects inputs that do not fit, with the message of the op', () => {
    if (!loaded()) return;
    const scores = tf.zeros([4, 3]);
    const bad = tf.zeros([5]);
    expect(() =>
      tf.engine().runKernel(NATIVE_SLOT_UPDATE, { scores, velocity: scores, options: scores, grad: bad, uniforms: tf.zeros([0]) }, { lr: 0.1, momentum: 0, weightDecay: 0, rule: 0 }),
    ).toThrow(/grad: expected 4 values/);
    tf.dispose([scores, bad]);
  });
});
