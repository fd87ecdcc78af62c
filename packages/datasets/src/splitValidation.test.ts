import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from './DatasetError';
import type { ImageDataset } from './ImageDataset';
import { loadBundledMnist } from './node/loadBundledMnist';
import { MNIST_VALIDATION_FRACTION, splitValidation } from './splitValidation';

describe('splitValidation', () => {
  let mnist: ImageDataset;
  beforeAll(async () => {
    mnist = await loadBundledMnist();
  });

  it('holds out 9000 of MNIST\'s 60000 training rows, disjoint and covering', () => {
    const { train, validation } = splitValidation(mnist, { fraction: MNIST_VALIDATION_FRACTION, seed: 1 });
    expect(validation.length).toBe(9000);
    expect(train.length).toBe(51_000);
    const seen = new Uint8Array(60_000);
    for (const i of train) seen[i]!++;
    for (const i of validation) seen[i]!++;
    expect(seen.every((n) => n === 1)).toBe(true);
    for (let i = 1; i < validation.length; i++) expect(validation[i]! > validation[i - 1]!).toBe(true);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = splitValidation(60_000, { fraction: 0.15, seed: 1 });
    const b = splitValidation(60_000, { fraction: 0.15, seed: 1 });
    const c = splitValidation(60_000, { fraction: 0.15, seed: 2 });
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation));
    expect(Array.from(a.validation)).not.toEqual(Array.from(c.validation));
  });

  it('is a random sample: the held-out rows spread over the set and the classes', () => {
    const { validation } = splitValidation(mnist, { fraction: 0.15, seed: 9 });
    const firstHalf = validation.filter((i) => i < 30_000).length;
    expect(Math.abs(firstHalf - 4500)).toBeLessThan(300);
    const counts = new Array<number>(10).fill(0);
    for (const i of validation) counts[mnist.trainLabels[i]!]!++;
    for (const c of counts) expect(Math.abs(c - 900)).toBeLessThan(200);
  });

  it('rejects a fraction outside (0, 1) and a bad seed', () => {
    expect(() => splitValidation(10, { fraction: 1, seed: 0 })).toThrow(DatasetError);
    expect(() => splitValidation(10, { fraction: 0, seed: 0 })).toThrow('fraction: expected a number in (0, 1), got 0');
    expect(() => splitValidation(10, { fraction: 0.5, seed: -1 })).toThrow(/seed: expected an integer seed/);
  });
});
