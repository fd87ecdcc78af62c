import { SlotConfigError } from '../errors';
import type { BaseLayerSpec, LayerKind } from './LayerKind';

/**
 * The layer kinds a network may use, by type id. One registry per use (no global state): core's
 * kinds come from `createLayerRegistry()`, and a package adds its own with an explicit
 * `register(kind)`, never as an import side effect.
 */
export interface LayerRegistry {
  /** Adds (or replaces) the kind for `kind.type`. Returns the registry for chaining. */
  register<Spec extends BaseLayerSpec>(kind: LayerKind<Spec>): LayerRegistry;
  /** The kind of `type`; throws a `SlotConfigError` at `field` naming the registered types. */
  get(type: unknown, field?: string): LayerKind;
  has(type: string): boolean;
  types(): string[];
}

/** A registry holding `kinds` (e.g. `createLayerRegistry(coreLayerKinds)` or an empty one). */
export function createEmptyLayerRegistry(kinds: readonly LayerKind<never>[] = []): LayerRegistry {
  const byType = new Map<string, LayerKind>();
  const registry: LayerRegistry = {
    register(kind) {
      if (!kind || typeof kind.type !== 'string' || typeof kind.plan !== 'function' || typeof kind.create !== 'function') {
        throw new SlotConfigError('layer kind', 'an object with a string type and plan() and create() functions', kind);
      }
      byType.set(kind.type, kind as unknown as LayerKind);
      return registry;
    },
    get(type, field = 'type') {
      const kind = typeof type === 'string' ? byType.get(type) : undefined;
      if (!kind) throw new SlotConfigError(field, `one of ${[...byType.keys()].map((t) => `'${t}'`).join(', ')}`, type);
      return kind;
    },
    has: (type) => byType.has(type),
    types: () => [...byType.keys()],
  };
  for (const kind of kinds) registry.register(kind as unknown as LayerKind);
  return registry;
}
