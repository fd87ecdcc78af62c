/**
 * The paper's training recipe (spec section 7) as defaults:
 * - learning rate: GS 0.2 if K ≤ 8 else 0.1; PS 25; learned weights and finetuning 0.01;
 * - coupled L2 1e-4 on the scores (none for PS) and on learned weights;
 * - SGD momentum 0.9, batch 128.
 */
export interface RecipeDefaults {
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly batchSize: number;
}

export function recipeDefaults(kind: { flavour: 'slot' | 'learned' | 'finetune'; strategyId?: string; k?: number }): RecipeDefaults {
  const common = { momentum: 0.9, batchSize: 128 };
  if (kind.flavour !== 'slot') return { ...common, learningRate: 0.01, weightDecay: 1e-4 };
  if (kind.strategyId === 'probabilistic') return { ...common, learningRate: 25, weightDecay: 0 };
  return { ...common, learningRate: (kind.k ?? 8) <= 8 ? 0.2 : 0.1, weightDecay: 1e-4 };
}
