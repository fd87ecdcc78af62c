import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createNetwork } from './network/Network';
import type { InitScheme } from './init';
import { argmaxStrategy } from './testStrategies.test-helpers';

/**
 * The initial options and scores against the paper's formulas (spec section 2), written out here
 * with the fans by hand rather than through the code's own `initBounds`/`fans`:
 * paper: W ~ U(-σ, σ), σ = sqrt(2 / (fan_in + fan_out)), s ~ U(0, λσ), λ = 0.1 dense, 1 conv;
 * glorot-uniform: W ~ U(-b, b), b = sqrt(6 / (fan_in + fan_out)), s ~ U(0, b). Fans ignore K.
 */
const CASES: Array<{ name: string; inputShape: number[]; layer: Record<string, unknown>; fanIn: number; fanOut: number; lambda: number }> = [
  // Lenet-300-100's first layer: 784 -> 300
  { name: 'dense 784 -> 300', inputShape: [784], layer: { type: 'slotDense', units: 300 }, fanIn: 784, fanOut: 300, lambda: 0.1 },
  // CONV-2's second layer: 3x3, 64 -> 64 channels: fan_in = 64·9, fan_out = 64·9
  { name: 'conv 3x3 64 -> 64', inputShape: [4, 4, 64], layer: { type: 'slotConv2d', filters: 64, kernelSize: 3 }, fanIn: 576, fanOut: 576, lambda: 1 },
  // a first conv layer: 3x3, 3 -> 64 channels
  { name: 'conv 3x3 3 -> 64', inputShape: [4, 4, 3], layer: { type: 'slotConv2d', filters: 64, kernelSize: 3 }, fanIn: 27, fanOut: 576, lambda: 1 },
];

function range(t: tf.Tensor): { min: number; max: number; mean: number; std: number } {
  const v = t.dataSync();
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of v) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { min, max, mean, std: Math.sqrt(sq / v.length) };
}

describe.each(['paper', 'glorot-uniform'] as InitScheme[])('%s initialisation against the formulas of spec section 2', (init) => {
  it.each(CASES)('$name: options fill U(-w, w), scores U(0, s), whatever K', ({ inputShape, layer, fanIn, fanOut, lambda }) => {
    const sigma = Math.sqrt(2 / (fanIn + fanOut));
    const b = Math.sqrt(6 / (fanIn + fanOut));
    const w = init === 'paper' ? sigma : b;
    const s = init === 'paper' ? lambda * sigma : b;
    for (const k of [2, 8]) {
      const net = createNetwork({ inputShape, layers: [layer as never], k, seed: 11, init, strategy: argmaxStrategy });
      const source = net.slotLayers[0]!.source;
      const o = range(source.options);
      const sc = range(source.scores);
      // inside the bounds (float32 rounding aside) and reaching close to them: >= 10^4 uniform draws
      expect(o.min).toBeGreaterThanOrEqual(-w * (1 + 1e-6));
      expect(o.max).toBeLessThanOrEqual(w * (1 + 1e-6));
      expect(o.min).toBeLessThan(-0.99 * w);
      expect(o.max).toBeGreaterThan(0.99 * w);
      expect(Math.abs(o.std / (w / Math.sqrt(3)) - 1)).toBeLessThan(0.02); // a uniform's std
      expect(Math.abs(o.mean)).toBeLessThan(0.02 * w);
      expect(sc.min).toBeGreaterThanOrEqual(0);
      expect(sc.max).toBeLessThanOrEqual(s * (1 + 1e-6));
      expect(sc.max).toBeGreaterThan(0.99 * s);
      expect(Math.abs(sc.mean / (s / 2) - 1)).toBeLessThan(0.02);
      net.dispose();
    }
  });
});
