import * as tf from '@tensorflow/tfjs-core';
import type { BaseLayerSpec, LayerKind } from '../LayerKind';
import { StatelessLayer } from '../StatelessLayer';
import { kerasPool, planPool } from './pooling';

/** Max pooling over `poolSize x poolSize` windows with stride `poolSize`, 'valid' padding. */
export interface MaxPool2dSpec extends BaseLayerSpec<'maxPool2d'> {
  /** @default 2 */
  readonly poolSize?: number;
}

export const maxPool2dKind: LayerKind<MaxPool2dSpec> = {
  type: 'maxPool2d',
  plan: (spec, ctx) => ({ outputShape: planPool(spec.poolSize, ctx).outputShape }),
  create(spec, ctx) {
    const p = spec.poolSize ?? 2;
    return new StatelessLayer('maxPool2d', ctx.name, spec, ctx.inputShape, ctx.outputShape, (x) => tf.maxPool(x as tf.Tensor4D, p, p, 'valid'));
  },
  toKeras: (layer, spec) => ({ className: 'MaxPooling2D', config: kerasPool(layer.name, spec.poolSize ?? 2), weights: [] }),
};
