import { describe, expect, it } from 'vitest';
import { deriveSeed } from './deriveSeed';
import { mulberry32 } from './mulberry32';
import { shuffle } from './shuffle';

describe('mulberry32', () => {
  it('matches the reference implementation', () => {
    // The published JavaScript reference (Tommy Ettinger's mulberry32), written out independently.
    function reference(a: number) {
      return () => {
        a |= 0;
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (t ^ (t >>> 14)) >>> 0;
      };
    }
    for (const seed of [0, 1, 42, 0xffffffff]) {
      const ref = reference(seed);
      const rng = mulberry32(seed);
      for (let i = 0; i < 100; i++) expect(rng.nextUint32()).toBe(ref());
    }
  });

  it('draws nextInt(n) in range and roughly uniformly', () => {
    const rng = mulberry32(7);
    const counts = new Array<number>(6).fill(0);
    let outside = 0;
    for (let i = 0; i < 60_000; i++) {
      const v = rng.nextInt(6);
      if (v >= 0 && v < 6 && Number.isInteger(v)) counts[v]!++;
      else outside++;
    }
    expect(outside).toBe(0);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});

describe('deriveSeed and shuffle', () => {
  it('derives distinct, reproducible seeds per path', () => {
    expect(deriveSeed(1, 'shuffle', 0)).toBe(deriveSeed(1, 'shuffle', 0));
    const seeds = new Set([deriveSeed(1, 'shuffle', 0), deriveSeed(1, 'shuffle', 1), deriveSeed(2, 'shuffle', 0), deriveSeed(1, 'augment', 0)]);
    expect(seeds.size).toBe(4);
  });

  it('permutes every value exactly once, reproducibly', () => {
    const a = shuffle(Uint32Array.from({ length: 1000 }, (_, i) => i), 5);
    const b = shuffle(Uint32Array.from({ length: 1000 }, (_, i) => i), 5);
    const c = shuffle(Uint32Array.from({ length: 1000 }, (_, i) => i), 6);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a.filter((v, i) => v === i).length).toBeLessThan(20);
  });
});
