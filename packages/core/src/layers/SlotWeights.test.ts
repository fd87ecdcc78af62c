import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak, maxAbsDiff } from '@slot-machines/test-utils';
import { createNetwork } from '../network/Network';
import type { SelectionStrategy } from '../selection';
import { argmaxStrategy, uniformStrategy } from '../testStrategies.test-helpers';
import type { ApplyContext } from './Layer';
import { SlotWeights } from './SlotWeights';

interface Extra {
  readonly strategy?: SelectionStrategy;
  readonly zeroOption?: boolean;
}

/** A slot layer built the way users get one (a network of that one layer), seen through its layer and its slot source. */
function slotLayer(type: 'slotDense' | 'slotConv2d', inputShape: number[], k: number, extra: Extra = {}) {
  const spec = type === 'slotDense' ? { type, units: 3 } : { type, filters: 3 };
  const net = createNetwork({ inputShape, layers: [spec], k, seed: 7, strategy: extra.strategy ?? argmaxStrategy, zeroOption: extra.zeroOption ?? false });
  const layer = net.slotLayers[0]!;
  const source = layer.source;
  return {
    options: source.options,
    scores: source.scores,
    k: source.k,
    weightShape: layer.weightShape,
    trainableVariables: layer.trainableVariables,
    apply: (x: tf.Tensor, ctx: ApplyContext) => layer.apply(x, ctx),
    effectiveWeight: (ctx: ApplyContext) => source.weight(ctx),
    selectedWeight: () => layer.selectedWeight(),
    selectedIndices: () => source.selectedIndices(),
    setScores: (t: tf.Tensor) => source.setScores(t),
    dispose: () => net.dispose(),
  };
}
type SlotLayer = ReturnType<typeof slotLayer>;
const dense = (k = 4, extra: Extra = {}) => slotLayer('slotDense', [5], k, extra);
const conv = (k = 4, extra: Extra = {}) => slotLayer('slotConv2d', [6, 6, 2], k, extra);

/** For every connection: is the effective weight bit-identical to one of its K options? */
function everyWeightIsAnOption(layer: SlotLayer, training: boolean, step: number): boolean {
  const w = tf.tidy(() => layer.effectiveWeight({ training, step }));
  const weights = w.dataSync();
  const options = layer.options.dataSync();
  w.dispose();
  const k = layer.k;
  const shared = layer.options.rank === 1;
  for (let i = 0; i < weights.length; i++) {
    let found = false;
    for (let j = 0; j < k && !found; j++) found = options[shared ? j : i * k + j] === weights[i];
    if (!found) return false;
  }
  return true;
}

/** d/dW of sum(sin(layer-op(x, W))) by central differences, and the ST score gradient. */
function gradients(layer: SlotLayer, x: tf.Tensor, op: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor) {
  const loss = (w: tf.Tensor) => tf.tidy(() => tf.sum(tf.sin(op(x, w))).dataSync()[0]!);
  const weff = layer.selectedWeight();
  const base = weff.dataSync().slice();
  const eps = 1e-2;
  const numeric = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    const minus = base.slice();
    plus[i]! += eps;
    minus[i]! -= eps;
    const lp = loss(tf.tensor(plus, weff.shape));
    const lm = loss(tf.tensor(minus, weff.shape));
    numeric[i] = (lp - lm) / (2 * eps);
  }
  const grad = tf.tidy(() => tf.grad((s: tf.Tensor) => tf.sum(tf.sin(layer.apply(x, { training: true, step: 0 }))))(layer.scores));
  const scoreGrad = grad.dataSync().slice();
  grad.dispose();
  weff.dispose();
  return { numeric, scoreGrad };
}

