import { fileURLToPath } from 'node:url';
import { configDefaults, type TestProjectInlineConfiguration } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./backend-setup.ts', import.meta.url));

export type TestBackend = 'cpu' | 'wasm' | 'tensorflow';

/**
 * One vitest project that runs every package's tests on `backend`, but the files in `exclude` (the
 * backend-independent ones, which `onceProject` runs). `env` reaches every test (e.g.
 * `SM_TENSORFLOW_AVAILABLE`, so tests that compare backends know which ones exist).
 */
export function backendProject(backend: TestBackend, env: Record<string, string> = {}, exclude: readonly string[] = []): TestProjectInlineConfiguration {
  const project = baseProject(backend, backend, env);
  return { ...project, test: { ...project.test, exclude: [...configDefaults.exclude, ...exclude] } };
}

/** The backend-independent test files, run once (on cpu, which they do not use) in a project named `once`. */
export function onceProject(files: readonly string[], env: Record<string, string> = {}): TestProjectInlineConfiguration {
  const project = baseProject('once', 'cpu', env);
  return { ...project, test: { ...project.test, include: [...files] } };
}

function baseProject(name: string, backend: TestBackend, env: Record<string, string>): TestProjectInlineConfiguration {
  return {
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: {
      name,
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
