import { SlotConfigError } from './errors';
import type { SelectionStrategy } from './selection';
import type { WeightSharingPolicy } from './weightSharing';

/**
 * Options of each known strategy by id. Plugins add theirs by declaration merging:
 * `declare module '@slot-machines/core' { interface StrategyOptionsById { greedy: GreedyOptions } }`.
 */
// biome-ignore lint: an interface meant for declaration merging
export interface StrategyOptionsById {}
/** Options of each known weight-sharing policy by id (extended by declaration merging). */
// biome-ignore lint: an interface meant for declaration merging
export interface SharingOptionsById {}

export type KnownStrategyId = Extract<keyof StrategyOptionsById, string>;
/** A strategy id: the known ones autocomplete, any other string is allowed. */
export type StrategyId = KnownStrategyId | (string & {});
export type KnownSharingId = Extract<keyof SharingOptionsById, string>;
export type SharingId = KnownSharingId | (string & {});

type OptionsOf<Map, Id> = Id extends keyof Map ? Map[Id] : Record<string, unknown>;

/** A strategy as JSON: how checkpoints and config files name it. */
export interface StrategyConfig<Id extends StrategyId = StrategyId> {
  readonly id: Id;
  readonly options?: OptionsOf<StrategyOptionsById, Id>;
}
export interface SharingConfig<Id extends SharingId = SharingId> {
  readonly id: Id;
  readonly options?: OptionsOf<SharingOptionsById, Id>;
}

export type StrategyFactory<Id extends StrategyId = StrategyId> = (options?: OptionsOf<StrategyOptionsById, Id>) => SelectionStrategy;
export type SharingFactory<Id extends SharingId = SharingId> = (options?: OptionsOf<SharingOptionsById, Id>) => WeightSharingPolicy;

/**
 * Turns ids from checkpoints and JSON configs back into plugin objects. One registry per use;
 * nothing registers itself: call `registerStrategy` / `registerSharing` explicitly.
 */
export interface PluginRegistry {
  registerStrategy<Id extends StrategyId>(id: Id, factory: StrategyFactory<Id>): PluginRegistry;
  registerSharing<Id extends SharingId>(id: Id, factory: SharingFactory<Id>): PluginRegistry;
  /** Throws a `SlotConfigError` naming the known ids when `config.id` is not registered. */
  createStrategy<Id extends StrategyId>(config: StrategyConfig<Id>): SelectionStrategy;
  createSharing<Id extends SharingId>(config: SharingConfig<Id>): WeightSharingPolicy;
  strategyIds(): string[];
  sharingIds(): string[];
}

export function createRegistry(): PluginRegistry {
  const strategies = new Map<string, StrategyFactory<never>>();
  const sharings = new Map<string, SharingFactory<never>>();
  const lookup = <F>(kind: string, map: Map<string, F>, id: unknown): F => {
    const factory = typeof id === 'string' ? map.get(id) : undefined;
    if (!factory) {
      const known = [...map.keys()].map((k) => `'${k}'`).join(', ') || 'none registered';
      throw new SlotConfigError(`${kind}.id`, `a registered ${kind} id (${known})`, id);
    }
    return factory;
  };
  const registry: PluginRegistry = {
    registerStrategy(id, factory) {
      strategies.set(id, factory as StrategyFactory<never>);
      return registry;
    },
    registerSharing(id, factory) {
      sharings.set(id, factory as SharingFactory<never>);
      return registry;
    },
    createStrategy(config) {
      return (lookup('strategy', strategies, config?.id) as StrategyFactory)(config.options as Record<string, unknown>);
    },
    createSharing(config) {
      return (lookup('sharing', sharings, config?.id) as SharingFactory)(config.options as Record<string, unknown>);
    },
    strategyIds: () => [...strategies.keys()],
    sharingIds: () => [...sharings.keys()],
  };
  return registry;
}
