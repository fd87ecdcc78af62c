import { describe, expect, it } from 'vitest';
import { SGDR_25_2, learningRateAt, paperSchedule } from './schedule';

describe('learningRateAt', () => {
  it("follows the paper's words: restarts at epochs 25 and 75, then one cosine to the last epoch", () => {
    const lr = (e: number) => learningRateAt(paperSchedule(200), 0.2, e);
    expect(lr(0)).toBeCloseTo(0.2, 12);
    expect(lr(25)).toBeCloseTo(0.2, 12);
    expect(lr(75)).toBeCloseTo(0.2, 12);
    expect(lr(24)).toBeCloseTo(0.1 * (1 + Math.cos((Math.PI * 24) / 25)), 12);
    expect(lr(50)).toBeCloseTo(0.1, 12); // half-way through 25..75
    // no restart at 175: 75..200 is one 125-epoch cosine
    expect(lr(175)).toBeCloseTo(0.1 * (1 + Math.cos((Math.PI * 100) / 125)), 12);
    expect(lr(137.5)).toBeCloseTo(0.1, 12);
    for (let e = 76; e < 200; e++) expect(lr(e)).toBeLessThan(lr(e - 1));
    // up to epoch 75 it is the SGDR rule's schedule, as before
    for (let e = 0; e < 75; e++) expect(lr(e)).toBeCloseTo(learningRateAt(SGDR_25_2, 0.2, e), 12);
    // a 25-epoch run anneals over its 25 epochs
    expect(learningRateAt(paperSchedule(25), 0.2, 24)).toBeCloseTo(lr(24), 12);
    expect(learningRateAt(paperSchedule(10), 0.2, 5)).toBeCloseTo(0.1, 12);
  });

  it('restarts at epochs 25, 75 and 175 with SGDR T0 = 25, Tmult = 2', () => {
    const lr = (e: number) => learningRateAt(SGDR_25_2, 0.2, e);
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
