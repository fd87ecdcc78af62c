import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, createLayerRegistry, createNetwork, summarizeNetwork, toLayersModelArtifacts, type LayerSpec } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { expectNoTensorLeak } from '@slot-machines/testing';
import { describe, expect, it } from 'vitest';
import { leakyReluKind } from './leakyReluKind';

/** The largest absolute difference between two arrays of equal length. */
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

// the spec type-checks because leakyReluKind.ts adds 'leakyRelu' to LayerSpecByType
const layers: LayerSpec[] = [{ type: 'slotDense', units: 8 }, { type: 'leakyRelu', alpha: 0.2 }, { type: 'slotDense', units: 3 }];

describe('a layer kind registered from outside core', () => {
  it('is unknown until registered, then plans, trains, extracts, summarises and exports', async () => {
    expect(() => createNetwork({ inputShape: [4], layers, k: 4, seed: 1, strategy: createGreedyStrategy() })).toThrow(SlotConfigError);
    expect(() => createNetwork({ inputShape: [4], layers, k: 4, seed: 1, strategy: createGreedyStrategy() })).toThrow(/^layers\[1\]\.type: expected one of 'slotDense'.*got 'leakyRelu'$/);
    const layerKinds = createLayerRegistry().register(leakyReluKind);
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 2);
    await expectNoTensorLeak(() => {
      const net = createNetwork({ inputShape: [4], layers, k: 4, seed: 1, strategy: createGreedyStrategy(), layerKinds });
      expect(net.layers.map((l) => l.name)).toEqual(['slotDense_0', 'leakyRelu_1', 'slotDense_1']);
      // the layer really is max(x, 0.2 x): compare with a hand-made forward pass of the argmax weights
      const w = net.selectedWeights();
      const manual = tf.tidy(() => tf.matMul(tf.leakyRelu(tf.matMul(x, w.slotDense_0 as tf.Tensor2D), 0.2), w.slotDense_1 as tf.Tensor2D));
      const ours = tf.tidy(() => net.apply(x));
      expect(maxAbsDiff(ours.dataSync(), manual.dataSync())).toBeLessThan(1e-5);
      // it trains (gradients flow through it) and survives extraction with the same registry
      const sgd = tf.train.sgd(0.5);
      const before = Array.from(net.scores().slotDense_0!.dataSync());
      sgd.minimize(() => tf.sum(tf.square(net.apply(x, { training: true, step: 0 }))) as tf.Scalar);
      expect(maxAbsDiff(net.scores().slotDense_0!.dataSync(), before)).toBeGreaterThan(0);
      const plain = net.extract();
      expect(plain.layers.map((l) => l.type)).toEqual(['dense', 'leakyRelu', 'dense']);
      const topology = toLayersModelArtifacts(plain).modelTopology as { config: { layers: Array<{ class_name: string; config: { alpha?: number } }> } };
      expect(topology.config.layers[1]).toMatchObject({ class_name: 'LeakyReLU', config: { alpha: 0.2 } });
      tf.dispose([ours, manual, ...Object.values(w)]);
      sgd.dispose();
      plain.dispose();
      net.dispose();
    });
    expect(summarizeNetwork({ inputShape: [4], layers, k: 4, layerKinds }).map((r) => [r.type, r.weights])).toEqual([
      ['slotDense', 32],
      ['leakyRelu', 0],
      ['slotDense', 24],
    ]);
    x.dispose();
  });
});
