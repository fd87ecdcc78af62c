import * as tf from '@tensorflow/tfjs-core';
import { createNetwork } from '@slot-machines/core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { createGreedyStrategy } from './createGreedyStrategy';

const ctx = { training: true, seed: 1, layerIndex: 0, step: 0 };

describe('createGreedyStrategy', () => {
  it('picks the largest score per connection, ties to the lowest index', () => {
    const strategy = createGreedyStrategy();
    const scores = tf.tensor3d([[[0.1, 0.7, 0.2], [0.5, 0.5, -1]], [[-3, -2, -1], [2, 2, 2]]]);
    const picked = strategy.select(scores, ctx);
    expect(picked.dtype).toBe('int32');
    expect(picked.arraySync()).toEqual([[1, 0], [2, 0]]);
    scores.dispose();
    picked.dispose();
  });

  it('learns: a slot MLP fits a random teacher far better than its random start', () => {
    // a teacher network labels random inputs; a K=8 slot machine must learn to imitate it
    const teacher = createNetwork({ inputShape: [20], layers: [{ type: 'dense', units: 4 }], seed: 99 });
    const x = tf.randomNormal([512, 20], 0, 1, 'float32', 5);
    const labels = tf.tidy(() => tf.oneHot(tf.argMax(teacher.apply(x), -1), 4));
    const net = createNetwork({
      inputShape: [20],
      layers: [{ type: 'slotDense', units: 64 }, { type: 'relu' }, { type: 'slotDense', units: 4 }],
      k: 8,
      seed: 3,
      strategy: createGreedyStrategy(),
    });
    const accuracy = () =>
      tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(net.apply(x), -1), tf.argMax(labels, -1)), 'float32')).dataSync()[0]!);
    const before = accuracy();
    const optimizer = tf.train.sgd(0.5);
    for (let step = 0; step < 150; step++) {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.apply(x, { training: true, step })) as tf.Scalar);
    }
    const after = accuracy();
    expect(after).toBeGreaterThan(0.85);
    expect(after - before).toBeGreaterThan(0.3);
    for (const t of [x, labels]) t.dispose();
    for (const d of [teacher, net, optimizer]) d.dispose();
  });

  it('leaks no tensor', async () => {
    const scores = tf.randomUniform([4, 3, 5], 0, 1, 'float32', 1);
    await expectNoTensorLeak(() => createGreedyStrategy().select(scores, ctx));
    scores.dispose();
  });
});
