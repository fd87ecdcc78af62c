import * as tf from '@tensorflow/tfjs-core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { SlotConfigError } from './errors';
import { createNetwork } from './network/Network';
import { argmaxSelection, type SelectionStrategy } from './selection';
import { argmaxStrategy } from './testStrategies.test-helpers';

/** Keeps option 0 where score 0 is positive, else the last option: a rule no argmax over K reproduces. */
const signRule = (s: tf.Tensor) =>
  tf.tidy(() => {
    const k = s.shape[s.rank - 1]!;
    const first = tf.squeeze(tf.slice(s, Array(s.rank).fill(0), [...s.shape.slice(0, -1), 1]), [s.rank - 1]);
    return tf.where(tf.greater(first, 0), tf.zeros(first.shape, 'int32'), tf.fill(first.shape, k - 1, 'int32'));
  });

describe('optional strategy hooks (selectEval, straightThroughScale, initialScores, requires)', () => {
  it('selectEval picks the selected network: test-time pass, selections, extract and sparsity', () => {
    const strategy: SelectionStrategy = { id: 'sign', select: signRule, selectEval: signRule };
    const net = createNetwork({ inputShape: [6], layers: [{ type: 'slotDense', units: 5 }], k: 2, zeroOption: true, seed: 3, strategy });
    const layer = net.slotLayers[0]!;
    // scores with both signs in column 0 and column 1 larger everywhere: argmax would pick the zero option everywhere
    const s = tf.tidy(() => tf.stack([tf.randomUniform([6, 5], -1, 1, 'float32', 4), tf.fill([6, 5], 2)], -1));
    net.setScores({ [layer.name]: s });
    const expected = Array.from(signRule(s).dataSync());
    const picked = net.selections()[layer.name]!;
    expect(Array.from(picked.dataSync())).toEqual(expected);
    expect(expected.filter((v) => v === 0).length).toBeGreaterThan(5); // both choices occur
    expect(expected.filter((v) => v === 1).length).toBeGreaterThan(5);
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 5);
    const plain = net.extract();
    const a = tf.tidy(() => Array.from(net.apply(x).dataSync()));
    const b = tf.tidy(() => Array.from(plain.apply(x).dataSync()));
    expect(a).toEqual(b);
    expect(net.sparsity().zero).toBe(expected.filter((v) => v === 1).length);
    const argmax = argmaxSelection(s);
    expect(Array.from(argmax.dataSync())).not.toEqual(expected);
    tf.dispose([s, picked, x, argmax]);
    plain.dispose();
    net.dispose();
  });

  it("straightThroughScale multiplies every score's straight-through gradient by φ'(s)", () => {
    const x = tf.randomNormal([8, 4], 0, 1, 'float32', 6);
    const gradient = (strategy: SelectionStrategy) => {
      const net = createNetwork({ inputShape: [4], layers: [{ type: 'slotDense', units: 3 }], k: 3, seed: 2, strategy });
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(net.apply(x, { training: true, step: 0 }))) as tf.Scalar);
      const g = Object.values(grads)[0]!;
      const scaled = tf.tidy(() => tf.mul(g, tf.sigmoid(net.slotLayers[0]!.source.scores)));
      const out = { g: Array.from(g.dataSync()), scaled: Array.from(scaled.dataSync()) };
      tf.dispose([grads, scaled]);
      net.dispose();
      return out;
    };
    const plain = gradient(argmaxStrategy);
    const scaled = gradient({ ...argmaxStrategy, straightThroughScale: (s) => tf.sigmoid(s) });
    plain.scaled.forEach((v, i) => expect(scaled.g[i]).toBeCloseTo(v, 6));
    expect(plain.g.some((v, i) => Math.abs(v - scaled.g[i]!) > 1e-4)).toBe(true);
    x.dispose();
  });

  it('initialScores replaces the init scheme, gets the layer fans and a derived seed, and is shape-checked', () => {
    const requests: Array<{ shape: readonly number[]; fanIn: number; fanOut: number; op: string; seed: number }> = [];
    const strategy: SelectionStrategy = {
      ...argmaxStrategy,
      initialScores: (r) => {
        requests.push(r);
        return tf.fill(r.shape as number[], r.fanIn);
      },
    };
    const net = createNetwork({ inputShape: [6, 6, 2], layers: [{ type: 'slotConv2d', filters: 4 }, { type: 'flatten' }, { type: 'slotDense', units: 3 }], k: 2, seed: 1, strategy });
    expect(requests.map((r) => [r.op, r.fanIn, r.fanOut, r.shape.join()])).toEqual([
      ['conv2d', 18, 36, '3,3,2,4,2'],
      ['dense', 144, 3, '144,3,2'],
    ]);
    expect(requests[0]!.seed).not.toBe(requests[1]!.seed);
    const s = net.slotLayers.map((l) => l.source.scores.dataSync()[0]);
    expect(s).toEqual([18, 144]);
    net.dispose();
    const wrong: SelectionStrategy = { ...argmaxStrategy, initialScores: () => tf.zeros([2]) };
    const before = tf.memory().numTensors;
    expect(() => createNetwork({ inputShape: [4], layers: [{ type: 'slotDense', units: 3 }], k: 2, seed: 1, strategy: wrong })).toThrow(
      "strategy 'test-argmax'.initialScores for",
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('requires: a network with another K or zero option is refused by name', () => {
    const strategy: SelectionStrategy = { ...argmaxStrategy, id: 'pruning', requires: { k: 2, zeroOption: true } };
    const build = (k: number, zeroOption: boolean) => createNetwork({ inputShape: [4], layers: [{ type: 'slotDense', units: 3 }], k, zeroOption, seed: 1, strategy });
    expect(() => build(8, true)).toThrow(SlotConfigError);
    expect(() => build(8, true)).toThrow("k: expected 2 for strategy 'pruning', got 8");
    expect(() => build(2, false)).toThrow("zeroOption: expected true for strategy 'pruning', got false");
    build(2, true).dispose();
  });

  it('leaks no tensor through the hooks (forward, gradient, selections)', async () => {
    const strategy: SelectionStrategy = { id: 'sign', select: signRule, selectEval: signRule, straightThroughScale: (s) => tf.sign(s), initialScores: (r) => tf.randomUniform(r.shape as number[], -1, 1, 'float32', r.seed) };
    const net = createNetwork({ inputShape: [4], layers: [{ type: 'slotDense', units: 3 }], k: 2, zeroOption: true, seed: 1, strategy });
    const x = tf.ones([2, 4]);
    await expectNoTensorLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(net.apply(x, { training: true, step: 1 })) as tf.Scalar);
      tf.dispose([value, grads]);
      tf.dispose(Object.values(net.selections()));
      tf.tidy(() => {
        net.apply(x);
      });
    });
    x.dispose();
    net.dispose();
  });
});
