import * as tf from '@tensorflow/tfjs-core';
import { architecture } from '@slot-machines/architectures';
import { createNetwork, loadCompactModel } from '@slot-machines/core';
import { MNIST_STANDARDIZE, createBatchIterator, createImageDataset, mulberry32, type ImageDataset } from '@slot-machines/datasets';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createEdgePopupStrategy, createEdgePopupWeights } from '@slot-machines/selection-edge-popup';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { evaluate } from '@slot-machines/trainer';
import { describe, expect, it } from 'vitest';
import { exportCompactModel, loadAndTestCompactModel } from './compactModel';

/** MNIST-shaped random pixels and labels: enough to score a network, not to learn. */
function tinyMnist(test: number): ImageDataset {
  const rng = mulberry32(5);
  return createImageDataset({
    name: 'mnist',
    imageShape: [28, 28, 1],
    numClasses: 10,
    trainImages: new Uint8Array(784),
    trainLabels: new Uint8Array(1),
    testImages: Uint8Array.from({ length: test * 784 }, () => rng.nextInt(256)),
    testLabels: Uint8Array.from({ length: test }, () => rng.nextInt(10)),
  });
}

const data = tinyMnist(50);
const request = { k: 2, strategy: 'greedy', epochs: 1, seed: 4 } as const;

describe("the demo's compact models", () => {
  it('export a Lenet-300-100 whose reloaded network scores what the trained one scores', () => {
    const net = createNetwork({ ...architecture('lenet-300-100'), k: 2, seed: 4, strategy: createGreedyStrategy() });
    const bytes = exportCompactModel(net, request);
    // 266,200 connections in 1 bit each, and a header
    expect(bytes.byteLength).toBeGreaterThan(266_200 / 8);
    expect(bytes.byteLength).toBeLessThan(266_200 / 8 + 2048);
    expect(loadCompactModel(bytes).metadata).toEqual({ slotMachines: { dataset: 'mnist', normalization: MNIST_STANDARDIZE, demo: request } });
    const summary = loadAndTestCompactModel(bytes, 'model.slot', data);
    const trained = evaluate(net, createBatchIterator(data, { batchSize: 1000, part: 'test', shuffle: false, normalization: MNIST_STANDARDIZE })).accuracy;
    expect(summary).toEqual({ name: 'model.slot', bytes: bytes.byteLength, k: 2, seed: 4, connections: 266_200, bitsPerConnection: 1, testAccuracy: trained, testImages: 50 });
    net.dispose();
  });

  it('round-trip an edge-popup network: its signed Kaiming constant weights regenerate, its top-k choice is kept', () => {
    const net = createNetwork({ ...architecture('lenet-300-100'), k: 2, zeroOption: true, seed: 5, strategy: createEdgePopupStrategy(), sharing: createEdgePopupWeights() });
    const bytes = exportCompactModel(net, { ...request, strategy: 'edge-popup' });
    const summary = loadAndTestCompactModel(bytes, 'edge-popup.slot', data);
    const trained = evaluate(net, createBatchIterator(data, { batchSize: 1000, part: 'test', shuffle: false, normalization: MNIST_STANDARDIZE })).accuracy;
    expect(summary).toMatchObject({ k: 2, seed: 5, connections: 266_200, bitsPerConnection: 1, testAccuracy: trained });
    net.dispose();
  });

  it('refuse a network that does not take MNIST images, naming both shapes', () => {
    const net = createNetwork({ inputShape: [10], layers: [{ type: 'slotDense', units: 10 }], k: 2, seed: 1, strategy: createGreedyStrategy() });
    const bytes = exportCompactModel(net, null);
    net.dispose();
    const before = tf.memory().numTensors;
    expect(() => loadAndTestCompactModel(bytes, 'other.slot', data)).toThrow("other.slot: the network takes inputs of shape [10], the demo's MNIST images are [28, 28, 1]");
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leak no tensor', async () => {
    const net = createNetwork({ ...architecture('lenet-300-100'), k: 2, seed: 4, strategy: createGreedyStrategy() });
    const bytes = exportCompactModel(net, request);
    net.dispose();
    await expectNoTensorLeak(() => {
      loadAndTestCompactModel(bytes, 'model.slot', data);
    });
  });
});
