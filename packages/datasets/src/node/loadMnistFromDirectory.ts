import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../DatasetError';
import { datasetFromIdx, type DatasetFromIdxOptions } from '../datasetFromIdx';
import type { ImageDataset } from '../ImageDataset';
import { MNIST_FILE_KEYS, MNIST_FILES, type MnistFileKey } from '../mnistFiles';
import { readIdxFile } from './readIdxFile';

/**
 * Loads MNIST (or any data set shipped under MNIST's four file names, such as Fashion-MNIST: pass
 * its `name`) from a directory holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each optionally gzip-compressed with a `.gz`
 * suffix. Memory: typed arrays only; no tensors.
 *
 * @throws DatasetError `missing-file` naming what was looked for, or any error of `readIdxFile` /
 *   `datasetFromIdx` (e.g. a labels file whose count differs from its images file), naming the file
 */
export async function loadMnistFromDirectory(
  dir: string,
  options: Omit<DatasetFromIdxOptions, 'sources'> = {},
): Promise<ImageDataset> {
  const paths = await Promise.all(MNIST_FILE_KEYS.map((key) => findFile(dir, key)));
  const arrays = await Promise.all(paths.map((path) => readIdxFile(path)));
  const byKey = <T>(values: T[]) => Object.fromEntries(MNIST_FILE_KEYS.map((key, i) => [key, values[i]!])) as Record<MnistFileKey, T>;
  return datasetFromIdx(byKey(arrays), { ...options, sources: byKey(paths) });
}

async function findFile(dir: string, key: MnistFileKey): Promise<string> {
  const { name } = MNIST_FILES[key];
  for (const candidate of [name, `${name}.gz`]) {
    const path = join(dir, candidate);
    try {
      await access(path);
      return path;
    } catch {
      // try the next name
    }
  }
  throw new DatasetError('missing-file', join(dir, name), `not found (nor ${name}.gz) in ${dir}`);
}
