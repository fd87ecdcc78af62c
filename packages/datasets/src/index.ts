// The platform-neutral half: parsers, data set layout, splits, batches, normalisation, augmentation.
// File-system and network sources live in `@slot-machines/datasets/node`.
export { DatasetError } from './DatasetError';
export type { DatasetErrorCode } from './DatasetError';
export { parseIdx, IDX_TYPE_CODES } from './parseIdx';
export type { IdxArray, IdxDataTypes, IdxDtype } from './parseIdx';
export { encodeIdx } from './encodeIdx';
export { isGzip } from './isGzip';
export { createImageDataset, checkLabels } from './ImageDataset';
export type { ImageDataset, ImageDatasetParts, ImageShape } from './ImageDataset';
export { datasetFromIdx } from './datasetFromIdx';
export type { DatasetFromIdxOptions, IdxFiles } from './datasetFromIdx';
export { MNIST_FILES, MNIST_FILE_KEYS, MNIST_MIRROR_URL } from './mnistFiles';
export type { MnistFile, MnistFileKey } from './mnistFiles';
export { parseCifar10Batch, CIFAR10_RECORD_BYTES } from './parseCifar10Batch';
export type { Cifar10Batch } from './parseCifar10Batch';
export { CIFAR10_CLASSES, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar10Files';
export { splitValidation, MNIST_VALIDATION_FRACTION, CIFAR10_VALIDATION_FRACTION } from './splitValidation';
export type { SplitValidationOptions, ValidationSplit } from './splitValidation';
export { normalizationTable, normalizeInto, UNIT_SCALE, MNIST_STANDARDIZE, CIFAR10_STANDARDIZE } from './Normalization';
export type { Normalization } from './Normalization';
export { cropAndFlip, drawAugmentation, NO_AUGMENTATION, CIFAR10_AUGMENTATION, FLIP_ONLY_AUGMENTATION } from './Augmentation';
export type { Augmentation, AugmentationDraw } from './Augmentation';
export { createBatchIterator } from './createBatchIterator';
export type { Batch, BatchData, BatchIterator, BatchIteratorOptions, LabelEncoding } from './createBatchIterator';
export { mulberry32 } from './mulberry32';
export type { Rng } from './mulberry32';
export { deriveSeed } from './deriveSeed';
export { shuffle } from './shuffle';
