import type { Options } from 'tsup';

/**
 * The one build configuration every library package uses. A package's own `tsup.config.ts` is two
 * lines over this factory, so a later move to another bundler touches this file only.
 */
export function libraryConfig(overrides: Partial<Options> = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'es2022',
    platform: 'neutral',
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    external: [/^@tensorflow\//, /^@slot-machines\//],
    ...overrides,
  };
}
