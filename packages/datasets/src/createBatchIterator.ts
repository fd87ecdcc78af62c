import * as tf from '@tensorflow/tfjs-core';
import { cropAndFlip, drawAugmentation, NO_AUGMENTATION, type Augmentation } from './Augmentation';
import { validate } from './DatasetError';
import { deriveSeed } from './deriveSeed';
import type { ImageDataset, ImageShape } from './ImageDataset';
import { mulberry32 } from './mulberry32';
import { normalizationTable, normalizeInto, UNIT_SCALE, type Normalization } from './Normalization';
import { shuffle } from './shuffle';

/** How labels are encoded in a batch: `indices` gives int32 `[b]`, `one-hot` gives float32 `[b, numClasses]`. */
export type LabelEncoding = 'indices' | 'one-hot';

export interface BatchIteratorOptions {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Which half of the data set to read. @default 'train' */
  readonly part?: 'train' | 'test';
  /** Rows of that half to iterate, e.g. `splitValidation(...).train`. @default every row */
  readonly indices?: ArrayLike<number>;
  /** Seed of the per-epoch shuffles and the augmentation draws. @default 0 */
  readonly seed?: number;
  /** Shuffle every epoch (from `(seed, epoch)`); `false` keeps `indices` order. @default true */
  readonly shuffle?: boolean;
  /** Drop the last batch of an epoch when it has fewer than `batchSize` examples. @default false */
  readonly dropLast?: boolean;
  /** @default UNIT_SCALE (pixels to [0, 1]) */
  readonly normalization?: Normalization;
  /** Training-time augmentation, drawn from `(seed, epoch, batch)`. @default NO_AUGMENTATION */
  readonly augmentation?: Augmentation;
  /** @default 'indices' (int32 labels) */
  readonly labels?: LabelEncoding;
}

/**
 * One batch as tensors. The caller owns both: dispose them (`tf.dispose(batch)`) when done. A type
 * alias, not an interface, so it is a `tf.TensorContainer` that `tf.dispose` accepts whole.
 */
export type Batch = {
  /** float32 `[b, height, width, channels]`, normalised. */
  readonly x: tf.Tensor4D;
  /** int32 `[b]` labels, or float32 `[b, numClasses]` one-hot. */
  readonly y: tf.Tensor1D | tf.Tensor2D;
};

/** One batch as typed arrays, before any tensor exists. */
export interface BatchData {
  readonly x: Float32Array;
  readonly xShape: readonly [number, number, number, number];
  readonly y: Int32Array | Float32Array;
  readonly yShape: readonly [number] | readonly [number, number];
  /** The data set rows (indices into the chosen half) in this batch, in batch order. */
  readonly rows: Uint32Array;
}

/**
 * Seeded mini-batches over one half of a data set. Stateless between calls: epoch `e` is shuffled
 * from `(seed, e)` alone and batch `i`'s augmentation drawn from `(seed, e, i)` alone, so
 * `batches(e, i)` after a restart yields exactly the batches an uninterrupted run would have seen
 * from batch `i` on. Holds no tensors: nothing to dispose.
 */
export interface BatchIterator {
  /** Examples per epoch (the length of `indices`). */
  readonly size: number;
  readonly batchSize: number;
  /** `ceil(size / batchSize)`, or `floor(...)` with `dropLast`. */
  readonly batchesPerEpoch: number;
  readonly imageShape: ImageShape;
  /** The rows of epoch `epoch` in visiting order (a fresh copy). */
  order(epoch: number): Uint32Array;
  /** Batch `index` of epoch `epoch` as typed arrays. Memory: fresh arrays, no tensors. */
  batchData(epoch: number, index: number): BatchData;
  /** Batch `index` of epoch `epoch` as tensors. Memory: the caller owns and disposes `x` and `y`. */
  batch(epoch: number, index: number): Batch;
  /**
   * Yields the batches of epoch `epoch` from batch `fromBatch` on (0: the whole epoch; a saved batch
   * index: resume). Batches are made lazily, one per step. Memory: the caller owns and disposes each
   * yielded batch; breaking out early leaks nothing.
   */
  batches(epoch: number, fromBatch?: number): Generator<Batch, void, undefined>;
}

/**
 * Creates a seeded, resumable mini-batch iterator over `dataset` (see `BatchIterator`). Memory: the
 * iterator holds typed arrays only; every tensor it makes (`batch`, `batches`) belongs to the caller.
 *
 * ```ts
 * const { train } = splitValidation(mnist, { fraction: MNIST_VALIDATION_FRACTION, seed: 1 });
 * const it = createBatchIterator(mnist, { batchSize: 100, indices: train, seed: 1 });
 * for (const { x, y } of it.batches(epoch, resumeBatch)) { ...; tf.dispose([x, y]); }
 * ```
 *
 * @throws DatasetError `invalid-option` for a bad batch size, seed, label encoding, normalisation,
 *   augmentation or an index outside the chosen half
 */
