import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../../seeds';
import { requireNumberIn } from '../../validate';
import { kerasCommon, type BaseLayerSpec, type LayerKind } from '../LayerKind';
import { StatelessLayer } from '../StatelessLayer';

/** Inverted dropout while training, seeded from `(seed, position, step)`; identity otherwise. */
export interface DropoutSpec extends BaseLayerSpec<'dropout'> {
  readonly rate: number;
}

export const dropoutKind: LayerKind<DropoutSpec> = {
  type: 'dropout',
  plan(spec, ctx) {
    requireNumberIn(`${ctx.field}.rate`, spec.rate, 0, 0.999);
    return { outputShape: ctx.inputShape };
  },
  create(spec, ctx) {
    const { rate } = spec;
    return new StatelessLayer('dropout', ctx.name, spec, ctx.inputShape, ctx.outputShape, (x, apply) => {
      if (!apply.training || rate === 0) return tf.clone(x);
      return tf.dropout(x, rate, undefined, deriveSeed(ctx.seed, 'dropout', ctx.position, apply.step));
    });
  },
  toKeras: (layer, spec) => ({ className: 'Dropout', config: { ...kerasCommon(layer.name), rate: spec.rate }, weights: [] }),
};
