import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, createNetwork } from '@slot-machines/core';
import { describeSelectionStrategy } from '@slot-machines/testing';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { createSupermaskStrategy } from './createSupermaskStrategy';
import { createSupermaskWeights } from './createSupermaskWeights';

const ctx = (seed: number) => ({ training: true, seed, layerIndex: 0, step: 0 });

describe('createSupermaskStrategy', () => {
  it('keeps each weight with probability sigmoid(score 0), one seeded draw per connection', () => {
    const logits = [-2, -0.5, 0, 1, 3];
    const n = 20_000;
    // every logit on n connections; score 1 (never read) set high so an argmax would always drop
    const scores = tf.tidy(() => tf.stack([tf.reshape(tf.tile(tf.tensor2d([logits]), [n, 1]), [n * 5]), tf.fill([n * 5], 9)], -1));
    const picked = createSupermaskStrategy().select(scores, ctx(3));
    expect(picked.dtype).toBe('int32');
    const values = picked.dataSync();
    logits.forEach((m, j) => {
      let kept = 0;
      for (let i = 0; i < n; i++) if (values[i * 5 + j] === 0) kept++;
      const p = 1 / (1 + Math.exp(-m));
      // within 4.5 standard errors of Bernoulli(p)
      expect(Math.abs(kept / n - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n));
    });
    expect(new Set(values)).toEqual(new Set([0, 1]));
    tf.dispose([scores, picked]);
  });

  it("passes the straight-through gradient through the sigmoid: dL/dm = dL/dW_eff · w · σ'(m)", () => {
    const s = tf.tensor1d([-3, 0, 2]);
    const scale = createSupermaskStrategy().straightThroughScale!(s);
    const expected = [-3, 0, 2].map((m) => {
      const p = 1 / (1 + Math.exp(-m));
      return p * (1 - p);
    });
    Array.from(scale.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    tf.dispose([s, scale]);
  });

  it('starts every score at 0 (p = 0.5) and needs K = 2 with the zero option', () => {
    const build = (k: number, zeroOption: boolean) =>
      createNetwork({ inputShape: [6], layers: [{ type: 'slotDense', units: 4 }], k, zeroOption, seed: 1, strategy: createSupermaskStrategy() });
    const net = build(2, true);
    expect(new Set(net.slotLayers[0]!.source.scores.dataSync())).toEqual(new Set([0]));
    net.dispose();
    expect(() => build(4, true)).toThrow("k: expected 2 for strategy 'supermask', got 4");
    expect(() => build(2, false)).toThrow("zeroOption: expected true for strategy 'supermask', got false");
  });

  it('samples at test time by default, thresholds with evalMode: threshold; extract() is the thresholded mask', () => {
    const make = (evalMode: 'sample' | 'threshold') =>
      createNetwork({
        inputShape: [20],
        layers: [{ type: 'slotDense', units: 30 }],
        k: 2,
        zeroOption: true,
        seed: 4,
        strategy: createSupermaskStrategy({ evalMode }),
        sharing: createSupermaskWeights(),
      });
    const x = tf.randomNormal([2, 20], 0, 1, 'float32', 1);
    const m = tf.tidy(() => tf.stack([tf.randomNormal([20, 30], 0, 1, 'float32', 2), tf.zeros([20, 30])], -1));
    const sampling = make('sample');
    const thresholding = make('threshold');
    for (const n of [sampling, thresholding]) n.setScores({ [n.slotLayers[0]!.name]: m });
    const plain = sampling.extract();
    const out = (n: typeof plain, step = 0) => tf.tidy(() => Array.from(n.apply(x, { step }).dataSync()));
    expect(out(thresholding)).toEqual(out(plain));
    expect(out(sampling)).not.toEqual(out(plain));
    // the thresholded network keeps exactly the weights with m > 0
    const positive = Array.from(m.dataSync()).filter((v, i) => i % 2 === 0 && v > 0).length;
    expect(sampling.sparsity().zero).toBe(600 - positive);
    tf.dispose([x, m]);
    for (const n of [sampling, thresholding, plain]) n.dispose();
  });

  it('rejects unknown options by name', () => {
    expect(() => createSupermaskStrategy({ evalMode: 'expected' as never })).toThrow(SlotConfigError);
    expect(() => createSupermaskStrategy({ evalMode: 'expected' as never })).toThrow("evalMode: expected one of 'sample', 'threshold', got 'expected'");
  });

  it('leaks no tensor in a training step of a network (forward, gradient, selections)', async () => {
    const net = createNetwork({ inputShape: [8], layers: [{ type: 'slotDense', units: 6 }], k: 2, zeroOption: true, seed: 1, strategy: createSupermaskStrategy(), sharing: createSupermaskWeights() });
    const x = tf.ones([2, 8]);
    await expectNoTensorLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(net.apply(x, { training: true, step: 1 })) as tf.Scalar);
      tf.dispose([value, grads, ...Object.values(net.selections())]);
      tf.tidy(() => {
        net.apply(x, { step: 2 });
      });
    });
    x.dispose();
    net.dispose();
  });
});

// plain SGD on the teacher task at the paper's very large rate (100; the recipe adds momentum 0.9)
describeSelectionStrategy('supermask', () => createSupermaskStrategy({ evalMode: 'threshold' }), { stochastic: true, learningRate: 100, steps: 150, teacherAccuracy: 0.8 });
describeSelectionStrategy('supermask (sampled evaluation)', () => createSupermaskStrategy(), { stochastic: true, learningRate: 100, steps: 150, teacherAccuracy: 0.75 });
