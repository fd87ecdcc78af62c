import { defineConfig } from 'vitest/config';
import { projectCountsReporter } from './tools/vitest/projectCountsReporter';
import { e2eProject } from './tools/vitest/e2eProject';
import { BACKEND_INDEPENDENT } from './tools/vitest/backendIndependent';
import { backendProject, onceProject } from './tools/vitest/projects';
import { tensorflowAvailability } from './tools/vitest/tensorflowAvailability';

/**
 * Every suite runs once per backend (TensorFlow.js style): the same tests, the same tolerances;
 * the files listed in tools/vitest/backendIndependent.ts run once, in the `once` project.
 * Add a backend here and every package is tested on it. The native one (`tensorflow`) runs where
 * `@tensorflow/tfjs-node` loads; `SM_TEST_TENSORFLOW=1` (.ci/run) makes its absence an error.
 */
const tensorflow = tensorflowAvailability();
if (tensorflow.required && !tensorflow.available) {
  throw new Error(`SM_TEST_TENSORFLOW=1 but the native backend is unavailable: ${tensorflow.detail}`);
}
if (!tensorflow.enabled) console.warn(`vitest: no 'tensorflow' project: ${tensorflow.available ? `SM_TEST_TENSORFLOW=0 (${tensorflow.detail} is there)` : tensorflow.detail}`);
const env = { SM_TENSORFLOW_AVAILABLE: tensorflow.available ? '1' : '0' };

export default defineConfig({
  test: {
    projects: [
      // tests that touch no tensor (tools/vitest/backendIndependent.ts) run once, not per backend
      onceProject(BACKEND_INDEPENDENT, env),
      backendProject('cpu', env, BACKEND_INDEPENDENT),
      backendProject('wasm', env, BACKEND_INDEPENDENT),
      ...(tensorflow.enabled ? [backendProject('tensorflow', env, BACKEND_INDEPENDENT)] : []),
      // the demo in real headless Chromium; SM_TEST_E2E=0 leaves it out (tools/ci/test-all.sh does
      // so, and says why, where Chromium cannot be installed)
      ...(process.env.SM_TEST_E2E === '0' ? [] : [e2eProject]),
    ],
    // the JSON report is what .ci/run counts passed and failed tests from; the other, per backend
    reporters: ['default', 'json', projectCountsReporter('test-output/vitest-projects.json')],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
