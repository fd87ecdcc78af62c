import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, createNetwork } from '@slot-machines/core';
import { describeSelectionStrategy } from '@slot-machines/testing';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { createEdgePopupStrategy, topFraction } from './createEdgePopupStrategy';
import { createEdgePopupWeights } from './createEdgePopupWeights';

const ctx = { training: true, seed: 1, layerIndex: 0, step: 0 };

/** Indices of the connections kept (option 0) in a flat int32 array. */
const keptOf = (t: tf.Tensor) => Array.from(t.dataSync()).flatMap((v, i) => (v === 0 ? [i] : []));

describe('createEdgePopupStrategy', () => {
  it('keeps the top keepFraction of a layer by |score| (or by score), the rest take the zero option', () => {
    // option 0's scores: 10 connections; option 1's scores are never read
    const first = [0.3, -0.9, 0.1, 0.8, -0.2, 0.05, -0.6, 0.4, 0.7, -0.35];
    const scores = tf.tidy(() => tf.stack([tf.tensor1d(first), tf.fill([10], 5)], -1));
    const magnitude = topFraction(scores, 0.4, 'magnitude');
    expect(magnitude.dtype).toBe('int32');
    expect(keptOf(magnitude).sort((a, b) => a - b)).toEqual([1, 3, 6, 8]); // |s| 0.9, 0.8, 0.6, 0.7
    expect(Array.from(magnitude.dataSync()).filter((v) => v === 1)).toHaveLength(6);
    const score = topFraction(scores, 0.4, 'score');
    expect(keptOf(score).sort((a, b) => a - b)).toEqual([0, 3, 7, 8]); // s 0.3, 0.8, 0.4, 0.7
    // the authors' count: floor((1 - k) · n) dropped, the rest kept (k = 0.25 of 10: 7 dropped, 3 kept)
    expect(keptOf(tf.tidy(() => topFraction(scores, 0.25, 'magnitude')))).toHaveLength(3);
    expect(keptOf(tf.tidy(() => topFraction(scores, 1, 'magnitude')))).toHaveLength(10);
    tf.dispose([scores, magnitude, score]);
  });

  it('ranks layer-wide over conv shapes and returns [...S]', () => {
    const scores = tf.randomNormal([3, 3, 4, 8, 2], 0, 1, 'float32', 3);
    const picked = createEdgePopupStrategy({ keepFraction: 0.3 }).select(scores, ctx);
    expect(picked.shape).toEqual([3, 3, 4, 8]);
    const n = 3 * 3 * 4 * 8;
    const kept = keptOf(picked);
    expect(kept).toHaveLength(n - Math.floor(0.7 * n));
    const magnitudes = Array.from(tf.tidy(() => tf.abs(tf.slice(scores, [0, 0, 0, 0, 0], [3, 3, 4, 8, 1]))).dataSync());
    const smallestKept = Math.min(...kept.map((i) => magnitudes[i]!));
    const largestDropped = Math.max(...magnitudes.filter((_, i) => !kept.includes(i)));
    expect(smallestKept).toBeGreaterThan(largestDropped);
    tf.dispose([scores, picked]);
  });

  it('uses the same top-k network in training, at test time, in extract() and sparsity()', () => {
    const net = createNetwork({
      inputShape: [20],
      layers: [{ type: 'slotDense', units: 30 }, { type: 'relu' }, { type: 'slotDense', units: 5 }],
      k: 2,
      zeroOption: true,
      seed: 4,
      strategy: createEdgePopupStrategy({ keepFraction: 0.3 }),
      sharing: createEdgePopupWeights(),
    });
    const x = tf.randomNormal([4, 20], 0, 1, 'float32', 1);
    const plain = net.extract();
    const out = (n: typeof net, training: boolean) => tf.tidy(() => Array.from(n.apply(x, { training, step: 3 }).dataSync()));
    expect(out(net, true)).toEqual(out(net, false));
    expect(out(net, false)).toEqual(out(plain, false));
    const total = 20 * 30 + 30 * 5;
    const kept = 20 * 30 - Math.floor(0.7 * 20 * 30) + (30 * 5 - Math.floor(0.7 * 30 * 5));
    expect(net.sparsity()).toEqual({ zero: total - kept, total, fraction: (total - kept) / total });
    tf.dispose(x);
    plain.dispose();
    net.dispose();
  });

  it("draws the authors' scores U(-1/√fan_in, 1/√fan_in), or keeps the network's with scores: 'network'", () => {
    const build = (scores?: 'network') =>
      createNetwork({ inputShape: [400], layers: [{ type: 'slotDense', units: 50 }], k: 2, zeroOption: true, seed: 2, strategy: createEdgePopupStrategy(scores ? { scores } : {}) });
    const net = build();
    const s = net.slotLayers[0]!.source.scores.dataSync();
    expect(Math.max(...s)).toBeLessThanOrEqual(1 / 20);
    expect(Math.max(...s)).toBeGreaterThan(0.045);
    expect(Math.min(...s)).toBeLessThan(-0.045);
    const other = build('network');
    expect(Math.min(...other.slotLayers[0]!.source.scores.dataSync())).toBeGreaterThanOrEqual(0); // U(0, λσ)
    net.dispose();
    other.dispose();
  });

  it("multiplies the straight-through gradient by sign(s) when ranking |s|, not when ranking s", () => {
    const s = tf.tensor1d([-2, 0.5, 3, -0.1]);
    const scale = createEdgePopupStrategy().straightThroughScale!(s);
    expect(Array.from(scale.dataSync())).toEqual([-1, 1, 1, -1]);
    expect(createEdgePopupStrategy({ ranking: 'score' }).straightThroughScale).toBeUndefined();
    tf.dispose([s, scale]);
  });

  it('needs K = 2 with the zero option, and says so', () => {
    const build = (k: number, zeroOption: boolean) => () =>
      createNetwork({ inputShape: [4], layers: [{ type: 'slotDense', units: 3 }], k, zeroOption, seed: 1, strategy: createEdgePopupStrategy() });
    expect(build(8, true)).toThrow("k: expected 2 for strategy 'edge-popup', got 8");
    expect(build(2, false)).toThrow("zeroOption: expected true for strategy 'edge-popup', got false");
  });

  it('rejects bad options by name', () => {
    expect(() => createEdgePopupStrategy({ keepFraction: 0 })).toThrow(SlotConfigError);
    expect(() => createEdgePopupStrategy({ keepFraction: 1.5 })).toThrow('keepFraction: expected');
    expect(() => createEdgePopupStrategy({ ranking: 'random' as never })).toThrow("ranking: expected one of 'magnitude', 'score', got 'random'");
    expect(() => createEdgePopupStrategy({ scores: 'zeros' as never })).toThrow('scores: expected');
  });

  it('leaks no tensor in a training step of a network (forward, gradient, selections)', async () => {
    const net = createNetwork({ inputShape: [8], layers: [{ type: 'slotDense', units: 6 }], k: 2, zeroOption: true, seed: 1, strategy: createEdgePopupStrategy(), sharing: createEdgePopupWeights() });
    const x = tf.ones([2, 8]);
    await expectNoTensorLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(net.apply(x, { training: true, step: 1 })) as tf.Scalar);
      tf.dispose([value, grads, ...Object.values(net.selections())]);
    });
    x.dispose();
    net.dispose();
  });
});

// plain SGD on the teacher task; edge-popup's recipe rate is 0.1 with momentum 0.9 (about 1 without)
describeSelectionStrategy('edge-popup', () => createEdgePopupStrategy(), { learningRate: 1, steps: 150, teacherAccuracy: 0.8 });
// ranking s itself learns this task more slowly (seen: 0.785 after 200 steps at lr 2, cpu)
describeSelectionStrategy("edge-popup (ranking: 'score')", () => createEdgePopupStrategy({ ranking: 'score' }), { learningRate: 2, steps: 200, teacherAccuracy: 0.75 });
