import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tools/tsup.config';

// Two entries (the library API and the bin's `main`) share one chunk: the code ships once.
export default defineConfig(
  libraryConfig({ entry: { index: 'src/index.ts', main: 'src/main.ts' }, platform: 'node', splitting: true }),
);
