import {
  CIFAR10_AUGMENTATION,
  CIFAR10_STANDARDIZE,
  FLIP_ONLY_AUGMENTATION,
  MNIST_STANDARDIZE,
  NO_AUGMENTATION,
  UNIT_SCALE,
  createBatchIterator,
  splitValidation,
  type BatchIterator,
  type ImageDataset,
  type Normalization,
} from '@slot-machines/datasets';
import { loadCifar10, loadMnist } from '@slot-machines/datasets/node';
import { CliError } from './CliError';
import type { RunSpec } from './runSpec';

export interface RunData {
  readonly dataset: ImageDataset;
  readonly train: BatchIterator;
  /** Absent when the spec holds no validation split (`--validation 0`). */
  readonly validation?: BatchIterator;
  readonly test: BatchIterator;
}

/** How a run scales its input pixels (older run configs without the field were scaled to [0, 1]). */
export function runNormalization(spec: RunSpec): Normalization {
  if (spec.normalization === 'scale' || spec.normalization === undefined) return UNIT_SCALE;
  return spec.dataset === 'mnist' ? MNIST_STANDARDIZE : CIFAR10_STANDARDIZE;
}

/** Loads the spec's dataset and makes the seeded train / validation / test iterators (spec section 7). */
export async function loadRunData(spec: RunSpec): Promise<RunData> {
  const dataset = spec.dataset === 'mnist' ? await loadMnist(spec.data) : await loadCifar10((spec.data as { path: string }).path);
  const normalization = runNormalization(spec);
  // `--validation 0`: every training row trains, in file order (CIFAR-10's data_batch_1 first)
  const split =
    spec.validationFraction === 0
      ? { train: Uint32Array.from({ length: dataset.trainCount }, (_, i) => i), validation: new Uint32Array(0) }
      : splitValidation(dataset, { fraction: spec.validationFraction, seed: spec.seed });
  if (spec.trainSubset !== null && spec.trainSubset > split.train.length) {
    throw new CliError(`--train-subset ${spec.trainSubset}: the training split of ${spec.dataset} holds ${split.train.length} examples; pass at most ${split.train.length} or leave the flag out`);
  }
  const trainRows = spec.trainSubset === null ? split.train : split.train.slice(0, spec.trainSubset);
  if (trainRows.length === 0 || split.validation.length === 0 && spec.validationFraction > 0) {
    throw new CliError(`--validation ${spec.validationFraction}: leaves ${trainRows.length} training and ${split.validation.length} validation examples of ${dataset.trainCount}`);
  }
  const augmentation = spec.augment === 'crop-flip' ? CIFAR10_AUGMENTATION : spec.augment === 'flip' ? FLIP_ONLY_AUGMENTATION : NO_AUGMENTATION;
  const evalBatch = 1000;
  return {
    dataset,
    train: createBatchIterator(dataset, { batchSize: spec.batchSize, indices: trainRows, seed: spec.seed, normalization, augmentation }),
    ...(split.validation.length > 0 ? { validation: createBatchIterator(dataset, { batchSize: evalBatch, indices: split.validation, shuffle: false, normalization }) } : {}),
    test: createBatchIterator(dataset, { batchSize: evalBatch, part: 'test', shuffle: false, normalization }),
  };
}
