import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '@slot-machines/core';
import { expectNoTensorLeak } from '@slot-machines/testing';
import { describe, expect, it } from 'vitest';
import { createSupermaskWeights } from './createSupermaskWeights';

const request = { layerIndex: 0, shape: [300, 100, 2], bound: 0.1 };
const sigma = Math.sqrt(2 / 400);

describe('createSupermaskWeights', () => {
  it("draws Keras' glorot_normal: standard deviation sqrt(2/(fan_in+fan_out)), truncated at two of the underlying normal's", () => {
    const [w] = createSupermaskWeights().createOptions([request], { k: 2, seed: 5 });
    const values = Array.from(w!.dataSync());
    const std = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.97 * sigma);
    expect(std).toBeLessThan(1.03 * sigma);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual((2 * sigma) / 0.87962566 + 1e-6);
    w!.dispose();
  });

  it('draws signed constants ±sqrt(2/(fan_in+fan_out)) with init: signed-constant, reproducibly', () => {
    const draw = (seed: number) => createSupermaskWeights({ init: 'signed-constant' }).createOptions([request], { k: 2, seed });
    const [a] = draw(5);
    const [b] = draw(5);
    const [c] = draw(6);
    expect(new Set(a!.dataSync())).toEqual(new Set([Math.fround(sigma), -Math.fround(sigma)]));
    expect(Array.from(a!.dataSync())).toEqual(Array.from(b!.dataSync()));
    expect(Array.from(a!.dataSync())).not.toEqual(Array.from(c!.dataSync()));
    tf.dispose([a!, b!, c!]);
  });

  it('leaks no tensor beyond the options it returns, and rejects bad options by name', async () => {
    await expectNoTensorLeak(() => createSupermaskWeights({ init: 'signed-constant' }).createOptions([request], { k: 2, seed: 4 }));
    expect(() => createSupermaskWeights({ init: 'kaiming' as never })).toThrow(SlotConfigError);
  });
});
