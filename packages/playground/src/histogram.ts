import type { Histogram } from './protocol';

/**
 * Counts `values` in `bins` equal bins over `[lo, hi]`; values outside are clamped into the first or
 * last bin (the options lie inside by construction). Pure; no tensors.
 */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): Histogram {
  if (!(hi > lo) || !Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`histogram: expected lo < hi and an integer bins >= 1, got [${lo}, ${hi}] and ${bins}`);
  }
  const counts = new Array<number>(bins).fill(0);
  const scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.floor((values[i]! - lo) * scale);
    counts[bin < 0 ? 0 : bin >= bins ? bins - 1 : bin]! += 1;
  }
  return { lo, hi, counts, total: values.length };
}

/** The largest absolute value in `values` (0 for none). */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > max) max = a;
  }
  return max;
}
