import { argmaxSelection, type SelectionStrategy } from '@slot-machines/core';

// biome-ignore lint: greedy has no options yet; the type exists so it can grow without a break
export interface GreedyOptions {}

declare module '@slot-machines/core' {
  interface StrategyOptionsById {
    greedy: GreedyOptions;
  }
}

/**
 * Greedy selection (GS): every connection uses the option with the largest score (ties: the lowest
 * index), in training and at test time alike. Deterministic; the seed is unused.
 */
export function createGreedyStrategy(_options: GreedyOptions = {}): SelectionStrategy<'greedy'> {
  return {
    id: 'greedy',
    options: {},
    select: (scores) => argmaxSelection(scores),
  };
}
