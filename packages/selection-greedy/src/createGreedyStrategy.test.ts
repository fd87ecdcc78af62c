import { describeSelectionStrategy } from '@slot-machines/testing';
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
});

describeSelectionStrategy('greedy', () => createGreedyStrategy());
