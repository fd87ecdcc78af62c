import * as tf from '@tensorflow/tfjs-core';
import { createNetwork, type Network, type SelectionStrategy } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createProbabilisticStrategy } from '@slot-machines/selection-probabilistic';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCheckpointStore } from './CheckpointStore';
import { teacherData } from './syntheticData.test-helpers';
import type { EpochMetrics } from './metrics';
import { train, type TrainConfig } from './train';

let data: Record<'train' | 'validation' | 'test', ReturnType<typeof teacherData>>;
beforeAll(() => {
  // made after the backend is set (the setup file's beforeAll runs first)
  data = {
    train: teacherData({ n: 384, features: 16, classes: 4, batchSize: 32, seed: 1 }),
    validation: teacherData({ n: 128, features: 16, classes: 4, batchSize: 64, seed: 2, shuffle: false }),
    test: teacherData({ n: 128, features: 16, classes: 4, batchSize: 64, seed: 3, shuffle: false }),
  };
});
afterAll(() => Object.values(data).forEach((d) => d.dispose()));

const slotNet = (strategy: SelectionStrategy = createGreedyStrategy(), extra: { zeroOption?: boolean } = {}): Network =>
  createNetwork({
    inputShape: [16],
    layers: [{ type: 'slotDense', units: 32 }, { type: 'relu' }, { type: 'dropout', rate: 0.1 }, { type: 'slotDense', units: 4 }],
    k: 8,
    seed: 7,
    strategy,
    ...extra,
  });
const config: TrainConfig = { epochs: 4, learningRate: 0.2, weightDecay: 1e-4, schedule: { type: 'sgdr', t0: 2, tMult: 2, etaMin: 0 } };

const selectionValues = (net: Network) => {
  const s = net.selections();
  const out = Object.values(s).map((t) => Array.from(t.dataSync()));
  tf.dispose(Object.values(s));
  return out;
};
const withoutTime = (h: readonly EpochMetrics[]) => h.map(({ seconds: _s, ...rest }) => rest);

