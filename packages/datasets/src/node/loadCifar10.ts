import { join } from 'node:path';
import { CIFAR10_CLASSES, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from '../cifar10Files';
import { createImageDataset, type ImageDataset } from '../ImageDataset';
import { parseCifar10Batch, type Cifar10Batch } from '../parseCifar10Batch';
import { readBytes } from './readBytes';

/**
 * Reads one CIFAR-10 binary batch file into NHWC images and labels. Errors name `path`.
 * Memory: typed arrays only; no tensors.
 *
 * @throws DatasetError `missing-file`, `truncated` (size not a multiple of 3073) or `bad-label` (> 9)
 */
export async function readCifar10Batch(path: string): Promise<Cifar10Batch> {
  return parseCifar10Batch(await readBytes(path), path);
}

/**
 * Loads CIFAR-10 from the official `cifar-10-batches-bin` folder: `data_batch_1..5.bin` (50,000
 * training images, official order) and `test_batch.bin` (10,000). Images are NHWC `[n, 32, 32, 3]`.
 * Memory: typed arrays only (about 185 MB); no tensors.
 *
 * @throws DatasetError as `readCifar10Batch`, naming the file
 */
export async function loadCifar10(dir: string): Promise<ImageDataset> {
  const train = await Promise.all(CIFAR10_TRAIN_FILES.map((file) => readCifar10Batch(join(dir, file))));
  const test = await readCifar10Batch(join(dir, CIFAR10_TEST_FILE));
  return createImageDataset({
    name: 'cifar10',
    imageShape: [32, 32, 3],
    numClasses: 10,
    classNames: CIFAR10_CLASSES,
    trainImages: concat(train.map((b) => b.images)),
    trainLabels: concat(train.map((b) => b.labels)),
    testImages: test.images,
    testLabels: test.labels,
  });
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
