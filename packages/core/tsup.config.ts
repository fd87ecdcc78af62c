import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tools/tsup.config';

export default defineConfig(
  libraryConfig({
    // Two entries: the library, and `@slot-machines/core/runtime`, the start-up the runtime packages share.
    entry: { index: 'src/index.ts', runtime: 'src/runtime/index.ts' },
    splitting: true,
  }),
);
