import * as tf from '@tensorflow/tfjs-core';
import { kerasCommon, type BaseLayerSpec, type LayerKind } from '../LayerKind';
import { StatelessLayer } from '../StatelessLayer';

/** `[batch, ...]` -> `[batch, product]` (NHWC order, as Keras' Flatten). */
export interface FlattenSpec extends BaseLayerSpec<'flatten'> {}

export const flattenKind: LayerKind<FlattenSpec> = {
  type: 'flatten',
  plan: (_spec, ctx) => ({ outputShape: [ctx.inputShape.reduce((a, b) => a * b, 1)] }),
  create: (spec, ctx) =>
    new StatelessLayer('flatten', ctx.name, spec, ctx.inputShape, ctx.outputShape, (x) => tf.reshape(x, [x.shape[0]!, ctx.outputShape[0]!])),
  toKeras: (layer) => ({ className: 'Flatten', config: { ...kerasCommon(layer.name), data_format: 'channels_last' }, weights: [] }),
};
