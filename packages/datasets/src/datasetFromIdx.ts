import { DatasetError } from './DatasetError';
import { createImageDataset, type ImageDataset } from './ImageDataset';
import type { IdxArray } from './parseIdx';

/** The four IDX arrays of an MNIST-style data set, keyed like `ImageDataset`'s fields. */
export interface IdxFiles {
  readonly trainImages: IdxArray;
  readonly trainLabels: IdxArray;
  readonly testImages: IdxArray;
  readonly testLabels: IdxArray;
}

export interface DatasetFromIdxOptions {
  /** @default 'mnist' */
  readonly name?: string;
  /** @default 10 */
  readonly numClasses?: number;
  readonly classNames?: readonly string[];
  /** The files' names for error messages. @default the field names */
  readonly sources?: Partial<Record<keyof IdxFiles, string>>;
}

/**
 * Builds an `ImageDataset` from the four IDX arrays of MNIST or any data set in its layout
 * (Fashion-MNIST, KMNIST, EMNIST: images uint8 `[n, h, w]`, labels uint8 `[n]`). Images get one
 * channel: `imageShape` is `[h, w, 1]`. The arrays are kept, not copied. Memory: no tensors.
 * EMNIST's images are stored transposed; they come back as stored.
 *
 * @throws DatasetError `empty` (a file of 0 images or labels), `mismatch` (wrong dtype or rank, a labels file whose count differs from its
 *   images file, train and test image sizes differ) or `bad-label`, naming the file.
 */
export function datasetFromIdx(files: IdxFiles, options: DatasetFromIdxOptions = {}): ImageDataset {
  const sources = { ...options.sources };
  const source = (key: keyof IdxFiles) => sources[key] ?? key;
  const bytes = (key: keyof IdxFiles, rank: number): Uint8Array => {
    const idx = files[key];
    if (idx.dtype !== 'uint8' || idx.shape.length !== rank) {
      throw new DatasetError(
        'mismatch',
        source(key),
        `expected ${rank === 3 ? 'images' : 'labels'} as unsigned bytes of rank ${rank}, found ${idx.dtype} of shape [${idx.shape.join(', ')}]`,
      );
    }
    return idx.data;
  };
  const trainImages = bytes('trainImages', 3);
  const testImages = bytes('testImages', 3);
  for (const key of ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const) {
    if (files[key].shape[0] === 0) throw new DatasetError('empty', source(key), `holds 0 ${key.endsWith('Images') ? 'images' : 'labels'}: an empty split`);
  }
  const [, h = 0, w = 0] = files.trainImages.shape;
  const [, th, tw] = files.testImages.shape;
  if (th !== h || tw !== w) {
    throw new DatasetError('mismatch', source('testImages'), `images are ${th}x${tw} but ${source('trainImages')} holds ${h}x${w} images`);
  }
  return createImageDataset({
    name: options.name ?? 'mnist',
    imageShape: [h, w, 1],
    numClasses: options.numClasses ?? 10,
    ...(options.classNames ? { classNames: options.classNames } : {}),
    trainImages,
    trainLabels: bytes('trainLabels', 1),
    testImages,
    testLabels: bytes('testLabels', 1),
    sources: { trainImages: source('trainImages'), trainLabels: source('trainLabels'), testImages: source('testImages'), testLabels: source('testLabels') },
  });
}
