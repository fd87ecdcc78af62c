import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '@slot-machines/trainer';
import { createProgress } from './progress';
import { buildNetwork, resolveRunSpec } from './runSpec';

describe("a PS run's temperature", () => {
  it('anneals over the whole run while training, and is the final temperature when a finished run is evaluated', () => {
    const spec = resolveRunSpec({ strategy: 'probabilistic', epochs: 10, temperature: 2, annealTo: 0.05 });
    const options = (stepsPerEpoch?: number) => {
      const net = buildNetwork(spec, stepsPerEpoch === undefined ? {} : { stepsPerEpoch });
      try {
        return net.strategy!.options;
      } finally {
        net.dispose();
      }
    };
    expect(options(399)).toMatchObject({ temperature: 2, anneal: { to: 0.05, steps: 3990 } });
    expect(options()).toMatchObject({ temperature: 0.05, anneal: null });
    // greedy at 40% of the run: the share of sampling connections reaches 0 at step 0.4 × 10 × 399
    const greedy = resolveRunSpec({ strategy: 'probabilistic', epochs: 10, greedyAt: 0.4 });
    const net = buildNetwork(greedy, { stepsPerEpoch: 399 });
    expect(net.strategy!.options).toMatchObject({ temperature: 1, anneal: null, greedyAnneal: { steps: 1596 } });
    net.dispose();
    // the paper's PS: temperature 1, nothing annealed (and the fused kernels apply)
    const paper = buildNetwork(resolveRunSpec({ strategy: 'probabilistic' }), { stepsPerEpoch: 399 });
    expect(paper.strategy!.options).toMatchObject({ temperature: 1, anneal: null });
    expect(paper.strategy!.fused).toBeDefined();
    paper.dispose();
  });
});

describe("a PS run's epoch line", () => {
  it("shows the sampled network's accuracies beside the argmax network's, and only for runs that have them", () => {
    let text = '';
    const stream = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, false);
    const m: EpochMetrics = {
      epoch: 3, learningRate: 25, trainLoss: 0.1, trainAccuracy: 0.97, valLoss: 1, valAccuracy: 0.5, testLoss: 1, testAccuracy: 0.51,
      selectionChange: 0.01, sparsity: null, step: 1197, seconds: 20,
    };
    progress.epoch(m, 10);
    expect(text).not.toContain('sampled');
    progress.epoch({ ...m, valAccuracySampled: 0.971, testAccuracySampled: 0.9723 }, 10);
    expect(text.split('\n')[1]).toContain('val 50.00%  test 51.00%  sampled: val 97.10%  test 97.23%  lr 25.0');
  });
});