describe.each([
  ['SlotDense', (k: number, extra: Extra = {}) => dense(k, extra), [2, 5]],
  ['SlotConv2D', (k: number, extra: Extra = {}) => conv(k, extra), [2, 6, 6, 2]],
] as const)('%s', (_name, build, xShape) => {
  const make = () => build(4);
  it('holds options and scores of shape [...S, K], scores the only trainable tensor', () => {
    const layer = make();
    expect(layer.scores.shape).toEqual([...layer.weightShape, 4]);
    expect(layer.options.shape).toEqual([...layer.weightShape, 4]);
    expect(layer.trainableVariables).toEqual([layer.scores]);
    expect(layer.scores.trainable).toBe(true);
    layer.dispose();
  });

  it('uses exactly one of each connection’s K options, greedy and random alike', () => {
    const layer = make();
    expect(everyWeightIsAnOption(layer, false, 0)).toBe(true);
    const random = build(4, { strategy: uniformStrategy });
    for (let step = 0; step < 3; step++) expect(everyWeightIsAnOption(random, true, step)).toBe(true);
    // a random choice really differs from the argmax one somewhere
    const greedyW = layer.selectedWeight();
    const randomW = tf.tidy(() => random.effectiveWeight({ training: true, step: 0 }));
    expect(maxAbsDiff(greedyW.dataSync(), randomW.dataSync())).toBeGreaterThan(0);
    for (const t of [greedyW, randomW, layer, random]) t.dispose();
  });

  it('gives every score dL/dW_eff · W_k, checked against finite differences', () => {
    const layer = make();
    const x = tf.randomNormal(xShape as unknown as number[], 0, 1, 'float32', 3);
    const op = (input: tf.Tensor, w: tf.Tensor) =>
      w.rank === 2 ? tf.matMul(input as tf.Tensor2D, w as tf.Tensor2D) : tf.conv2d(input as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
    const { numeric, scoreGrad } = gradients(layer, x, op);
    const options = layer.options.dataSync();
    const expected = new Float64Array(scoreGrad.length);
    for (let i = 0; i < numeric.length; i++) for (let k = 0; k < 4; k++) expected[i * 4 + k] = numeric[i]! * options[i * 4 + k]!;
    const scale = Math.max(...Array.from(expected, Math.abs));
    expect(scale).toBeGreaterThan(1e-3); // the check is not vacuous
    expect(maxAbsDiff(scoreGrad, expected) / scale).toBeLessThan(2e-3);
    // unselected options get gradient too (not only the argmax one)
    const selected = layer.selectedIndices().dataSync();
    const unselectedNonZero = Array.from(scoreGrad).filter((g, j) => j % 4 !== selected[Math.floor(j / 4)] && g !== 0);
    expect(unselectedNonZero.length).toBeGreaterThan(scoreGrad.length / 2);
    x.dispose();
    layer.dispose();
  });

  it('keeps options bit-identical through optimizer steps; only scores change', () => {
    const layer = make();
    const x = tf.randomNormal(xShape as unknown as number[], 0, 1, 'float32', 11);
    const optionsBefore = layer.options.dataSync().slice();
    const scoresBefore = layer.scores.dataSync().slice();
    const optimizer = tf.train.momentum(0.5, 0.9);
    for (let step = 0; step < 10; step++) {
      optimizer.minimize(() => tf.sum(tf.square(layer.apply(x, { training: true, step }))) as tf.Scalar);
    }
    expect(Array.from(layer.options.dataSync())).toEqual(Array.from(optionsBefore));
    expect(maxAbsDiff(layer.scores.dataSync(), scoresBefore)).toBeGreaterThan(1e-4);
    optimizer.dispose();
    x.dispose();
    layer.dispose();
  });

  it('never moves the zero option’s score by the gradient, only by weight decay', () => {
    const zero = build(3, { zeroOption: true });
    const x = tf.randomNormal(xShape as unknown as number[], 0, 1, 'float32', 5);
    const options = zero.options.dataSync();
    for (let i = 2; i < options.length; i += 3) expect(options[i]).toBe(0);
    const zeroScores = () => Array.from(zero.scores.dataSync()).filter((_, j) => j % 3 === 2);
    const before = zeroScores();
    const lr = 0.3;
    const sgd = tf.train.sgd(lr);
    for (let step = 0; step < 5; step++) {
      sgd.minimize(() => tf.sum(tf.square(zero.apply(x, { training: true, step }))) as tf.Scalar);
    }
    expect(zeroScores()).toEqual(before); // no weight decay: untouched, bit for bit
    const wd = 0.1;
    sgd.minimize(() => tf.add(tf.sum(tf.square(zero.apply(x, { training: true, step: 9 }))), tf.mul(wd / 2, tf.sum(tf.square(zero.scores)))) as tf.Scalar);
    const decayed = zeroScores();
    const expected = before.map((s) => s * (1 - lr * wd));
    expect(maxAbsDiff(decayed, expected)).toBeLessThan(1e-6);
    expect(maxAbsDiff(decayed, before)).toBeGreaterThan(1e-5);
    sgd.dispose();
    x.dispose();
    zero.dispose();
  });

  it('leaks no tensor across forward, backward and optimizer steps', async () => {
    const x = tf.randomNormal(xShape as unknown as number[], 0, 1, 'float32', 2);
    await expectNoTensorLeak(() => {
      const layer = make();
      // tf.train.momentum leaks its learning-rate scalar on dispose (tfjs 4.22), so plain SGD here
      const optimizer = tf.train.sgd(0.1);
      const counts: number[] = [];
      for (let step = 0; step < 4; step++) {
        optimizer.minimize(() => tf.mean(layer.apply(x, { training: true, step })) as tf.Scalar);
        tf.tidy(() => layer.apply(x, { training: false, step })).dispose();
        layer.selectedWeight().dispose();
        layer.selectedIndices().dispose();
        counts.push(tf.memory().numTensors);
      }
      expect(counts.slice(1), `live tensors after each step: ${counts}`).toEqual(counts.slice(1).map(() => counts[1])); // no growth per step
      optimizer.dispose();
      layer.dispose();
    });
    x.dispose();
  });
});

describe('greedy ties and seeds', () => {
  it('breaks ties towards the lowest index on this backend', () => {
    const layer = dense(4);
    const tied = tf.reshape(tf.tile(tf.tensor([0.5, 0.9, 0.9, 0.1]), [5 * 3]), [5, 3, 4]);
    layer.setScores(tied);
    expect(new Set(layer.selectedIndices().dataSync())).toEqual(new Set([1]));
    tied.dispose();
    layer.dispose();
  });

  it('draws the same options and scores from the same (seed, layer index), other ones from another index', () => {
    const weights = (layerIndex: number) => new SlotWeights({ name: 'w', op: 'dense', weightShape: [5, 3], k: 4, seed: 7, layerIndex, strategy: argmaxStrategy });
    const a = weights(2);
    const b = weights(2);
    const c = weights(3);
    expect(Array.from(a.options.dataSync())).toEqual(Array.from(b.options.dataSync()));
    expect(Array.from(a.scores.dataSync())).toEqual(Array.from(b.scores.dataSync()));
    expect(maxAbsDiff(a.options.dataSync(), c.options.dataSync())).toBeGreaterThan(0.01);
    expect(maxAbsDiff(a.scores.dataSync(), c.scores.dataSync())).toBeGreaterThan(1e-4);
    for (const l of [a, b, c]) l.dispose();
  });
});
