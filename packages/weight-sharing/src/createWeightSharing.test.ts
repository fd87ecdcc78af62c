import { describeWeightSharingPolicy } from '@slot-machines/testing';
import * as tf from '@tensorflow/tfjs-core';
import { argmaxSelection, createNetwork, type LayerSpec, type WeightSharingPolicy } from '@slot-machines/core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { createGlobalSharing, createLayerSharing, createNoSharing } from './createWeightSharing';

const strategy = { id: 'argmax', select: argmaxSelection };
const layers: LayerSpec[] = [
  { type: 'slotConv2d', filters: 4 },
  { type: 'relu' },
  { type: 'flatten' },
  { type: 'slotDense', units: 12 },
  { type: 'relu' },
  { type: 'slotDense', units: 3 },
];
const K = 6;
const build = (sharing: WeightSharingPolicy) => createNetwork({ inputShape: [5, 5, 2], layers, k: K, seed: 21, strategy, sharing });
const distinct = (t: tf.Tensor) => new Set(t.dataSync()).size;

describe('weight sharing', () => {
  it('none: every connection has its own K options', () => {
    const net = build(createNoSharing());
    for (const layer of net.slotLayers) {
      expect(layer.source.options.shape).toEqual(layer.source.scores.shape);
      expect(distinct(layer.source.options)).toBe(layer.source.options.size);
    }
    net.dispose();
  });

  it('layer: each layer holds exactly K distinct values within its own σ, scores per connection', () => {
    const net = build(createLayerSharing());
    const vectors = net.slotLayers.map((layer) => {
      expect(layer.source.options.shape).toEqual([K]);
      expect(layer.source.scores.shape).toEqual([...layer.weightShape, K]);
      expect(distinct(layer.source.options)).toBe(K);
      const w = layer.selectedWeight();
      const allowed = new Set(layer.source.options.dataSync());
      // every effective weight of the layer is one of those K values
      expect([...new Set(w.dataSync())].every((v) => allowed.has(v))).toBe(true);
      expect(Math.max(...Array.from(layer.source.options.dataSync(), Math.abs))).toBeLessThanOrEqual(layer.source.weightBound);
      w.dispose();
      return Array.from(layer.source.options.dataSync());
    });
    expect(vectors[0]).not.toEqual(vectors[1]);
    net.dispose();
  });

  it('global: the network holds one vector of K values with σ̂ the mean of the layers’ σ', () => {
    const net = build(createGlobalSharing());
    const first = Array.from(net.slotLayers[0]!.source.options.dataSync());
    expect(new Set(first).size).toBe(K);
    const meanBound = net.slotLayers.reduce((s, l) => s + l.source.weightBound, 0) / net.slotLayers.length;
    expect(Math.max(...first.map(Math.abs))).toBeLessThanOrEqual(meanBound);
    const all = new Set<number>();
    for (const layer of net.slotLayers) {
      expect(Array.from(layer.source.options.dataSync())).toEqual(first);
      const w = layer.selectedWeight();
      for (const v of w.dataSync()) all.add(v);
      w.dispose();
    }
    expect([...all].every((v) => first.includes(v))).toBe(true);
    net.dispose();
  });

  it('keeps the zero option exactly 0 in shared vectors', () => {
    for (const sharing of [createLayerSharing(), createGlobalSharing()]) {
      const net = createNetwork({ inputShape: [5, 5, 2], layers, k: K, seed: 21, strategy, sharing, zeroOption: true });
      for (const layer of net.slotLayers) expect(Object.is(layer.source.options.dataSync()[K - 1], 0)).toBe(true);
      net.dispose();
    }
  });

  it('trains scores with the straight-through gradient through shared options', () => {
    const net = build(createLayerSharing());
    const x = tf.randomNormal([3, 5, 5, 2], 0, 1, 'float32', 7);
    const grads = tf.variableGrads(() => tf.sum(tf.square(net.apply(x, { training: true, step: 0 }))) as tf.Scalar);
    for (const layer of net.slotLayers) {
      const g = grads.grads[layer.source.scores.name]!;
      expect(g.shape).toEqual(layer.source.scores.shape);
      expect(tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]!)).toBeGreaterThan(0);
    }
    tf.dispose([grads.value, ...Object.values(grads.grads), x]);
    net.dispose();
  });
});

describeWeightSharingPolicy('none', createNoSharing);
describeWeightSharingPolicy('layer', createLayerSharing);
describeWeightSharingPolicy('global', createGlobalSharing);
