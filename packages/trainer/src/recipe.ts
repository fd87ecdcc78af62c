import type { SelectionRecipe } from '@slot-machines/core';

/**
 * The paper's training recipe (spec section 7) as defaults:
 * - learning rate and weight decay of the scores: the selection strategy's own
 *   (`SelectionStrategy.recipe`: GS 0.2 if K ≤ 8 else 0.1 with L2 1e-4, PS 25 without L2);
 * - learned weights and finetuning: learning rate 0.01, coupled L2 1e-4;
 * - SGD momentum 0.9, batch 128.
 */
export interface RecipeDefaults {
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly batchSize: number;
}

/**
 * What a run trains, for {@link recipeDefaults}: a slot machine with its selection strategy (the
 * strategy object, or anything carrying its `recipe`) and K, or ordinary weights.
 */
export type RecipeKind =
  | { readonly flavour: 'slot'; readonly strategy?: { readonly recipe?: SelectionRecipe | undefined }; readonly k?: number }
  | { readonly flavour: 'learned' | 'finetune' };

/**
 * A slot machine whose strategy has no `recipe` trains with the defaults the paper gives for
 * deterministic selection: learning rate 0.2 if K ≤ 8 else 0.1, L2 1e-4.
 */
const SLOT_FALLBACK: SelectionRecipe = { learningRate: ({ k }) => (k <= 8 ? 0.2 : 0.1), weightDecay: 1e-4 };

/** The paper's defaults for `kind`; the trainer knows no strategy id: a strategy brings its own recipe. */
export function recipeDefaults(kind: RecipeKind): RecipeDefaults {
  const common = { momentum: 0.9, batchSize: 128 };
  if (kind.flavour !== 'slot') return { ...common, learningRate: 0.01, weightDecay: 1e-4 };
  const recipe = kind.strategy?.recipe ?? SLOT_FALLBACK;
  return { ...common, learningRate: recipe.learningRate({ k: kind.k ?? 8 }), weightDecay: recipe.weightDecay };
}
