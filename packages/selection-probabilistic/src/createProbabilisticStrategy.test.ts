import { describeSelectionStrategy } from '@slot-machines/testing';
import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, argmaxSelection, createNetwork } from '@slot-machines/core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { createProbabilisticStrategy, sampleShareAt, temperatureAt, type ProbabilisticOptions } from './createProbabilisticStrategy';

const ctx = (seed: number) => ({ training: true, seed, layerIndex: 0, step: 0 });

/** Draw counts per option over `n` connections that all hold the scores `row`. */
function drawCounts(row: number[], n: number, seed: number, normalize: 'softmax' | 'proportional', extra: ProbabilisticOptions = {}, step = 0): number[] {
  const strategy = createProbabilisticStrategy({ normalize, ...extra });
  const picks = tf.tidy(() => strategy.select(tf.tile(tf.tensor2d([row]), [n, 1]), { ...ctx(seed), step }));
  const counts = new Array(row.length).fill(0) as number[];
  for (const k of picks.dataSync()) counts[k]! += 1;
  picks.dispose();
  return counts;
}

/** Pearson's chi-square statistic of `counts` against probabilities `p` (options with p = 0 must have no draws). */
function chiSquare(counts: number[], p: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((sum, c, k) => (p[k]! === 0 ? sum : sum + (c - n * p[k]!) ** 2 / (n * p[k]!)), 0);
}

const softmax = (row: number[]) => {
  const e = row.map(Math.exp);
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
};

// chi-square critical value for 3 degrees of freedom at p = 0.001
const CHI2_3DF_999 = 16.27;