export function createBatchIterator(dataset: ImageDataset, options: BatchIteratorOptions): BatchIterator {
  const batchSize = validate.requireInteger('batchSize', options.batchSize, 1);
  const part = validate.requireOneOf('part', options.part ?? 'train', ['train', 'test'] as const);
  const seed = validate.requireSeed('seed', options.seed ?? 0);
  const labelEncoding = validate.requireOneOf('labels', options.labels ?? 'indices', ['indices', 'one-hot'] as const);
  const shuffled = options.shuffle ?? true;
  const augmentation = options.augmentation ?? NO_AUGMENTATION;
  const imageShape = dataset.imageShape;
  const [h, w, c] = imageShape;
  const pixels = h * w * c;
  const table = normalizationTable(options.normalization ?? UNIT_SCALE, c);
  drawAugmentation(augmentation, mulberry32(0)); // validates the config up front

  const images = part === 'train' ? dataset.trainImages : dataset.testImages;
  const labels = part === 'train' ? dataset.trainLabels : dataset.testLabels;
  const count = part === 'train' ? dataset.trainCount : dataset.testCount;
  const rows = options.indices ? Uint32Array.from(options.indices) : Uint32Array.from({ length: count }, (_, i) => i);
  if (options.indices) {
    for (let i = 0; i < rows.length; i++) {
      const r = options.indices[i]!;
      if (!Number.isInteger(r) || r < 0 || r >= count) {
        throw validate.invalid(`indices[${i}]`, `a row in [0, ${count - 1}] of ${dataset.name} ${part}`, r);
      }
    }
  }
  const size = rows.length;
  const batchesPerEpoch = options.dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);

  let cachedEpoch = -1;
  let cachedOrder = rows;
  const orderOf = (epoch: number): Uint32Array => {
    validate.requireInteger('epoch', epoch, 0);
    if (!shuffled) return rows;
    if (epoch !== cachedEpoch) {
      cachedOrder = shuffle(rows.slice(), deriveSeed(seed, 'shuffle', epoch));
      cachedEpoch = epoch;
    }
    return cachedOrder;
  };

  const batchData = (epoch: number, index: number): BatchData => {
    const order = orderOf(epoch);
    validate.requireInteger('batch index', index, { min: 0, max: batchesPerEpoch - 1 });
    const batchRows = order.slice(index * batchSize, Math.min(size, (index + 1) * batchSize));
    const b = batchRows.length;
    const x = new Float32Array(b * pixels);
    const augmented = augmentation.kind === 'none' ? null : new Uint8Array(pixels);
    const rng = mulberry32(deriveSeed(seed, 'augment', epoch, index));
    for (let i = 0; i < b; i++) {
      const row = batchRows[i]!;
      let image = images.subarray(row * pixels, (row + 1) * pixels);
      if (augmented) {
        cropAndFlip(image, augmented, 0, imageShape, drawAugmentation(augmentation, rng));
        image = augmented;
      }
      normalizeInto(image, x, i * pixels, c, table);
    }
    const k = dataset.numClasses;
    let y: Int32Array | Float32Array;
    if (labelEncoding === 'indices') {
      y = new Int32Array(b);
      for (let i = 0; i < b; i++) y[i] = labels[batchRows[i]!]!;
    } else {
      y = new Float32Array(b * k);
      for (let i = 0; i < b; i++) y[i * k + labels[batchRows[i]!]!] = 1;
    }
    return {
      x,
      xShape: [b, h, w, c],
      y,
      yShape: labelEncoding === 'indices' ? [b] : [b, k],
      rows: batchRows,
    };
  };

  const batch = (epoch: number, index: number): Batch => {
    const data = batchData(epoch, index);
    const x = tf.tensor4d(data.x, [...data.xShape]);
    const y = data.yShape.length === 1 ? tf.tensor1d(data.y, 'int32') : tf.tensor2d(data.y, [data.yShape[0], data.yShape[1]], 'float32');
    return { x, y };
  };

  return {
    size,
    batchSize,
    batchesPerEpoch,
    imageShape,
    order: (epoch) => orderOf(epoch).slice(),
    batchData,
    batch,
    *batches(epoch, fromBatch = 0) {
      validate.requireInteger('fromBatch', fromBatch, { min: 0, max: batchesPerEpoch });
      for (let i = fromBatch; i < batchesPerEpoch; i++) yield batch(epoch, i);
    },
  };
}
