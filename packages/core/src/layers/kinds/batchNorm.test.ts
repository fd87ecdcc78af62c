import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expectNoTensorLeak, maxAbsDiff } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { toLayersModelArtifacts } from '../../export/toLayersModel';
import { createNetwork, type Network } from '../../network/Network';
import { argmaxStrategy } from '../../testStrategies.test-helpers';
import { BatchNormLayer } from './batchNorm';

const layers = [
  { type: 'slotConv2d', filters: 4 },
  { type: 'batchNorm' },
  { type: 'relu' },
  { type: 'avgPool2d' },
  { type: 'flatten' },
  { type: 'slotDense', units: 3 },
] as const;

const build = (): Network => createNetwork({ inputShape: [6, 6, 2], layers: [...layers], k: 4, seed: 3, strategy: argmaxStrategy });
const bnOf = (net: Network) => net.layers[1] as BatchNormLayer;

describe('batchNorm (frozen affine)', () => {
  it('normalises with batch statistics while training and updates running statistics as PyTorch does', () => {
    const net = build();
    const bn = bnOf(net);
    expect(bn.trainableVariables).toHaveLength(0);
    expect(Object.keys(net.namedVariables())).toEqual(['slotConv2d_0/scores', 'batchNorm_1/movingMean', 'batchNorm_1/movingVariance', 'slotDense_1/scores']);
    const x = tf.randomNormal([5, 6, 6, 4], 2, 3, 'float32', 1);
    const y = tf.tidy(() => bn.apply(x, { training: true, step: 0 }));
    // per channel: mean 0 and (biased) variance 1 over batch, height and width
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    expect(maxAbsDiff(mean.dataSync(), [0, 0, 0, 0])).toBeLessThan(1e-4);
    expect(maxAbsDiff(variance.dataSync(), [1, 1, 1, 1])).toBeLessThan(1e-3);
    // running = 0.9 running + 0.1 batch (unbiased variance, n = 5 * 6 * 6)
    const n = 5 * 36;
    const batch = tf.moments(x, [0, 1, 2]);
    const expectedMean = Array.from(batch.mean.dataSync(), (m) => 0.1 * m);
    const expectedVar = Array.from(batch.variance.dataSync(), (v) => 0.9 + 0.1 * v * (n / (n - 1)));
    expect(maxAbsDiff(bn.movingMean.dataSync(), expectedMean)).toBeLessThan(1e-5);
    expect(maxAbsDiff(bn.movingVariance.dataSync(), expectedVar)).toBeLessThan(1e-4);
    // evaluation uses the running statistics and changes nothing
    const before = Array.from(bn.movingMean.dataSync());
    const e = tf.tidy(() => bn.apply(x, { training: false, step: 0 }));
    const manual = tf.tidy(() => tf.div(tf.sub(x, bn.movingMean), tf.sqrt(tf.add(bn.movingVariance, 1e-5))));
    expect(maxAbsDiff(e.dataSync(), manual.dataSync())).toBeLessThan(1e-4);
    expect(Array.from(bn.movingMean.dataSync())).toEqual(before);
    tf.dispose([x, y, mean, variance, batch.mean, batch.variance, e, manual]);
    net.dispose();
  });

  it('passes gradients through the batch statistics (sum of a normalised channel has zero gradient)', () => {
    const net = build();
    const bn = bnOf(net);
    const x = tf.randomNormal([3, 6, 6, 4], 0, 1, 'float32', 2);
    const g = tf.grad((input: tf.Tensor) => tf.sum(bn.apply(input, { training: true, step: 0 })))(x);
    expect(Math.max(...Array.from(g.dataSync(), Math.abs))).toBeLessThan(1e-3);
    tf.dispose([x, g]);
    net.dispose();
  });

  it('keeps running statistics in namedVariables, so checkpoints save and restore them, and extract() copies them', () => {
    const net = build();
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 3);
    for (let step = 0; step < 3; step++) tf.tidy(() => net.apply(x, { training: true, step })).dispose();
    const saved = Object.fromEntries(Object.entries(net.namedVariables()).map(([n, v]) => [n, tf.clone(v)]));
    const other = build();
    other.loadVariables(saved);
    expect(Array.from(bnOf(other).movingVariance.dataSync())).toEqual(Array.from(bnOf(net).movingVariance.dataSync()));
    const plain = net.extract();
    expect(plain.layers.map((l) => l.type)).toEqual(['conv2d', 'batchNorm', 'relu', 'avgPool2d', 'flatten', 'dense']);
    expect(Array.from(bnOf(plain).movingMean.dataSync())).toEqual(Array.from(bnOf(net).movingMean.dataSync()));
    const a = tf.tidy(() => net.apply(x));
    const b = tf.tidy(() => plain.apply(x));
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, a, b, ...Object.values(saved)]);
    for (const n of [net, other, plain]) n.dispose();
  });

  it('exports as tfjs-layers batchNormalization without center and scale, predicting the same', async () => {
    const net = build();
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 4);
    for (let step = 0; step < 3; step++) tf.tidy(() => net.apply(x, { training: true, step })).dispose();
    const artifacts = toLayersModelArtifacts(net);
    const model = await tfl.loadLayersModel(tf.io.fromMemory(JSON.parse(JSON.stringify(artifacts.modelTopology)), artifacts.weightSpecs, artifacts.weightData));
    const bnLayer = model.layers[1]!;
    expect(bnLayer.getClassName()).toBe('BatchNormalization');
    expect(bnLayer.getConfig()).toMatchObject({ center: false, scale: false });
    expect(model.layers[3]!.getClassName()).toBe('AveragePooling2D');
    const ours = tf.tidy(() => net.apply(x));
    const theirs = model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(ours.dataSync(), theirs.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, ours, theirs]);
    model.dispose();
    net.dispose();
  });

  it('names bad fields and leaks nothing', async () => {
    expect(() => createNetwork({ inputShape: [4, 4, 2], layers: [{ type: 'batchNorm', momentum: 2 }], seed: 0 })).toThrow(/^layers\[0\]\.momentum: expected a number in \[0, 1\], got 2$/);
    expect(() => createNetwork({ inputShape: [3, 3, 2], layers: [{ type: 'avgPool2d', poolSize: 4 }], seed: 0 })).toThrow(/^input of avgPool2d_0: expected height and width >= poolSize 4/);
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 5);
    await expectNoTensorLeak(() => {
      const net = build();
      const opt = tf.train.sgd(0.1);
      for (let step = 0; step < 2; step++) opt.minimize(() => tf.mean(net.apply(x, { training: true, step })) as tf.Scalar);
      tf.tidy(() => net.apply(x)).dispose();
      opt.dispose();
      net.dispose();
    });
    x.dispose();
  });
});
