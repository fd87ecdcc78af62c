import { describe, expect, it } from 'vitest';
import { createNetwork } from '../network/Network';

/** The learned baseline's initial weights: `paper` (the default) U(-σ, σ), `glorot-uniform` U(-√3σ, √3σ). */
describe('learned-weight initialisation', () => {
  const weightsOf = (init: 'paper' | 'glorot-uniform') => {
    const net = createNetwork({ inputShape: [784], layers: [{ type: 'dense', units: 300 }], seed: 4, init });
    const w = Array.from(net.weightLayers[0]!.source.variables().weight!.dataSync());
    net.dispose();
    return w;
  };
  const sigma = Math.sqrt(2 / (784 + 300)); // the std of Glorot normal

  it.each([
    ['paper', sigma],
    ['glorot-uniform', Math.sqrt(6 / (784 + 300))],
  ] as const)('%s draws U(-b, b) with b = %f', (init, bound) => {
    const w = weightsOf(init);
    const max = w.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(max).toBeLessThanOrEqual(bound);
    expect(max).toBeGreaterThan(bound * 0.999); // 235,200 draws reach the bound
    // the standard deviation of U(-b, b) is b / √3
    const std = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(std / (bound / Math.sqrt(3))).toBeCloseTo(1, 2);
  });
});
