import { describeSelectionStrategy } from '@slot-machines/testing';
import * as tf from '@tensorflow/tfjs-core';
import { argmaxSelection, createNetwork, createRegistry } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { describe, expect, it } from 'vitest';
import { createEpsilonGreedyStrategy } from './createEpsilonGreedyStrategy';

const ctx = { training: true, seed: 3, layerIndex: 0, step: 0 };

describe('the example plugin: epsilon-greedy', () => {
  it('is greedy at epsilon 0 and explores a share epsilon of the connections otherwise', () => {
    const scores = tf.randomUniform([200, 100, 4], 0, 1, 'float32', 1);
    const best = argmaxSelection(scores);
    const same = (epsilon: number) =>
      tf.tidy(() => tf.mean(tf.cast(tf.equal(createEpsilonGreedyStrategy({ epsilon }).select(scores, ctx), best), 'float32')).dataSync()[0]!);
    expect(same(0)).toBe(1);
    // explored connections still hit the best option 1/K of the time: agreement = 1 - eps + eps/K
    expect(same(0.4)).toBeCloseTo(1 - 0.4 + 0.4 / 4, 2);
    expect(same(1)).toBeCloseTo(0.25, 2);
    tf.dispose([scores, best]);
  });

  it('plugs into the core: a network trains with it and is rebuilt from its id by a registry', () => {
    const registry = createRegistry()
      .registerStrategy('greedy', createGreedyStrategy)
      .registerStrategy('epsilon-greedy', createEpsilonGreedyStrategy);
    const strategy = registry.createStrategy({ id: 'epsilon-greedy', options: { epsilon: 0.05 } });
    expect(strategy.options).toEqual({ epsilon: 0.05 });
    const teacher = createNetwork({ inputShape: [12], layers: [{ type: 'dense', units: 3 }], seed: 8 });
    const x = tf.randomNormal([256, 12], 0, 1, 'float32', 2);
    const labels = tf.tidy(() => tf.oneHot(tf.argMax(teacher.apply(x), -1), 3));
    const net = createNetwork({
      inputShape: [12],
      layers: [{ type: 'slotDense', units: 32 }, { type: 'relu' }, { type: 'slotDense', units: 3 }],
      k: 8,
      seed: 5,
      strategy,
    });
    const optimizer = tf.train.sgd(0.5);
    for (let i = 0; i < 120; i++) {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.apply(x, { training: true, step: i })) as tf.Scalar);
    }
    const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(net.apply(x), -1), tf.argMax(labels, -1)), 'float32')).dataSync()[0]!);
    expect(accuracy).toBeGreaterThan(0.85);
    tf.dispose([x, labels]);
    for (const d of [teacher, net, optimizer]) d.dispose();
  });

  it('rejects a bad epsilon by name', () => {
    expect(() => createEpsilonGreedyStrategy({ epsilon: 2 })).toThrow('epsilon: expected a probability in [0, 1], got 2');
  });
});

describeSelectionStrategy('epsilon-greedy', () => createEpsilonGreedyStrategy({ epsilon: 0.05 }), { stochastic: true });
