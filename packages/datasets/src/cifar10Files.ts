/** The training batches of the official `cifar-10-batches-bin` folder, in the official order (50,000 images). */
export const CIFAR10_TRAIN_FILES: readonly string[] = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
];

/** The test batch of `cifar-10-batches-bin` (10,000 images). */
export const CIFAR10_TEST_FILE = 'test_batch.bin';

/** CIFAR-10's class names, index = label (as in `batches.meta.txt`). */
export const CIFAR10_CLASSES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