describe('train', () => {
  it('learns, logs every metric per epoch and keeps the best validation epoch', async () => {
    const net = slotNet();
    const epochs: number[] = [];
    const result = await train({ network: net, data, config, onEpoch: (m) => void epochs.push(m.epoch) });
    expect(epochs).toEqual([1, 2, 3, 4]);
    const last = result.history[3]!;
    expect(last.testAccuracy).toBeGreaterThan(0.6); // chance is 0.25
    expect(last.trainAccuracy).toBeGreaterThan(0.75);
    expect(result.history[0]!.trainLoss).toBeGreaterThan(last.trainLoss);
    expect(result.history.map((m) => m.learningRate)).toEqual([0.2, 0.1, 0.2, expect.closeTo(0.2 * (1 + Math.cos(Math.PI / 4)) / 2, 10)]);
    for (const m of result.history) {
      expect(m.selectionChange).toBeGreaterThan(0);
      expect(m.selectionChange).toBeLessThan(1);
      expect(m.sparsity).toBeNull();
      expect(m.seconds).toBeGreaterThan(0);
    }
    const bestVal = Math.max(...result.history.map((m) => m.valAccuracy!));
    expect(result.best!.valAccuracy).toBe(bestVal);
    expect(result.best!.testAccuracy).toBe(result.history[result.best!.epoch - 1]!.testAccuracy);
    expect(result.history.at(-1)!.step).toBe(4 * 12);
    net.dispose();
  });

  it('resumes a run killed mid-epoch to exactly the uninterrupted result', async () => {
    const uninterrupted = slotNet(createProbabilisticStrategy());
    const full = await train({ network: uninterrupted, data, config: { ...config, learningRate: 5, weightDecay: 0 } });

    const store = createMemoryCheckpointStore();
    const killed = slotNet(createProbabilisticStrategy());
    const controller = new AbortController();
    const cfg = { ...config, learningRate: 5, weightDecay: 0, checkpointEverySteps: 5 };
    const first = await train({
      network: killed,
      data,
      config: cfg,
      checkpoints: store,
      signal: controller.signal,
      onStep: (p) => {
        if (p.epoch === 2 && p.batch === 8) controller.abort(); // 2 steps after the checkpoint at step 30
      },
    });
    expect(first.aborted).toBe(true);
    killed.dispose();

    const fresh = slotNet(createProbabilisticStrategy()); // a new process: same seed, untrained scores
    const resumed = await train({ network: fresh, data, config: cfg, checkpoints: store, resume: true });
    expect(resumed.resumedFrom).toEqual({ epoch: 2, batch: 6 });
    expect(selectionValues(fresh)).toEqual(selectionValues(uninterrupted));
    expect(Array.from(fresh.slotLayers[0]!.source.scores.dataSync())).toEqual(Array.from(uninterrupted.slotLayers[0]!.source.scores.dataSync()));
    expect(withoutTime(resumed.history)).toEqual(withoutTime(full.history));
    expect(resumed.best).toEqual(full.best);
    uninterrupted.dispose();
    fresh.dispose();
  });

  it('refuses to resume a checkpoint of another network, naming the difference', async () => {
    const store = createMemoryCheckpointStore();
    const a = slotNet();
    await train({ network: a, data, config: { ...config, epochs: 1 }, checkpoints: store });
    const b = createNetwork({ ...a.config, k: 4, strategy: createGreedyStrategy() });
    await expect(train({ network: b, data, config, checkpoints: store, resume: true })).rejects.toThrow(
      'memory:last: written for another network: network.k: 8 in the checkpoint, 4 now',
    );
    a.dispose();
    b.dispose();
  });

  it('reports the sparsity reached with the zero option', async () => {
    const net = slotNet(createGreedyStrategy(), { zeroOption: true });
    const result = await train({ network: net, data, config: { ...config, epochs: 2 } });
    for (const m of result.history) {
      expect(m.sparsity).toBeGreaterThan(0);
      expect(m.sparsity).toBeLessThan(0.5);
    }
    net.dispose();
  });

  it('trains learned weights and finetunes an extracted network', async () => {
    const learned = createNetwork({
      inputShape: [16],
      layers: [{ type: 'dense', units: 32 }, { type: 'relu' }, { type: 'dense', units: 4 }],
      seed: 3,
    });
    const r = await train({ network: learned, data, config: { epochs: 6, learningRate: 0.1, schedule: { type: 'constant' } } });
    expect(r.history.at(-1)!.testAccuracy).toBeGreaterThan(0.8);
    expect(r.history[0]!.selectionChange).toBeNull();
    const slot = slotNet();
    await train({ network: slot, data, config: { ...config, epochs: 2 } });
    const tuned = slot.extract({ trainable: true });
    const f = await train({ network: tuned, data, config: { epochs: 2, learningRate: 0.01, schedule: { type: 'constant' } } });
    expect(f.history.at(-1)!.testAccuracy).toBeGreaterThan(0.6);
    for (const n of [learned, slot, tuned]) n.dispose();
  });

  it('names bad configuration fields', async () => {
    const net = slotNet();
    await expect(train({ network: net, data, config: { ...config, epochs: 0 } })).rejects.toThrow('epochs: expected an integer >= 1, got 0');
    await expect(train({ network: net, data, config: { ...config, learningRate: -1 } })).rejects.toThrow('learningRate: expected a number > 0, got -1');
    net.dispose();
  });

  it('leaks no tensor over training, checkpointing and resuming', async () => {
    const store = createMemoryCheckpointStore();
    await expectNoTensorLeak(async () => {
      const net = slotNet();
      await train({ network: net, data, config: { ...config, epochs: 1, checkpointEverySteps: 4 }, checkpoints: store });
      await train({ network: net, data, config: { ...config, epochs: 2 }, checkpoints: store, resume: true });
      net.dispose();
    });
  });
});
