import { argmaxSelection, type SelectionRecipe, type SelectionStrategy } from '@slot-machines/core';

// biome-ignore lint: greedy has no options yet; the type exists so it can grow without a break
export interface GreedyOptions {}

declare module '@slot-machines/core' {
  interface StrategyOptionsById {
    greedy: GreedyOptions;
  }
}

/** The paper's recipe for GS scores: learning rate 0.2 if K <= 8 else 0.1, coupled L2 1e-4. */
const GREEDY_RECIPE: SelectionRecipe = { learningRate: ({ k }) => (k <= 8 ? 0.2 : 0.1), weightDecay: 1e-4 };

/**
 * Greedy selection (GS): every connection uses the option with the largest score (ties: the lowest
 * index), in training and at test time alike. Deterministic; the seed is unused.
 */
export function createGreedyStrategy(_options: GreedyOptions = {}): SelectionStrategy<'greedy'> {
  return {
    id: 'greedy',
    options: {},
    recipe: GREEDY_RECIPE,
    fused: { rule: 'argmax' },
    select: (scores) => argmaxSelection(scores),
  };
}
