import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./backend-setup.ts', import.meta.url));

export type TestBackend = 'cpu' | 'wasm' | 'tensorflow';

/**
 * One vitest project that runs every package's tests on `backend`. `env` reaches every test
 * (e.g. `SM_TENSORFLOW_AVAILABLE`, so tests that compare backends know which ones exist).
 */
export function backendProject(backend: TestBackend, env: Record<string, string> = {}): TestProjectInlineConfiguration {
  return {
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name: backend,
      include: ['packages/*/src/**/*.test.ts', 'docs/plugins/**/*.test.ts'],
      setupFiles: [setupFile],
      env: { ...env, SM_TEST_BACKEND: backend },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
      // tfjs-core's gradients ship only as ES modules in a CommonJS package: let vite load them.
      // @tensorflow/tfjs-node stays outside vite (a CommonJS package with a native addon); it and
      // the inlined tfjs-core meet in the engine and registries tfjs keeps on the global object.
      server: { deps: { inline: [/@tensorflow\/tfjs-core/] } },
    },
  };
}
