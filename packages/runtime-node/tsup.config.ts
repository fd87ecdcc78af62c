import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
    // esbuild's own tree shaking; tsup's extra rollup pass would rewrite the files after onSuccess
    treeshake: false,
    external: [/^@tensorflow\//, /^@slot-machines\//, /^node:/],
    // The gradients chunk is tfjs-core's code, not ours: its 1 MB source map would only bloat the
    // tarball. Drop the map and the comment that points at it; our own files keep theirs.
    async onSuccess() {
      for (const name of await readdir('dist')) {
        if (!name.startsWith('register_all_gradients-')) continue;
        if (name.endsWith('.js.map')) await rm(`dist/${name}`);
        else if (name.endsWith('.js')) {
          const code = await readFile(`dist/${name}`, 'utf8');
          await writeFile(`dist/${name}`, code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
        }
      }
    },
  }),
);
