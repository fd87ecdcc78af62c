import * as tf from '@tensorflow/tfjs-core';
import type { BaseLayerSpec, LayerKind } from '../LayerKind';
import { StatelessLayer } from '../StatelessLayer';
import { kerasPool, planPool } from './pooling';

/** Average pooling over `poolSize x poolSize` windows with stride `poolSize`, 'valid' padding (VGG-19's last pooling). */
export interface AvgPool2dSpec extends BaseLayerSpec<'avgPool2d'> {
  /** @default 2 */
  readonly poolSize?: number;
}

export const avgPool2dKind: LayerKind<AvgPool2dSpec> = {
  type: 'avgPool2d',
  plan: (spec, ctx) => ({ outputShape: planPool(spec.poolSize, ctx).outputShape }),
  create(spec, ctx) {
    const p = spec.poolSize ?? 2;
    return new StatelessLayer('avgPool2d', ctx.name, spec, ctx.inputShape, ctx.outputShape, (x) => tf.avgPool(x as tf.Tensor4D, p, p, 'valid'));
  },
  toKeras: (layer, spec) => ({ className: 'AveragePooling2D', config: kerasPool(layer.name, spec.poolSize ?? 2), weights: [] }),
};
