import type * as tf from '@tensorflow/tfjs-core';
import { drawSlotOptions } from './layers/SlotWeights';

/** One slot layer asking for its K options. */
export interface OptionRequest {
  /** Position among the network's slot layers. */
  readonly layerIndex: number;
  /** Shape of the layer's scores, `[...S, K]`. */
  readonly shape: readonly number[];
  /** σ of the layer (spec section 2): unshared options are drawn from U(-bound, bound). */
  readonly bound: number;
}

export interface SharingContext {
  readonly k: number;
  /** The network seed: derive every draw from it (and the layer index) so options are reproducible. */
  readonly seed: number;
}

/**
 * The weight-sharing contract (spec section 5): where the K option values of each slot layer come
 * from. Scores always stay per connection; only the options are shared.
 *
 * A policy carries no training recipe: the paper gives no learning rate or weight decay of its
 * own for shared options, so a shared slot machine trains with the recipe of its selection
 * strategy (`SelectionStrategy.recipe`). A policy that needs other defaults would add them here.
 */
export interface WeightSharingPolicy<Id extends string = string> {
  readonly id: Id;
  /**
   * One options tensor per request, in order: `[...S, K]` (one vector per connection) or `[K]`
   * (one vector shared by all connections of the layer). The caller owns the returned tensors.
   */
  createOptions(requests: readonly OptionRequest[], ctx: SharingContext): tf.Tensor[];
  /** The resolved, JSON-serialisable options, so a checkpoint can rebuild the policy through a registry. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** No sharing (the default): every connection has its own K options U(-σ, σ), drawn from `(seed, layer index)`. */
export const noSharing: WeightSharingPolicy<'none'> = {
  id: 'none',
  createOptions: (requests, ctx) => requests.map((r) => drawSlotOptions(r.shape, r.bound, ctx.seed, r.layerIndex)),
};
