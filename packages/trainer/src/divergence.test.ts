import * as tf from '@tensorflow/tfjs-core';
import { createNetwork, type Network } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCheckpointStore } from './CheckpointStore';
import { TrainingDivergedError } from './finiteness';
import { teacherData } from './syntheticData.test-helpers';
import { train, type TrainConfig } from './train';
import { createTrainingState, disposeTrainingState } from './TrainingState';
import { trainStep } from './trainStep';

let data: Record<'train' | 'validation', ReturnType<typeof teacherData>>;
beforeAll(() => {
  data = {
    train: teacherData({ n: 256, features: 16, classes: 4, batchSize: 32, seed: 1 }),
    validation: teacherData({ n: 64, features: 16, classes: 4, batchSize: 64, seed: 2, shuffle: false }),
  };
});
afterAll(() => Object.values(data).forEach((d) => d.dispose()));

const layers = [{ type: 'slotDense', units: 32 }, { type: 'relu' }, { type: 'slotDense', units: 4 }] as const;
const slotNet = (): Network => createNetwork({ inputShape: [16], layers: [...layers], k: 8, seed: 7, strategy: createGreedyStrategy() });
const learnedNet = (): Network => createNetwork({ inputShape: [16], layers: [{ type: 'dense', units: 32 }, { type: 'relu' }, { type: 'dense', units: 4 }], seed: 7 });
const config: TrainConfig = { epochs: 1, learningRate: 0.2, weightDecay: 1e-4, schedule: { type: 'constant' } };

/** What `fn` throws (it must throw). */
async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('a run whose scores or weights stop being finite', () => {
  it('GS with a huge learning rate: the loss stays finite, the scores do not; stops, names them and keeps the last finite checkpoint', async () => {
    const net = slotNet();
    const store = createMemoryCheckpointStore();
    await train({ network: net, data, config, checkpoints: store });
    const lastBefore = store.files.get('last')!.slice();
    const bestBefore = store.files.get('best')!.slice();
    const tensorsBefore = tf.memory().numTensors;
    const error = await thrown(() =>
      train({ network: net, data, config: { ...config, epochs: 3, learningRate: 1e30, checkFiniteEverySteps: 3 }, checkpoints: store, resume: true }),
    );
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.tensors.some((t) => t.endsWith('scores'))).toBe(true);
    expect(diverged.tensors).not.toContain('loss');
    expect(diverged.step % 3).toBe(0); // found at a periodic check, in the resumed epochs
    expect(diverged.step).toBeGreaterThan(8);
    expect(diverged.lastFinite).toBe('memory:last');
    expect(diverged.message).toMatch(/not finite.*memory:last.*lower the learning rate/);
    // the checkpoints are the finite ones of epoch 1, untouched
    expect(store.files.get('last')).toEqual(lastBefore);
    expect(store.files.get('best')).toEqual(bestBefore);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    net.dispose();
  });

  it('is found before any checkpoint even with the periodic check off', async () => {
    const net = slotNet();
    const store = createMemoryCheckpointStore();
    const error = await thrown(() => train({ network: net, data, config: { ...config, learningRate: 1e30, checkFiniteEverySteps: 0 }, checkpoints: store }));
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as TrainingDivergedError).lastFinite).toBeNull();
    expect(error.message).toMatch(/no checkpoint had been saved yet/);
    expect(store.files.size).toBe(0);
    net.dispose();
  });

  it('learned weights: a non-finite loss stops the run as diverged, without leaking tensors', async () => {
    const net = learnedNet();
    const before = tf.memory().numTensors;
    const error = await thrown(() => train({ network: net, data, config: { ...config, learningRate: 1e30 } }));
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error.message).toMatch(/not finite/);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('trainStep frees its tensors when it throws: a diverged loss, or a failure inside the forward pass', () => {
    const net = learnedNet();
    const before = tf.memory().numTensors;
    const state = createTrainingState(net);
    const batch = data.train.batch(0, 0);
    expect(() => {
      for (let i = 0; i < 20; i++) trainStep(state, batch, 1e30);
    }).toThrow(TrainingDivergedError);
    const wrong = { x: tf.zeros([4, 15]), y: tf.zeros([4], 'int32') };
    const inLoss = { x: tf.zeros([4, 16]), y: tf.zeros([4], 'float32') }; // float labels: throws after the forward pass saved its tensors
    const badShape = { x: tf.zeros([4, 16]), y: tf.zeros([4, 2], 'int32') };
    const tensors = tf.memory().numTensors;
    expect(() => trainStep(state, wrong, 0.1)).toThrow();
    expect(() => trainStep(state, inLoss, 0.1)).toThrow(/indices/);
    expect(() => trainStep(state, badShape, 0.1)).toThrow(/labels of shape \[4,2\]/);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([batch.x, batch.y, wrong.x, wrong.y, inLoss.x, inLoss.y, badShape.x, badShape.y]);
    disposeTrainingState(state);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
