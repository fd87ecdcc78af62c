import * as tf from '@tensorflow/tfjs-core';
import { kerasCommon, type BaseLayerSpec, type LayerKind } from '../LayerKind';
import { StatelessLayer } from '../StatelessLayer';

/** max(x, 0). */
export interface ReluSpec extends BaseLayerSpec<'relu'> {}

export const reluKind: LayerKind<ReluSpec> = {
  type: 'relu',
  plan: (_spec, ctx) => ({ outputShape: ctx.inputShape }),
  create: (spec, ctx) => new StatelessLayer('relu', ctx.name, spec, ctx.inputShape, ctx.outputShape, (x) => tf.relu(x)),
  toKeras: (layer) => ({ className: 'Activation', config: { ...kerasCommon(layer.name), activation: 'relu' }, weights: [] }),
};
