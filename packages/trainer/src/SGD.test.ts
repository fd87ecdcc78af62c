import * as tf from '@tensorflow/tfjs-core';
import { expectNoTensorLeak, maxAbsDiff } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { SGD } from './SGD';

describe('SGD', () => {
  it('follows PyTorch SGD: g += wd·p; v = μv + g (v = g first); p -= lr·v', () => {
    const p = tf.variable(tf.tensor1d([1, -2, 3]));
    const sgd = new SGD([p], { momentum: 0.9, weightDecay: 0.1 });
    const g1 = tf.tensor1d([0.5, 0.5, -1]);
    const g2 = tf.tensor1d([1, 0, 2]);
    sgd.step([g1], 0.2);
    // v1 = g1 + 0.1 p0 = [0.6, 0.3, -0.7]; p1 = p0 - 0.2 v1
    const v1 = [0.6, 0.3, -0.7];
    const p1 = [1 - 0.12, -2 - 0.06, 3 + 0.14];
    expect(maxAbsDiff(p.dataSync(), p1)).toBeLessThan(1e-6);
    sgd.step([g2], 0.2);
    const v2 = [0, 1, 2].map((i) => 0.9 * v1[i]! + [1, 0, 2][i]! + 0.1 * p1[i]!);
    const p2 = p1.map((v, i) => v - 0.2 * v2[i]!);
    expect(maxAbsDiff(p.dataSync(), p2)).toBeLessThan(1e-6);
    expect(maxAbsDiff(sgd.velocities()[0]!.dataSync(), v2)).toBeLessThan(1e-6);
    tf.dispose([p, g1, g2]);
    sgd.dispose();
  });

  it('restores its velocities and leaks nothing', async () => {
    await expectNoTensorLeak(() => {
      const init = tf.ones([4]);
      const p = tf.variable(init);
      init.dispose();
      const g = tf.fill([4], 0.5);
      const a = new SGD([p], { momentum: 0.9 });
      a.step([g], 0.1);
      const b = new SGD([p], { momentum: 0.9 });
      b.loadVelocities(a.velocities());
      a.step([g], 0.1);
      b.step([g], 0.1);
      expect(Array.from(a.velocities()[0]!.dataSync())).toEqual(Array.from(b.velocities()[0]!.dataSync()));
      expect(() => b.step([g, g], 0.1)).toThrow('SGD.step: expected 1 gradients, one per variable, got 2');
      a.dispose();
      b.dispose();
      tf.dispose([p, g]);
    });
  });
});
