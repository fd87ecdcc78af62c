import { deriveSeed } from './deriveSeed';
import { shuffle } from './shuffle';
import { validate } from './DatasetError';

/** The spec's validation fractions: 15% of MNIST's training set, 10% of CIFAR-10's. */
export const MNIST_VALIDATION_FRACTION = 0.15;
export const CIFAR10_VALIDATION_FRACTION = 0.1;

export interface SplitValidationOptions {
  /** Share of the training rows held out for validation, in (0, 1); `round(fraction * n)` rows. */
  readonly fraction: number;
  /** Seed of the split: the same seed gives the same split on every machine. */
  readonly seed: number;
}

/** Row indices into the training arrays, each sorted ascending; disjoint, and together every row once. */
export interface ValidationSplit {
  readonly train: Uint32Array;
  readonly validation: Uint32Array;
}

/**
 * Holds out a seeded random `fraction` of the training rows for validation (not stratified). Pass
 * the result's `train` or `validation` as `indices` to `createBatchIterator`. Memory: no tensors.
 *
 * @param dataset a data set (its `trainCount` is used) or the number of training rows
 * @throws DatasetError `invalid-option` for a fraction outside (0, 1) or a bad seed
 */
export function splitValidation(dataset: { readonly trainCount: number } | number, options: SplitValidationOptions): ValidationSplit {
  const n = validate.requireInteger('trainCount', typeof dataset === 'number' ? dataset : dataset.trainCount, 0);
  const fraction = validate.requireNumber('fraction', options.fraction, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const seed = validate.requireSeed('seed', options.seed);
  const held = Math.round(fraction * n);
  const rows = shuffle(Uint32Array.from({ length: n }, (_, i) => i), deriveSeed(seed, 'validation-split'));
  return { validation: rows.slice(0, held).sort(), train: rows.slice(held).sort() };
}
