import * as tf from '@tensorflow/tfjs-core';
import type { BatchProvider } from './BatchProvider';

/**
 * A deterministic classification task for trainer tests: inputs N(0, 1), labels from a fixed
 * random linear teacher. `batch(epoch, i)` shuffles by epoch, so order matters for exact resume.
 */
export function teacherData(options: { n: number; features: number; classes: number; batchSize: number; seed: number; shuffle?: boolean }): BatchProvider & { dispose(): void } {
  const { n, features, classes, batchSize, seed } = options;
  const x = tf.randomNormal([n, features], 0, 1, 'float32', seed);
  const teacher = tf.randomNormal([features, classes], 0, 1, 'float32', 1000); // one teacher for every split
  const labels = tf.tidy(() => tf.cast(tf.argMax(tf.matMul(x, teacher), -1), 'int32'));
  teacher.dispose();
  const batches = Math.ceil(n / batchSize);
  const order = (epoch: number) => {
    const idx = Array.from({ length: n }, (_, i) => i);
    if (options.shuffle === false) return idx;
    let s = (seed * 7919 + epoch * 104729) >>> 0;
    for (let i = n - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx;
  };
  return {
    size: n,
    batchesPerEpoch: batches,
    batch: (epoch, i) =>
      tf.tidy(() => {
        const ids = tf.tensor1d(order(epoch).slice(i * batchSize, (i + 1) * batchSize), 'int32');
        return { x: tf.gather(x, ids), y: tf.gather(labels, ids) };
      }),
    dispose: () => tf.dispose([x, labels]),
  };
}
