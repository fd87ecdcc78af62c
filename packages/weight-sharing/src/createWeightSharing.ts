import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, noSharing, seededUniform, type WeightSharingPolicy } from '@slot-machines/core';

declare module '@slot-machines/core' {
  interface SharingOptionsById {
    none: Record<string, never>;
    layer: Record<string, never>;
    global: Record<string, never>;
  }
}

/** No sharing (the default): every connection has its own K options U(-σ_l, σ_l). */
export function createNoSharing(): WeightSharingPolicy<'none'> {
  return noSharing;
}

/**
 * Layer sharing: all connections of layer l choose among one vector of K values U(-σ_l, σ_l),
 * drawn from `(seed, layer index)`. Scores stay per connection.
 */
export function createLayerSharing(): WeightSharingPolicy<'layer'> {
  return {
    id: 'layer',
    options: {},
    createOptions: (requests, ctx) =>
      requests.map((r) => seededUniform([ctx.k], -r.bound, r.bound, deriveSeed(ctx.seed, 'layer-shared-options', r.layerIndex))),
  };
}

/**
 * Global sharing: one vector of K values U(-σ̂, σ̂) for the whole network, σ̂ the mean of the slot
 * layers' σ. Every slot layer gets its own copy of the same values. Scores stay per connection.
 */
export function createGlobalSharing(): WeightSharingPolicy<'global'> {
  return {
    id: 'global',
    options: {},
    createOptions: (requests, ctx) => {
      if (requests.length === 0) return [];
      const meanBound = requests.reduce((sum, r) => sum + r.bound, 0) / requests.length;
      const shared = seededUniform([ctx.k], -meanBound, meanBound, deriveSeed(ctx.seed, 'global-shared-options'));
      const copies = requests.map(() => tf.clone(shared));
      shared.dispose();
      return copies;
    },
  };
}