describe('createProbabilisticStrategy', () => {
  const row = [0.5, 1.0, -0.3, 2.0];

  it('draws with the frequencies of softmax(s) (chi-square, fixed seed)', () => {
    const counts = drawCounts(row, 40_000, 17, 'softmax');
    expect(chiSquare(counts, softmax(row))).toBeLessThan(CHI2_3DF_999);
    // and the test has power: the same draws are far from uniform probabilities
    expect(chiSquare(counts, [0.25, 0.25, 0.25, 0.25])).toBeGreaterThan(1000);
  });

  it("draws p ∝ max(s, 0) with normalize: 'proportional', never a non-positive score", () => {
    const counts = drawCounts(row, 40_000, 18, 'proportional');
    expect(counts[2]).toBe(0);
    const p = [0.5 / 3.5, 1 / 3.5, 0, 2 / 3.5];
    // two free cells here, but the 3-df bound is only looser; the uniform check shows power
    expect(chiSquare(counts, p)).toBeLessThan(CHI2_3DF_999);
    expect(chiSquare(counts, softmax(row))).toBeGreaterThan(100);
    // all scores <= 0: uniform
    const flat = drawCounts([-1, -2, 0, -0.5], 40_000, 19, 'proportional');
    expect(chiSquare(flat, [0.25, 0.25, 0.25, 0.25])).toBeLessThan(CHI2_3DF_999);
  });

  it('draws from softmax(s / T) and max(s, 0)^(1/T) with a temperature, and trains unfused then', () => {
    const t = 0.5;
    const soft = drawCounts(row, 40_000, 21, 'softmax', { temperature: t });
    expect(chiSquare(soft, softmax(row.map((v) => v / t)))).toBeLessThan(CHI2_3DF_999);
    expect(chiSquare(soft, softmax(row))).toBeGreaterThan(100);
    const prop = drawCounts(row, 40_000, 22, 'proportional', { temperature: t });
    const powered = row.map((v) => Math.max(v, 0) ** (1 / t));
    const total = powered.reduce((a, b) => a + b, 0);
    expect(prop[2]).toBe(0);
    expect(chiSquare(prop, powered.map((v) => v / total))).toBeLessThan(CHI2_3DF_999);
    expect(chiSquare(prop, [0.5 / 3.5, 1 / 3.5, 0, 2 / 3.5])).toBeGreaterThan(100);
    // the fused kernels sample at T = 1 only
    expect(createProbabilisticStrategy().fused).toBeDefined();
    expect(createProbabilisticStrategy({ temperature: 0.5 }).fused).toBeUndefined();
    expect(createProbabilisticStrategy({ anneal: { to: 0.1, steps: 10 } }).fused).toBeUndefined();
  });

  it('anneals the temperature geometrically by step, to greedy selection', () => {
    const anneal = { temperature: 1, anneal: { to: 0.01, steps: 100 } };
    expect(temperatureAt(anneal, 0)).toBe(1);
    expect(temperatureAt(anneal, 50)).toBeCloseTo(0.1, 12);
    expect(temperatureAt(anneal, 100)).toBeCloseTo(0.01, 12);
    expect(temperatureAt(anneal, 1000)).toBeCloseTo(0.01, 12);
    expect(temperatureAt({ temperature: 2, anneal: null }, 1000)).toBe(2);
    // step 0 samples at T = 1, the end of the anneal is the argmax choice
    const first = drawCounts(row, 40_000, 23, 'softmax', anneal, 0);
    expect(chiSquare(first, softmax(row))).toBeLessThan(CHI2_3DF_999);
    for (const normalize of ['softmax', 'proportional'] as const) {
      expect(drawCounts(row, 1000, 24, normalize, anneal, 100)).toEqual([0, 0, 0, 1000]);
    }
  });

  it('anneals toward greedy selection by share: a falling share of connections samples, the rest take the argmax', () => {
    const greedyAnneal = { steps: 100 };
    expect([0, 25, 100, 200].map((step) => sampleShareAt({ greedyAnneal }, step))).toEqual([1, 0.75, 0, 0]);
    expect(sampleShareAt({ greedyAnneal: null }, 500)).toBe(1);
    const p = softmax(row);
    // at step 75 a quarter samples: argmax option 3 with 3/4 + p3/4, the others with p_k/4
    const counts = drawCounts(row, 40_000, 25, 'softmax', { greedyAnneal }, 75);
    expect(chiSquare(counts, p.map((v, k) => v / 4 + (k === 3 ? 0.75 : 0)))).toBeLessThan(CHI2_3DF_999);
    expect(chiSquare(counts, p)).toBeGreaterThan(1000);
    expect(chiSquare(drawCounts(row, 40_000, 26, 'softmax', { greedyAnneal }, 0), p)).toBeLessThan(CHI2_3DF_999);
    expect(drawCounts(row, 1000, 27, 'softmax', { greedyAnneal }, 100)).toEqual([0, 0, 0, 1000]);
    expect(createProbabilisticStrategy({ greedyAnneal }).fused).toBeUndefined();
    expect(() => createProbabilisticStrategy({ greedyAnneal: { steps: 0 } })).toThrow('greedyAnneal.steps: expected an integer >= 1, got 0');
  });

  it('equals greedy selection when the scores are very peaked', () => {
    const strategy = createProbabilisticStrategy();
    const scores = tf.tidy(() => tf.mul(tf.oneHot(tf.randomUniform([30, 20], 0, 5, 'int32', 3), 5), 60));
    const greedy = argmaxSelection(scores);
    for (let seed = 0; seed < 20; seed++) {
      const drawn = strategy.select(scores, ctx(seed));
      expect(Array.from(drawn.dataSync())).toEqual(Array.from(greedy.dataSync()));
      drawn.dispose();
    }
    scores.dispose();
    greedy.dispose();
  });

  it('repeats draws for the same seed and changes them for another', () => {
    const strategy = createProbabilisticStrategy();
    const scores = tf.randomUniform([50, 40, 8], 0, 1, 'float32', 2);
    const draw = (seed: number) => tf.tidy(() => Array.from(strategy.select(scores, ctx(seed)).dataSync()));
    expect(draw(5)).toEqual(draw(5));
    const a = draw(5);
    const b = draw(6);
    expect(a.filter((v, i) => v !== b[i]).length).toBeGreaterThan(1000);
    scores.dispose();
  });

  it('samples while training and uses the argmax network at test time unless evalMode is sample', () => {
    const layers = [{ type: 'slotDense', units: 30 }] as const;
    const make = (evalMode: 'argmax' | 'sample') =>
      createNetwork({ inputShape: [20], layers: [...layers], k: 8, seed: 4, strategy: createProbabilisticStrategy({ evalMode }) });
    const x = tf.randomNormal([2, 20], 0, 1, 'float32', 1);
    const net = make('argmax');
    const plain = net.extract();
    const out = (n: typeof net, training: boolean, step: number) => tf.tidy(() => Array.from(n.apply(x, { training, step }).dataSync()));
    expect(out(net, false, 1)).toEqual(out(plain, false, 1));
    expect(out(net, true, 1)).not.toEqual(out(plain, false, 1));
    const sampling = make('sample');
    expect(out(sampling, false, 1)).not.toEqual(out(plain, false, 1));
    // a forward pass may ask for either network whatever evalMode says
    const pass = (n: typeof net, selection: 'selected' | 'sampled') => tf.tidy(() => Array.from(n.apply(x, { step: 1, selection }).dataSync()));
    expect(pass(sampling, 'selected')).toEqual(out(plain, false, 1));
    expect(pass(net, 'sampled')).toEqual(out(sampling, false, 1));
    expect(pass(net, 'sampled')).toEqual(out(net, true, 1)); // the network training step 1 samples
    expect(() => net.apply(x, { selection: 'mean' as never })).toThrow("selection: expected one of 'selected', 'sampled', got 'mean'");
    expect(net.strategy?.stochastic).toBe(true);
    for (const n of [net, plain, sampling]) n.dispose();
    x.dispose();
  });

  it('learns: a PS slot MLP fits a random teacher with the paper-scale learning rate', () => {
    const teacher = createNetwork({ inputShape: [20], layers: [{ type: 'dense', units: 4 }], seed: 99 });
    const x = tf.randomNormal([512, 20], 0, 1, 'float32', 5);
    const labels = tf.tidy(() => tf.oneHot(tf.argMax(teacher.apply(x), -1), 4));
    const net = createNetwork({
      inputShape: [20],
      layers: [{ type: 'slotDense', units: 64 }, { type: 'relu' }, { type: 'slotDense', units: 4 }],
      k: 8,
      seed: 3,
      strategy: createProbabilisticStrategy(),
    });
    const accuracy = () =>
      tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(net.apply(x), -1), tf.argMax(labels, -1)), 'float32')).dataSync()[0]!);
    const before = accuracy();
    const optimizer = tf.train.sgd(25);
    for (let step = 0; step < 200; step++) {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.apply(x, { training: true, step })) as tf.Scalar);
    }
    // seen: 0.23 before, 0.85 after 300 steps at lr 25 (wasm)
    expect(accuracy()).toBeGreaterThan(0.75);
    expect(accuracy() - before).toBeGreaterThan(0.4);
    tf.dispose([x, labels]);
    for (const d of [teacher, net, optimizer]) d.dispose();
  });

  it('rejects unknown options by name', () => {
    expect(() => createProbabilisticStrategy({ normalize: 'sparsemax' as never })).toThrow(SlotConfigError);
    expect(() => createProbabilisticStrategy({ normalize: 'sparsemax' as never })).toThrow(
      "normalize: expected 'softmax' or 'proportional', got 'sparsemax'",
    );
    expect(() => createProbabilisticStrategy({ evalMode: 'mean' as never })).toThrow("evalMode: expected 'argmax' or 'sample', got 'mean'");
    expect(() => createProbabilisticStrategy({ temperature: 0 })).toThrow('temperature: expected a number > 0, got 0');
    expect(() => createProbabilisticStrategy({ anneal: { to: -1, steps: 10 } })).toThrow('anneal.to: expected a number > 0, got -1');
    expect(() => createProbabilisticStrategy({ anneal: { to: 0.1, steps: 2.5 } })).toThrow('anneal.steps: expected an integer >= 1, got 2.5');
  });
});

describeSelectionStrategy('probabilistic (softmax)', () => createProbabilisticStrategy(), { stochastic: true, learningRate: 25, steps: 200, teacherAccuracy: 0.75 });
describeSelectionStrategy('probabilistic (proportional)', () => createProbabilisticStrategy({ normalize: 'proportional' }), { stochastic: true, learningRate: 25, steps: 200, teacherAccuracy: 0.75 });
// the recipe knobs of docs/results/ps-findings.md (greedy only from step 300: the 200 steps here still sample)
describeSelectionStrategy(
  'probabilistic (temperature annealed, greedy anneal)',
  () => createProbabilisticStrategy({ temperature: 1, anneal: { to: 0.1, steps: 200 }, greedyAnneal: { steps: 300 } }),
  { stochastic: true, learningRate: 25, steps: 200, teacherAccuracy: 0.75 },
);
