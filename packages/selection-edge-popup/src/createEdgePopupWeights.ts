import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, deriveSeed, fans, requireNumber, requireOneOf, type WeightSharingPolicy } from '@slot-machines/core';

export interface EdgePopupWeightsOptions {
  /**
   * How the one weight per connection is drawn, with σ = sqrt(2 / fan_in) (Kaiming, ReLU gain,
   * fan-in mode: the authors' `signed_constant` init):
   * - `'signed-kaiming-constant'`: ±σ with a random sign (the paper's best, section 4.1 / Figure 6;
   *   the `init: signed_constant` of the released configs).
   * - `'kaiming-normal'`: N(0, σ).
   * @default 'signed-kaiming-constant'
   */
  readonly init?: 'signed-kaiming-constant' | 'kaiming-normal';
  /**
   * The paper's scaled variants: σ = sqrt(2 / (keepFraction · fan_in)), the fan that stays after
   * pruning. The authors' code computes `fan * (1 - prune_rate)`, the same at 0.5; the released
   * CIFAR configs leave it off. `undefined`: unscaled. @default undefined
   */
  readonly scaleFan?: number;
}

declare module '@slot-machines/core' {
  interface SharingOptionsById {
    'edge-popup-weights': EdgePopupWeightsOptions;
  }
}

/**
 * Where edge-popup's weights come from: a `WeightSharingPolicy` (the core's contract for where a
 * slot layer's options come from) that draws one Kaiming-scaled weight per connection, reproducible
 * from `(seed, layer index)`. Of the K = 2 options, the network then sets the second to the zero.
 * Options are `[...S, K]`; the bound in each request (the network `init` scheme's) is not used.
 */
export function createEdgePopupWeights(options: EdgePopupWeightsOptions = {}): WeightSharingPolicy<'edge-popup-weights'> {
  if (options == null || typeof options !== 'object') throw new SlotConfigError('options', 'an options object', options);
  const init = requireOneOf('init', options.init ?? 'signed-kaiming-constant', ['signed-kaiming-constant', 'kaiming-normal'] as const);
  const scaleFan = options.scaleFan === undefined ? undefined : requireNumber('scaleFan', options.scaleFan, { min: 0, minExclusive: true, max: 1 });
  return {
    id: 'edge-popup-weights',
    options: { init, ...(scaleFan === undefined ? {} : { scaleFan }) },
    createOptions: (requests, { seed }) =>
      requests.map(({ shape, layerIndex }) => {
        const { fanIn } = fans(shape.slice(0, -1));
        const sigma = Math.sqrt(2 / (fanIn * (scaleFan ?? 1)));
        const layerSeed = deriveSeed(seed, 'options', layerIndex);
        if (init === 'kaiming-normal') return tf.randomNormal(shape as number[], 0, sigma, 'float32', layerSeed);
        return tf.tidy(() => tf.where(tf.less(tf.randomUniform(shape as number[], 0, 1, 'float32', layerSeed), 0.5), tf.scalar(-sigma), tf.scalar(sigma)));
      }),
  };
}
