import type * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../../errors';
import { requireInteger } from '../../validate';
import type { BaseLayerSpec, LayerKind, PlanContext } from '../LayerKind';
import { StatelessLayer } from '../StatelessLayer';

/** A pooling layer's spec: `poolSize x poolSize` windows with stride `poolSize`, 'valid' padding. */
export interface PoolSpec<Type extends string> extends BaseLayerSpec<Type> {
  /** @default 2 */
  readonly poolSize?: number;
}

/** The kind of a pooling layer whose forward is `pool(x, size)` and whose Keras class is `kerasClass`. */
export function poolKind<Type extends string>(type: Type, pool: (x: tf.Tensor4D, size: number) => tf.Tensor, kerasClass: string): LayerKind<PoolSpec<Type>> {
  return {
    type,
    plan: (spec, ctx) => ({ outputShape: planPool(spec.poolSize, ctx).outputShape }),
    create(spec, ctx) {
      const p = spec.poolSize ?? 2;
      return new StatelessLayer(type, ctx.name, spec, ctx.inputShape, ctx.outputShape, (x) => pool(x as tf.Tensor4D, p));
    },
    toKeras: (layer, spec) => ({ className: kerasClass, config: kerasPool(layer.name, spec.poolSize ?? 2), weights: [] }),
  };
}

/** Output `[floor(h / p), floor(w / p), c]` of a `p x p` pooling with stride `p`, 'valid' padding. */
export function planPool(poolSize: unknown, ctx: PlanContext): { pool: number; outputShape: readonly number[] } {
  const pool = requireInteger(`${ctx.field}.poolSize`, poolSize ?? 2, 1);
  if (ctx.inputShape.length !== 3) throw new SlotConfigError(`input of ${ctx.name}`, 'shape [height, width, channels]', ctx.inputShape);
  const [h, w, c] = ctx.inputShape as [number, number, number];
  if (h < pool || w < pool) throw new SlotConfigError(`input of ${ctx.name}`, `height and width >= poolSize ${pool}`, ctx.inputShape);
  return { pool, outputShape: [Math.floor(h / pool), Math.floor(w / pool), c] };
}

export function kerasPool(name: string, pool: number): Record<string, unknown> {
  return { name, trainable: true, dtype: 'float32', pool_size: [pool, pool], strides: [pool, pool], padding: 'valid', data_format: 'channels_last' };
}
