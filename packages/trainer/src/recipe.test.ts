import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createProbabilisticStrategy } from '@slot-machines/selection-probabilistic';
import { describe, expect, it } from 'vitest';
import { recipeDefaults } from './recipe';

describe('recipeDefaults', () => {
  it("gives the paper's learning rates and weight decay, the slot machine's from its strategy", () => {
    const greedy = createGreedyStrategy();
    expect(recipeDefaults({ flavour: 'slot', strategy: greedy, k: 8 })).toEqual({ learningRate: 0.2, weightDecay: 1e-4, momentum: 0.9, batchSize: 128 });
    expect(recipeDefaults({ flavour: 'slot', strategy: greedy, k: 16 }).learningRate).toBe(0.1);
    expect(recipeDefaults({ flavour: 'slot', strategy: createProbabilisticStrategy(), k: 8 })).toEqual({ learningRate: 25, weightDecay: 0, momentum: 0.9, batchSize: 128 });
    expect(recipeDefaults({ flavour: 'slot', strategy: createProbabilisticStrategy({ normalize: 'proportional' }), k: 64 }).learningRate).toBe(25);
    expect(recipeDefaults({ flavour: 'learned' })).toEqual({ learningRate: 0.01, weightDecay: 1e-4, momentum: 0.9, batchSize: 128 });
    expect(recipeDefaults({ flavour: 'finetune' }).learningRate).toBe(0.01);
  });

  it('takes a recipe from any strategy, and falls back to the deterministic-selection defaults without one', () => {
    const own = { recipe: { learningRate: ({ k }: { k: number }) => k / 100, weightDecay: 5e-4 } };
    expect(recipeDefaults({ flavour: 'slot', strategy: own, k: 4 })).toMatchObject({ learningRate: 0.04, weightDecay: 5e-4 });
    expect(recipeDefaults({ flavour: 'slot', strategy: {}, k: 4 })).toMatchObject({ learningRate: 0.2, weightDecay: 1e-4 });
    expect(recipeDefaults({ flavour: 'slot', k: 64 })).toMatchObject({ learningRate: 0.1, weightDecay: 1e-4 });
  });
});
