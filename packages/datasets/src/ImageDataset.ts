import { DatasetError } from './DatasetError';

/** One image's shape, NHWC without the N: `[height, width, channels]`. */
export type ImageShape = readonly [height: number, width: number, channels: number];

/**
 * A labelled image data set held in plain typed arrays, the layout every source produces and the
 * batch iterator reads: images NHWC row-major (`[count, height, width, channels]`, raw 0..255 bytes),
 * one label byte per image. No tensors: a data set costs no backend memory and needs no dispose.
 */
export interface ImageDataset {
  /** A short id, e.g. `'mnist'`, `'cifar10'`. */
  readonly name: string;
  readonly imageShape: ImageShape;
  /** Labels lie in `[0, numClasses)`. */
  readonly numClasses: number;
  /** Human-readable class names, index = label, when the source ships them. */
  readonly classNames?: readonly string[];
  readonly trainImages: Uint8Array;
  readonly trainLabels: Uint8Array;
  readonly testImages: Uint8Array;
  readonly testLabels: Uint8Array;
  readonly trainCount: number;
  readonly testCount: number;
}

/** The parts of an `ImageDataset` before the counts are derived and checked. */
export interface ImageDatasetParts extends Omit<ImageDataset, 'trainCount' | 'testCount'> {
  /** Names for the four arrays in error messages (e.g. their file paths). @default the field names, prefixed by `name` */
  readonly sources?: Partial<Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', string>>;
}

/**
 * Checks that the arrays agree (one label per image, image bytes a multiple of the image size,
 * every label below `numClasses`) and returns the data set with its counts. Arrays are kept, not
 * copied. Memory: no tensors.
 *
 * @throws DatasetError `mismatch` or `bad-label`, naming the array (or its file) at fault.
 */
export function createImageDataset(parts: ImageDatasetParts): ImageDataset {
  const { sources = {}, ...dataset } = parts;
  const [h, w, c] = parts.imageShape;
  const pixels = h * w * c;
  const source = (key: keyof NonNullable<ImageDatasetParts['sources']>) => sources[key] ?? `${parts.name} ${key}`;
  const count = (images: 'trainImages' | 'testImages', labels: 'trainLabels' | 'testLabels'): number => {
    const imageBytes = parts[images].length;
    if (pixels <= 0 || imageBytes % pixels !== 0) {
      throw new DatasetError('mismatch', source(images), `${imageBytes} bytes is not a whole number of ${h}x${w}x${c} images`);
    }
    const n = imageBytes / pixels;
    if (parts[labels].length !== n) {
      throw new DatasetError('mismatch', source(labels), `holds ${parts[labels].length} labels but ${source(images)} holds ${n} images`);
    }
    checkLabels(parts[labels], parts.numClasses, source(labels));
    return n;
  };
  const trainCount = count('trainImages', 'trainLabels');
  const testCount = count('testImages', 'testLabels');
  return { ...dataset, trainCount, testCount };
}

/** @throws DatasetError `bad-label` naming `source` and the first label outside `[0, numClasses)`. */
export function checkLabels(labels: Uint8Array, numClasses: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= numClasses) {
      throw new DatasetError('bad-label', source, `label ${labels[i]} at index ${i} is outside [0, ${numClasses - 1}]`);
    }
  }
}
