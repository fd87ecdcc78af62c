import * as tf from '@tensorflow/tfjs-core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBatchIterator, type BatchIteratorOptions } from './createBatchIterator';
import { DatasetError } from './DatasetError';
import type { ImageDataset } from './ImageDataset';
import { loadBundledMnist } from './node/loadBundledMnist';
import { MNIST_STANDARDIZE } from './Normalization';
import { splitValidation } from './splitValidation';

/** Bitwise equality of two typed arrays (vitest's deep equality is slow on arrays this size). */
const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  a.constructor === b.constructor && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('createBatchIterator (MNIST)', () => {
  let mnist: ImageDataset;
  let train: Uint32Array;
  let validation: Uint32Array;
  beforeAll(async () => {
    mnist = await loadBundledMnist();
    ({ train, validation } = splitValidation(mnist, { fraction: 0.15, seed: 1 }));
  });
  const make = (options: Partial<BatchIteratorOptions> = {}) =>
    createBatchIterator(mnist, { batchSize: 128, indices: train, seed: 1, ...options });

  it('covers every row of the split once per epoch, in an order that changes with the epoch', () => {
    const it = make();
    expect(it.size).toBe(51_000);
    expect(it.batchesPerEpoch).toBe(399);
    const e0 = it.order(0);
    const e1 = it.order(1);
    expect(Array.from(e0).sort((a, b) => a - b)).toEqual(Array.from(train));
    expect(Array.from(e1).sort((a, b) => a - b)).toEqual(Array.from(train));
    expect(Array.from(e0.subarray(0, 50))).not.toEqual(Array.from(e1.subarray(0, 50)));
    const rows = new Set<number>();
    for (let b = 0; b < it.batchesPerEpoch; b++) for (const r of it.batchData(0, b).rows) rows.add(r);
    expect(rows.size).toBe(51_000);
  });

  it('is deterministic per seed and different for another seed', () => {
    const a = make().batchData(3, 5);
    const b = make().batchData(3, 5);
    const c = make({ seed: 2 }).batchData(3, 5);
    expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
    expect(same(a.x, b.x)).toBe(true);
    expect(same(a.y, b.y)).toBe(true);
    expect(Array.from(a.rows)).not.toEqual(Array.from(c.rows));
    expect(same(a.x, c.x)).toBe(false);
  });

  it('makes float32 x in [0, 1] NHWC and int32 labels of the rows it names', () => {
    const it = make();
    const { x, y } = it.batch(0, 0);
    const data = it.batchData(0, 0);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([128, 28, 28, 1]);
    expect(y.dtype).toBe('int32');
    expect(y.shape).toEqual([128]);
    const xs = x.dataSync();
    const ys = y.dataSync();
    for (const i of [0, 77, 127]) {
      const row = data.rows[i]!;
      expect(ys[i]).toBe(mnist.trainLabels[row]);
      for (const p of [0, 300, 400, 783]) expect(xs[i * 784 + p]).toBeCloseTo(mnist.trainImages[row * 784 + p]! / 255, 6);
    }
    tf.dispose([x, y]);
  });

  it('keeps or drops the last partial batch', () => {
    const keep = make();
    const drop = make({ dropLast: true });
    expect(keep.batchesPerEpoch).toBe(399);
    expect(drop.batchesPerEpoch).toBe(398);
    expect(keep.batchData(0, 398).xShape).toEqual([51_000 - 398 * 128, 28, 28, 1]);
    expect(() => drop.batchData(0, 398)).toThrow(DatasetError);
    expect([...drop.batches(0, 395)].map((b) => (tf.dispose(b), b.x.shape[0]))).toEqual([128, 128, 128]);
  });

  it('encodes one-hot labels as float32 [b, 10] on request, and standardises', () => {
    const it = make({ labels: 'one-hot', normalization: MNIST_STANDARDIZE, batchSize: 16 });
    const { x, y } = it.batch(2, 1);
    const data = it.batchData(2, 1);
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([16, 10]);
    const ys = y.arraySync() as number[][];
    ys.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b)).toBe(1);
      expect(row.indexOf(1)).toBe(mnist.trainLabels[data.rows[i]!]);
    });
    expect(x.dataSync()[0]).toBeCloseTo((mnist.trainImages[data.rows[0]! * 784]! / 255 - 0.1307) / 0.3081, 5);
    tf.dispose([x, y]);
  });

  it('keeps the given order without shuffle (e.g. for validation)', () => {
    const it = make({ indices: validation, shuffle: false, batchSize: 1000 });
    expect(Array.from(it.order(5))).toEqual(Array.from(validation));
    expect(Array.from(it.batchData(0, 8).rows)).toEqual(Array.from(validation.subarray(8000, 9000)));
  });

  it('resumes mid-epoch with exactly the batches an uninterrupted run yields', () => {
    const options: Partial<BatchIteratorOptions> = { batchSize: 500, seed: 11, augmentation: { kind: 'crop-flip', padding: 2 } };
    const collect = (batches: Iterable<{ x: tf.Tensor; y: tf.Tensor }>) =>
      [...batches].map((b) => {
        const out = { x: b.x.dataSync().slice(), y: b.y.dataSync().slice() };
        tf.dispose(b);
        return out;
      });
    // An uninterrupted run through epochs 0 and 1.
    const first = make(options);
    collect(first.batches(0));
    const uninterrupted = collect(first.batches(1));
    expect(uninterrupted.length).toBe(102);
    // A fresh process resumes at (epoch 1, batch 60).
    const resumed = collect(make(options).batches(1, 60));
    expect(resumed.length).toBe(42);
    resumed.forEach((b, i) => {
      expect(same(b.x, uninterrupted[60 + i]!.x), `x of batch ${60 + i}`).toBe(true);
      expect(same(b.y, uninterrupted[60 + i]!.y), `y of batch ${60 + i}`).toBe(true);
    });
    // The comparison can fail: batches of another epoch, or without augmentation, differ.
    expect(same(resumed[0]!.x, collect([make(options).batch(0, 60)])[0]!.x)).toBe(false);
    expect(same(resumed[0]!.x, collect([make({ ...options, augmentation: { kind: 'none' } }).batch(1, 60)])[0]!.x)).toBe(false);
  });

  it('draws augmentation per (seed, epoch, batch): the same images differ across batches and epochs', () => {
    // Every batch holds the same 8 rows in the same order, so only the draws can tell batches apart.
    const rows = [0, 1, 2, 3, 4, 5, 6, 7];
    const it = make({ indices: [...rows, ...rows, ...rows], shuffle: false, batchSize: 8, augmentation: { kind: 'crop-flip', padding: 4 } });
    const plain = make({ indices: rows, shuffle: false, batchSize: 8 }).batchData(0, 0).x;
    expect(same(it.batchData(0, 1).x, it.batchData(0, 1).x)).toBe(true);
    expect(same(it.batchData(0, 0).x, it.batchData(0, 1).x)).toBe(false);
    expect(same(it.batchData(0, 1).x, it.batchData(1, 1).x)).toBe(false);
    expect(same(it.batchData(0, 0).x, plain)).toBe(false);
  });

  it('leaks no tensors, whether an epoch is finished or abandoned', async () => {
    const it = make({ batchSize: 2048 });
    await expectNoTensorLeak(() => {
      for (const batch of it.batches(0)) tf.dispose(batch);
      for (const batch of it.batches(1, 3)) {
        tf.dispose(batch);
        break;
      }
      const one = it.batch(2, 0);
      tf.dispose(one);
    });
  });

  it('rejects bad options and out-of-range rows', () => {
    expect(() => make({ batchSize: 0 })).toThrow('batchSize: expected an integer >= 1, got 0');
    expect(() => make({ indices: [0, 60_000] })).toThrow(/indices\[1\]: expected a row in \[0, 59999\]/);
    expect(() => make({ part: 'valid' as never })).toThrow(DatasetError);
    expect(() => make({ labels: 'sparse' as never })).toThrow(DatasetError);
    expect(() => make().batchData(-1, 0)).toThrow(/epoch/);
    expect(() => [...make().batches(0, 400)]).toThrow(/fromBatch/);
  });

  it('reads the test half', () => {
    const it = createBatchIterator(mnist, { batchSize: 4096, part: 'test', shuffle: false });
    expect(it.size).toBe(10_000);
    expect(it.batchesPerEpoch).toBe(3);
    expect(Array.from(it.batchData(0, 0).y.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });
});
