import { describe, expect, it } from 'vitest';
import { SlotConfigError } from './errors';
import { createRegistry } from './registry';
import { argmaxStrategy } from './testStrategies.test-helpers';
import { noSharing } from './weightSharing';

describe('createRegistry', () => {
  it('turns registered ids back into plugin objects, passing the options', () => {
    const seen: unknown[] = [];
    const registry = createRegistry()
      .registerStrategy('test-argmax', (options) => {
        seen.push(options);
        return argmaxStrategy;
      })
      .registerSharing('none', () => noSharing);
    expect(registry.createStrategy({ id: 'test-argmax', options: { a: 1 } })).toBe(argmaxStrategy);
    expect(seen).toEqual([{ a: 1 }]);
    expect(registry.createSharing({ id: 'none' })).toBe(noSharing);
    expect(registry.strategyIds()).toEqual(['test-argmax']);
  });

  it('keeps registries apart: nothing is global', () => {
    const a = createRegistry().registerStrategy('test-argmax', () => argmaxStrategy);
    const b = createRegistry();
    expect(a.strategyIds()).toEqual(['test-argmax']);
    expect(b.strategyIds()).toEqual([]);
  });

  it('names the unknown id and the known ones', () => {
    const registry = createRegistry().registerStrategy('greedy', () => argmaxStrategy);
    expect(() => registry.createStrategy({ id: 'gredy' })).toThrow(SlotConfigError);
    expect(() => registry.createStrategy({ id: 'gredy' })).toThrow("strategy.id: expected a registered strategy id ('greedy'), got 'gredy'");
    expect(() => registry.createSharing({ id: 'layer' })).toThrow("sharing.id: expected a registered sharing id (none registered), got 'layer'");
  });
});
