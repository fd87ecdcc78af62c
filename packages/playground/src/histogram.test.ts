import { describe, expect, it } from 'vitest';
import { histogram, maxAbs } from './histogram';

describe('histogram', () => {
  it('counts values into equal bins, the upper edge and anything outside into the end bins', () => {
    expect(histogram([-1, -0.6, -0.5, 0, 0.49, 0.5, 1, 7, -7], -1, 1, 4)).toEqual({ lo: -1, hi: 1, counts: [3, 1, 2, 3], total: 9 });
    expect(histogram(new Float32Array(0), -1, 1, 2)).toEqual({ lo: -1, hi: 1, counts: [0, 0], total: 0 });
  });

  it('rejects an empty range or a bad bin count', () => {
    expect(() => histogram([1], 1, 1, 4)).toThrow('histogram: expected lo < hi and an integer bins >= 1, got [1, 1] and 4');
    expect(() => histogram([1], 0, 1, 0)).toThrow(/got \[0, 1\] and 0/);
  });

  it('finds the largest magnitude', () => {
    expect(maxAbs([0.5, -2, 1])).toBe(2);
    expect(maxAbs([])).toBe(0);
  });
});
