import { describe, expect, it } from 'vitest';
import { decodeMnistPack, encodeMnistPack } from './mnistPack';

const parts = {
  height: 2,
  width: 3,
  trainImages: Uint8Array.from({ length: 3 * 6 }, (_, i) => i),
  trainLabels: Uint8Array.from([0, 9, 4]),
  testImages: Uint8Array.from({ length: 2 * 6 }, (_, i) => 255 - i),
  testLabels: Uint8Array.from([7, 1]),
};

describe('MNIST pack', () => {
  it('round-trips the raw bytes and labels into an ImageDataset', () => {
    const bytes = encodeMnistPack(parts);
    expect(bytes.length).toBe(24 + 5 * 7);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('SMMN');
    const dataset = decodeMnistPack(bytes);
    expect(dataset).toMatchObject({ name: 'mnist', imageShape: [2, 3, 1], numClasses: 10, trainCount: 3, testCount: 2 });
    expect([...dataset.trainImages]).toEqual([...parts.trainImages]);
    expect([...dataset.trainLabels]).toEqual([0, 9, 4]);
    expect([...dataset.testImages]).toEqual([...parts.testImages]);
    expect([...dataset.testLabels]).toEqual([7, 1]);
  });

  it('says what is wrong with a file that is not a pack, of another version, truncated, or with a bad label', () => {
    const bytes = encodeMnistPack(parts);
    expect(() => decodeMnistPack(new Uint8Array(10), 'x.bin')).toThrow("x.bin: not an MNIST pack (expected the magic 'SMMN'");
    const v2 = bytes.slice();
    v2[4] = 2;
    expect(() => decodeMnistPack(v2, 'x.bin')).toThrow('x.bin: pack format version 2; this demo reads version 1');
    expect(() => decodeMnistPack(bytes.subarray(0, bytes.length - 1), 'x.bin')).toThrow('x.bin: 58 bytes, expected 59 for 3 + 2 images of 2x3 (truncated download?)');
    const badLabel = bytes.slice();
    badLabel[24 + 18] = 10;
    expect(() => decodeMnistPack(badLabel, 'x.bin')).toThrow(/label 10 at index 0 is outside \[0, 9\]/);
    expect(() => encodeMnistPack({ ...parts, trainLabels: Uint8Array.from([1]) })).toThrow('image bytes do not match 1 + 2 labels of 2x3 images');
  });
});
