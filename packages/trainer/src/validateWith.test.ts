import { createNetwork, type Network, type SelectionStrategy } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createProbabilisticStrategy } from '@slot-machines/selection-probabilistic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { teacherData } from './syntheticData.test-helpers';
import { train, type TrainConfig } from './train';

let data: Record<'train' | 'validation' | 'test', ReturnType<typeof teacherData>>;
beforeAll(() => {
  data = {
    train: teacherData({ n: 256, features: 16, classes: 4, batchSize: 32, seed: 1 }),
    validation: teacherData({ n: 128, features: 16, classes: 4, batchSize: 64, seed: 2, shuffle: false }),
    test: teacherData({ n: 128, features: 16, classes: 4, batchSize: 64, seed: 3, shuffle: false }),
  };
});
afterAll(() => Object.values(data).forEach((d) => d.dispose()));

const net = (strategy: SelectionStrategy): Network =>
  createNetwork({ inputShape: [16], layers: [{ type: 'slotDense', units: 32 }, { type: 'relu' }, { type: 'slotDense', units: 4 }], k: 8, seed: 7, strategy });
const config: TrainConfig = { epochs: 3, learningRate: 25, schedule: { type: 'constant' } };

describe('train: the sampled network of a stochastic strategy (PS)', () => {
  it('reports the argmax and the sampled accuracies every epoch, and picks the best epoch by the one asked for', async () => {
    const byArgmax = net(createProbabilisticStrategy());
    const bySample = net(createProbabilisticStrategy());
    try {
      const a = await train({ network: byArgmax, data, config });
      const s = await train({ network: bySample, data, config: { ...config, validateWith: 'sample' } });
      // the same training either way: only the choice of the best epoch differs
      expect(s.history.map(({ seconds: _, ...m }) => m)).toEqual(a.history.map(({ seconds: _, ...m }) => m));
      for (const m of a.history) {
        expect(m.valAccuracySampled).toBeGreaterThan(0);
        expect(m.testAccuracySampled).toBeGreaterThan(0);
      }
      // after a few steps at T = 1 the sampled network is another network than the argmax one
      expect(a.history.some((m) => m.valAccuracySampled !== m.valAccuracy)).toBe(true);
      const argmaxBest = Math.max(...a.history.map((m) => m.valAccuracy!));
      const sampleBest = Math.max(...s.history.map((m) => m.valAccuracySampled!));
      expect(a.best!.valAccuracy).toBe(argmaxBest);
      expect(a.best!.validatedWith).toBeUndefined();
      expect(s.best!.valAccuracySampled).toBe(sampleBest);
      expect(s.best!.validatedWith).toBe('sample');
      // each best record holds that epoch's metrics
      for (const r of [a, s]) {
        const m = r.history[r.best!.epoch - 1]!;
        expect(r.best).toMatchObject({ valAccuracy: m.valAccuracy, testAccuracy: m.testAccuracy, valAccuracySampled: m.valAccuracySampled, testAccuracySampled: m.testAccuracySampled });
      }
      // the logged sampled accuracy is that of the network sampled with the next step's seeds
      const last = a.history.at(-1)!;
      expect(evaluate(byArgmax, data.test, { selection: 'sampled', step: last.step }).accuracy).toBe(last.testAccuracySampled);
      expect(evaluate(byArgmax, data.test, { selection: 'selected' }).accuracy).toBe(last.testAccuracy);
    } finally {
      byArgmax.dispose();
      bySample.dispose();
    }
  });

  it('adds no sampled metrics for a deterministic strategy, and refuses validateWith sample for it', async () => {
    const gs = net(createGreedyStrategy());
    try {
      const r = await train({ network: gs, data, config: { ...config, epochs: 1, learningRate: 0.2 } });
      expect(Object.keys(r.history[0]!)).not.toContain('valAccuracySampled');
      expect(Object.keys(r.best!)).not.toContain('valAccuracySampled');
      await expect(train({ network: gs, data, config: { ...config, validateWith: 'sample' } })).rejects.toThrow(/validateWith: expected 'argmax' for a network whose strategy does not sample \('greedy'\)/);
      await expect(train({ network: gs, data, config: { ...config, validateWith: 'best' as never } })).rejects.toThrow("validateWith: expected one of 'argmax', 'sample', got 'best'");
    } finally {
      gs.dispose();
    }
  });
});
