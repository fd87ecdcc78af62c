import { SlotConfigError } from '../../errors';
import { requireInteger } from '../../validate';
import type { PlanContext } from '../LayerKind';

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
