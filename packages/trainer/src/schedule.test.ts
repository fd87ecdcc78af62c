import { describe, expect, it } from 'vitest';
import { PAPER_SCHEDULE, learningRateAt } from './schedule';

describe('learningRateAt', () => {
  it('restarts at epochs 25 and 75 and anneals to 0 within each cycle (SGDR T0 = 25, Tmult = 2)', () => {
    const lr = (e: number) => learningRateAt(PAPER_SCHEDULE, 0.2, e);
    expect(lr(0)).toBeCloseTo(0.2, 12);
    expect(lr(25)).toBeCloseTo(0.2, 12);
    expect(lr(75)).toBeCloseTo(0.2, 12);
    expect(lr(175)).toBeCloseTo(0.2, 12);
    expect(lr(24)).toBeCloseTo(0.1 * (1 + Math.cos((Math.PI * 24) / 25)), 12);
    expect(lr(50)).toBeCloseTo(0.1, 12); // half-way through the 50-epoch cycle
    expect(lr(125)).toBeCloseTo(0.1, 12); // half-way through the 100-epoch cycle
    for (let e = 1; e < 25; e++) expect(lr(e)).toBeLessThan(lr(e - 1));
  });

  it('offers constant and single-cosine schedules', () => {
    expect(learningRateAt({ type: 'constant' }, 0.3, 99)).toBe(0.3);
    expect(learningRateAt({ type: 'cosine', epochs: 10, etaMin: 0 }, 1, 5)).toBeCloseTo(0.5, 12);
    expect(learningRateAt({ type: 'cosine', epochs: 10, etaMin: 0 }, 1, 10)).toBeCloseTo(0, 12);
  });
});
