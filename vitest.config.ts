import { defineConfig } from 'vitest/config';
import { projectCountsReporter } from './tools/vitest/projectCountsReporter';
import { e2eProject } from './tools/vitest/e2eProject';
import { backendProject } from './tools/vitest/projects';
import { tensorflowAvailability } from './tools/vitest/tensorflowAvailability';

/**
 * Every suite runs once per backend (TensorFlow.js style): the same tests, the same tolerances.
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
      backendProject('cpu', env),
      backendProject('wasm', env),
      ...(tensorflow.enabled ? [backendProject('tensorflow', env)] : []),
      // the demo in real headless Chromium; SM_TEST_E2E=0 leaves it out (tools/ci/test-all.sh does
      // so, and says why, where Chromium cannot be installed)
      ...(process.env.SM_TEST_E2E === '0' ? [] : [e2eProject]),
    ],
    // the JSON report is what .ci/run counts passed and failed tests from; the other, per backend
    reporters: ['default', 'json', projectCountsReporter('test-output/vitest-projects.json')],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
