import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointStore } from '../CheckpointStore';
import { writeFileAtomic } from './writeFileAtomic';

/** Checkpoints as `${dir}/${name}.safetensors`, each written atomically. */
export function createFileCheckpointStore(dir: string): CheckpointStore {
  const path = (name: string) => join(dir, `${name}.safetensors`);
  return {
    save: (name, bytes) => writeFileAtomic(path(name), bytes),
    load: async (name) => {
      try {
        return new Uint8Array(await readFile(path(name)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    describe: path,
  };
}
