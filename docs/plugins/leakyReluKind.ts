import * as tf from '@tensorflow/tfjs-core';
import { StatelessLayer, kerasCommon, validate, type BaseLayerSpec, type LayerKind } from '@slot-machines/core';

/** The spec of the example layer kind: `max(x, alpha·x)`. */
export interface LeakyReluSpec extends BaseLayerSpec<'leakyRelu'> {
  /** Slope for negative inputs. @default 0.01 */
  readonly alpha?: number;
}

// Declaration merging: `{ type: 'leakyRelu' }` now type-checks (and autocompletes) in `layers: [...]`.
declare module '@slot-machines/core' {
  interface LayerSpecByType {
    leakyRelu: LeakyReluSpec;
  }
}

/**
 * A layer kind written outside core, as a worked example: one plain object that plans the output
 * shape, creates the layer, and exports it to a Keras `LeakyReLU`. Register it on the registry a
 * network is built with: `createNetwork({ ..., layerKinds: createLayerRegistry().register(leakyReluKind) })`.
 */
export const leakyReluKind: LayerKind<LeakyReluSpec> = {
  type: 'leakyRelu',
  plan(spec, ctx) {
    if (spec.alpha !== undefined) validate.requireNumber(`${ctx.field}.alpha`, spec.alpha, { min: 0, max: 1 });
    return { outputShape: ctx.inputShape };
  },
  create(spec, ctx) {
    const alpha = spec.alpha ?? 0.01;
    return new StatelessLayer('leakyRelu', ctx.name, spec, ctx.inputShape, ctx.outputShape, (x) => tf.leakyRelu(x, alpha));
  },
  toKeras: (layer, spec) => ({ className: 'LeakyReLU', config: { ...kerasCommon(layer.name), alpha: spec.alpha ?? 0.01 }, weights: [] }),
};
