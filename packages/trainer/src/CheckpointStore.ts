/**
 * Where checkpoints go. `save` must be atomic: a reader sees the old bytes or the new ones, never
 * a mix (the node store writes a temporary file, then renames it).
 */
export interface CheckpointStore {
  save(name: string, bytes: Uint8Array): Promise<void>;
  /** The bytes saved under `name`, or undefined when there are none. */
  load(name: string): Promise<Uint8Array | undefined>;
  /** A human-readable location for messages (a path, 'memory'). */
  describe(name: string): string;
}

/** Keeps checkpoints in memory (tests, browsers). */
export function createMemoryCheckpointStore(): CheckpointStore & { readonly files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    save: async (name, bytes) => {
      files.set(name, bytes.slice());
    },
    load: async (name) => files.get(name)?.slice(),
    describe: (name) => `memory:${name}`,
  };
}
