import { architecture } from '@slot-machines/architectures';
import { createNetwork } from '@slot-machines/core';
import { createBatchIterator, splitValidation, type ImageDataset } from '@slot-machines/datasets';
import { loadBundledMnist } from '@slot-machines/datasets/node';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { beforeAll, describe, expect, it } from 'vitest';
import { train } from './train';

let mnist: ImageDataset;
beforeAll(async () => {
  mnist = await loadBundledMnist();
});

describe('Lenet-300-100 on real MNIST', () => {
  // The pure-JavaScript cpu backend needs minutes for this run (seen: 255 s); the issue asks for it
  // on wasm (and the native backend runs it too), so on cpu it is reported as skipped.
  it.skipIf(process.env.SM_TEST_BACKEND === 'cpu')('beats 90% test accuracy with GS K=8 after a few hundred steps on a subset', async () => {
    const split = splitValidation(mnist, { fraction: 0.15, seed: 1 });
    const subset = split.train.slice(0, 12_000);
    const data = {
      train: createBatchIterator(mnist, { batchSize: 64, indices: subset, seed: 1 }),
      test: createBatchIterator(mnist, { batchSize: 1000, part: 'test', shuffle: false }),
    };
    const network = createNetwork({ ...architecture('lenet-300-100'), k: 8, seed: 1, strategy: createGreedyStrategy() });
    const result = await train({ network, data, config: { epochs: 2, learningRate: 0.2, weightDecay: 1e-4, schedule: { type: 'constant' } } });
    const last = result.history.at(-1)!;
    expect(last.step).toBe(2 * Math.ceil(12_000 / 64)); // 376 steps
    expect(last.testAccuracy).toBeGreaterThan(0.9);
    network.dispose();
  });
});
