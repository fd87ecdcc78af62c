import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, deriveSeed, fans, requireOneOf, type WeightSharingPolicy } from '@slot-machines/core';

export interface SupermaskWeightsOptions {
  /**
   * How the one weight per connection is drawn, with σ = sqrt(2 / (fan_in + fan_out)):
   * - `'glorot-normal'`: Keras' glorot_normal, a normal with standard deviation σ truncated at 2
   *   standard deviations (the `kernel_initializer` of the authors' masked networks).
   * - `'signed-constant'`: ±σ with a random sign (their `--signed_constant`: each weight's sign
   *   times the standard deviation of the layer's Glorot normal draw).
   * @default 'glorot-normal'
   */
  readonly init?: 'glorot-normal' | 'signed-constant';
}

declare module '@slot-machines/core' {
  interface SharingOptionsById {
    'supermask-weights': SupermaskWeightsOptions;
  }
}

/** Keras' correction: the standard deviation of N(0, 1) truncated to [-2, 2]. */
const TRUNCATED_STD = 0.87962566103423978;

/**
 * Where a supermask's weights come from: a `WeightSharingPolicy` (the core's contract for where a
 * slot layer's options come from) drawing one Glorot-scaled weight per connection, reproducible
 * from `(seed, layer index)`. Of the K = 2 options, the network then sets the second to the zero.
 * Options are `[...S, K]`; the bound in each request (the network `init` scheme's) is not used.
 */
export function createSupermaskWeights(options: SupermaskWeightsOptions = {}): WeightSharingPolicy<'supermask-weights'> {
  if (options == null || typeof options !== 'object') throw new SlotConfigError('options', 'an options object', options);
  const init = requireOneOf('init', options.init ?? 'glorot-normal', ['glorot-normal', 'signed-constant'] as const);
  return {
    id: 'supermask-weights',
    options: { init },
    createOptions: (requests, { seed }) =>
      requests.map(({ shape, layerIndex }) => {
        const { fanIn, fanOut } = fans(shape.slice(0, -1));
        const sigma = Math.sqrt(2 / (fanIn + fanOut));
        const layerSeed = deriveSeed(seed, 'options', layerIndex);
        if (init === 'glorot-normal') return tf.truncatedNormal(shape as number[], 0, sigma / TRUNCATED_STD, 'float32', layerSeed);
        return tf.tidy(() => tf.where(tf.less(tf.randomUniform(shape as number[], 0, 1, 'float32', layerSeed), 0.5), tf.scalar(-sigma), tf.scalar(sigma)));
      }),
  };
}
