import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, createNetwork } from '@slot-machines/core';
import { expectNoTensorLeak } from '@slot-machines/testing';
import { describe, expect, it } from 'vitest';
import { createEdgePopupStrategy } from './createEdgePopupStrategy';
import { createEdgePopupWeights } from './createEdgePopupWeights';

const requests = [
  { layerIndex: 0, shape: [3, 3, 4, 16, 2], bound: 0.1 }, // conv: fan_in 36
  { layerIndex: 1, shape: [100, 30, 2], bound: 0.1 }, // dense: fan_in 100
];

describe('createEdgePopupWeights', () => {
  it('draws signed Kaiming constants ±sqrt(2/fan_in), both signs about equally often', () => {
    const [conv, dense] = createEdgePopupWeights().createOptions(requests, { k: 2, seed: 3 });
    for (const [t, fanIn] of [[conv!, 36], [dense!, 100]] as const) {
      const sigma = Math.fround(Math.sqrt(2 / fanIn));
      const values = Array.from(t.dataSync());
      expect(new Set(values)).toEqual(new Set([sigma, -sigma]));
      const positive = values.filter((v) => v > 0).length / values.length;
      expect(positive).toBeGreaterThan(0.45);
      expect(positive).toBeLessThan(0.55);
    }
    tf.dispose([conv!, dense!]);
  });

  it('scales the fan by the kept share with scaleFan, and draws Kaiming normal weights on request', () => {
    const [scaled] = createEdgePopupWeights({ scaleFan: 0.5 }).createOptions([requests[1]!], { k: 2, seed: 3 });
    expect(Math.abs(scaled!.dataSync()[0]!)).toBeCloseTo(Math.sqrt(2 / 50), 6);
    const [normal] = createEdgePopupWeights({ init: 'kaiming-normal' }).createOptions([{ layerIndex: 0, shape: [400, 100, 2], bound: 0.1 }], { k: 2, seed: 3 });
    const values = Array.from(normal!.dataSync());
    const std = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.95 * Math.sqrt(2 / 400));
    expect(std).toBeLessThan(1.05 * Math.sqrt(2 / 400));
    tf.dispose([scaled!, normal!]);
  });

  it('is reproducible from (seed, layer index), and a network makes option 1 the zero', () => {
    const a = createEdgePopupWeights().createOptions(requests, { k: 2, seed: 9 });
    const b = createEdgePopupWeights().createOptions(requests, { k: 2, seed: 9 });
    const c = createEdgePopupWeights().createOptions(requests, { k: 2, seed: 10 });
    expect(Array.from(a[1]!.dataSync())).toEqual(Array.from(b[1]!.dataSync()));
    expect(Array.from(a[1]!.dataSync())).not.toEqual(Array.from(c[1]!.dataSync()));
    tf.dispose([...a, ...b, ...c]);
    const net = createNetwork({ inputShape: [10], layers: [{ type: 'slotDense', units: 4 }], k: 2, zeroOption: true, seed: 1, strategy: createEdgePopupStrategy(), sharing: createEdgePopupWeights() });
    const options = net.slotLayers[0]!.source.options.arraySync() as number[][][];
    expect(options.flat().map((pair) => pair[1])).toEqual(Array(40).fill(0));
    expect(options.flat().every((pair) => Math.abs(Math.abs(pair[0]!) - Math.fround(Math.sqrt(0.2))) < 1e-7)).toBe(true);
    net.dispose();
  });

  it('leaks no tensor beyond the options it returns, and rejects bad options by name', async () => {
    await expectNoTensorLeak(() => createEdgePopupWeights().createOptions(requests, { k: 2, seed: 4 }));
    expect(() => createEdgePopupWeights({ init: 'xavier' as never })).toThrow(SlotConfigError);
    expect(() => createEdgePopupWeights({ scaleFan: 0 })).toThrow('scaleFan: expected');
  });
});
