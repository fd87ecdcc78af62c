import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tools/tsup.config';

export default defineConfig(
  libraryConfig({
    platform: 'node',
    // tfjs-core's gradients exist only as ES modules inside a CommonJS package, which plain Node
    // cannot import: bundle them (and the tfjs-core internals they use) into a chunk of our own dist,
    // loaded lazily by registerCoreGradients(). Everything else of tfjs stays external (one core).
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    splitting: true,
    external: [/^@tensorflow\//, /^@slot-machines\//, /^node:/],
  }),
);
