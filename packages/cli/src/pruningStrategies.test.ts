import { describe, expect, it } from 'vitest';
import { specFromFlags } from './commands/trainCommand';
import { describeRun } from './runSpec';

describe('train flags for the pruning strategies (edge-popup, supermask)', () => {
  it('edge-popup: K = 2 with the zero option, its weights, keep fraction 0.5 and its recipe by default', () => {
    const spec = specFromFlags({ strategy: 'edge-popup' });
    expect(spec).toMatchObject({ strategy: 'edge-popup', keepFraction: 0.5, k: 2, zeroOption: true, sharing: 'edge-popup-weights', learningRate: 0.1, weightDecay: 1e-4, momentum: 0.9 });
    expect(specFromFlags({ strategy: 'edge-popup', 'keep-fraction': '0.3' }).keepFraction).toBe(0.3);
    expect(describeRun(specFromFlags({ strategy: 'edge-popup', 'keep-fraction': '0.3' }))).toBe('lenet-300-100 edge-popup keep 0.3');
  });

  it('supermask: K = 2 with the zero option, its weights and the authors\' lr 100 without weight decay', () => {
    const spec = specFromFlags({ strategy: 'supermask' });
    expect(spec).toMatchObject({ strategy: 'supermask', k: 2, zeroOption: true, sharing: 'supermask-weights', learningRate: 100, weightDecay: 0 });
    expect(spec).not.toHaveProperty('keepFraction');
    expect(describeRun(spec)).toBe('lenet-300-100 supermask');
  });

  it('other strategies record no keep fraction: their config.json is unchanged', () => {
    expect(specFromFlags({})).not.toHaveProperty('keepFraction');
    expect(specFromFlags({ strategy: 'probabilistic' })).not.toHaveProperty('keepFraction');
  });

  it('refuses flags the pruning strategies do not use, naming them', () => {
    expect(() => specFromFlags({ strategy: 'edge-popup', k: '8' })).toThrow('--k 8: --strategy edge-popup has one weight per connection and the zero option (K = 2); drop --k');
    expect(() => specFromFlags({ strategy: 'supermask', sharing: 'layer' })).toThrow('--sharing layer: --strategy supermask draws its one weight per connection its own way; drop --sharing');
    expect(() => specFromFlags({ strategy: 'supermask', 'zero-option': true })).toThrow('--zero-option: --strategy supermask prunes one weight per connection');
    expect(() => specFromFlags({ strategy: 'edge-popup', init: 'glorot-uniform' })).toThrow('--init: --strategy edge-popup prunes');
    expect(() => specFromFlags({ strategy: 'edge-popup', normalize: 'softmax' })).toThrow('--normalize: --strategy edge-popup prunes');
    expect(() => specFromFlags({ strategy: 'supermask', 'keep-fraction': '0.5' })).toThrow('--keep-fraction is for --strategy edge-popup');
    expect(() => specFromFlags({ 'keep-fraction': '0.5' })).toThrow('--keep-fraction is for --strategy edge-popup');
    expect(() => specFromFlags({ flavour: 'learned', 'keep-fraction': '0.5' })).toThrow('--keep-fraction: the learned flavour trains ordinary weights');
    expect(() => specFromFlags({ strategy: 'edge-popup', 'keep-fraction': '1.5' })).toThrow(/^--keep-fraction: expected a number/);
    expect(() => specFromFlags({ strategy: 'pruning' })).toThrow("--strategy: expected one of 'greedy', 'probabilistic', 'edge-popup', 'supermask', got 'pruning'");
  });
});
