import { describe, expect, it } from 'vitest';
import { DatasetError } from './DatasetError';
import { CIFAR10_STANDARDIZE, MNIST_STANDARDIZE, normalizationTable, normalizeInto, UNIT_SCALE } from './Normalization';

describe('normalisation', () => {
  it('scales bytes to [0, 1]', () => {
    const out = new Float32Array(3);
    normalizeInto(Uint8Array.from([0, 51, 255]), out, 0, 1, normalizationTable(UNIT_SCALE, 1));
    expect(Array.from(out)).toEqual([0, Math.fround(0.2), 1]);
  });

  it('standardises MNIST with mean 0.1307 and std 0.3081', () => {
    const out = new Float32Array(2);
    normalizeInto(Uint8Array.from([0, 255]), out, 0, 1, normalizationTable(MNIST_STANDARDIZE, 1));
    expect(out[0]).toBeCloseTo(-0.1307 / 0.3081, 6);
    expect(out[1]).toBeCloseTo((1 - 0.1307) / 0.3081, 6);
  });

  it('standardises CIFAR-10 per channel on interleaved (HWC) pixels, at an offset', () => {
    const out = new Float32Array(7).fill(-99);
    normalizeInto(Uint8Array.from([255, 255, 255, 0, 0, 0]), out, 1, 3, normalizationTable(CIFAR10_STANDARDIZE, 3));
    expect(out[0]).toBe(-99);
    const expected = [(1 - 0.4914) / 0.247, (1 - 0.4822) / 0.243, (1 - 0.4465) / 0.261, -0.4914 / 0.247, -0.4822 / 0.243, -0.4465 / 0.261];
    expected.forEach((v, i) => expect(out[i + 1]).toBeCloseTo(v, 5));
  });

  it('rejects a mean or std of the wrong length and a std <= 0', () => {
    expect(() => normalizationTable(CIFAR10_STANDARDIZE, 1)).toThrow(/normalization.mean: expected 1 or 1 values/);
    expect(() => normalizationTable({ kind: 'standardize', mean: [0], std: [0] }, 1)).toThrow(DatasetError);
  });
});
