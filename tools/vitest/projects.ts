import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./backend-setup.ts', import.meta.url));

export type TestBackend = 'cpu' | 'wasm' | 'tensorflow';

/** One vitest project that runs every package's tests on `backend`. */
export function backendProject(backend: TestBackend): TestProjectInlineConfiguration {
  return {
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name: backend,
      include: ['packages/*/src/**/*.test.ts', 'docs/plugins/**/*.test.ts'],
      setupFiles: [setupFile],
      env: { SM_TEST_BACKEND: backend },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
      // tfjs-core's gradients ship only as ES modules in a CommonJS package: let vite load them.
      server: { deps: { inline: [/@tensorflow\/tfjs-core/] } },
    },
  };
}
