import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CIFAR10_AUGMENTATION } from '../Augmentation';
import { createBatchIterator } from '../createBatchIterator';
import type { ImageDataset } from '../ImageDataset';
import { CIFAR10_STANDARDIZE } from '../Normalization';
import { CIFAR10_VALIDATION_FRACTION, splitValidation } from '../splitValidation';
import { loadCifar10, readCifar10Batch } from './loadCifar10';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cifarDir = join(repoRoot, '..', 'shared', 'datasets', 'cifar-10-batches-bin');

if (!existsSync(cifarDir)) {
  describe('CIFAR-10 (real data)', () => {
    it.skip(`skipped: the CIFAR-10 binary batches are not at ${cifarDir} (../shared/datasets/cifar-10-batches-bin from the repo root)`, () => {});
  });
} else {
  describe('CIFAR-10 (real data)', () => {
    let cifar: ImageDataset;
    beforeAll(async () => {
      cifar = await loadCifar10(cifarDir);
    });

    it('has 50000 train and 10000 test NHWC 32x32x3 images', () => {
      expect(cifar.name).toBe('cifar10');
      expect(cifar.imageShape).toEqual([32, 32, 3]);
      expect(cifar.trainCount).toBe(50_000);
      expect(cifar.testCount).toBe(10_000);
      expect(cifar.trainImages.length).toBe(50_000 * 3072);
      expect(cifar.testImages.length).toBe(10_000 * 3072);
      expect(cifar.classNames?.[3]).toBe('cat');
    });

    it('starts with the known labels and has 5000 / 1000 images per class', () => {
      expect(Array.from(cifar.testLabels.subarray(0, 10))).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
      expect(Array.from(cifar.trainLabels.subarray(0, 10))).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
      const train = new Array<number>(10).fill(0);
      const test = new Array<number>(10).fill(0);
      for (const l of cifar.trainLabels) train[l]!++;
      for (const l of cifar.testLabels) test[l]!++;
      expect(train).toEqual(new Array(10).fill(5000));
      expect(test).toEqual(new Array(10).fill(1000));
    });

    it('puts channel c of pixel (y, x) where the raw record has it', async () => {
      const raw = await readFile(join(cifarDir, 'data_batch_5.bin'));
      const last = 49_999; // the last record of data_batch_5 is the last training image
      const at = 9_999 * 3073;
      expect(cifar.trainLabels[last]).toBe(raw[at]);
      for (const [y, x] of [[0, 0], [7, 29], [31, 31]] as const) {
        for (let c = 0; c < 3; c++) {
          expect(cifar.trainImages[((last * 32 + y) * 32 + x) * 3 + c]).toBe(raw[at + 1 + c * 1024 + y * 32 + x]);
        }
      }
    });

    it('reads one batch on its own', async () => {
      const test = await readCifar10Batch(join(cifarDir, 'test_batch.bin'));
      expect(test.count).toBe(10_000);
      expect(Array.from(test.labels.subarray(0, 10))).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
      expect(test.images.subarray(0, 3072)).toEqual(cifar.testImages.subarray(0, 3072));
    });

    it('splits 10% for validation and makes standardised, augmented batches', () => {
      const split = splitValidation(cifar, { fraction: CIFAR10_VALIDATION_FRACTION, seed: 3 });
      expect([split.train.length, split.validation.length]).toEqual([45_000, 5_000]);
      const it = createBatchIterator(cifar, {
        batchSize: 128,
        indices: split.train,
        seed: 3,
        normalization: CIFAR10_STANDARDIZE,
        augmentation: CIFAR10_AUGMENTATION,
      });
      expect(it.batchesPerEpoch).toBe(352);
      const data = it.batchData(0, 351);
      expect(data.xShape).toEqual([45_000 - 351 * 128, 32, 32, 3]);
      let mean = 0;
      for (const v of it.batchData(0, 0).x) mean += v;
      expect(Math.abs(mean / (128 * 3072))).toBeLessThan(0.5);
    });
  });
}
