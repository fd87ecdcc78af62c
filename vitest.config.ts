import { defineConfig } from 'vitest/config';
import { backendProject } from './tools/vitest/projects';

/**
 * Every suite runs once per backend (TensorFlow.js style): the same tests, the same tolerances.
 * Add a backend here and every package is tested on it.
 */
export default defineConfig({
  test: {
    projects: [backendProject('cpu'), backendProject('wasm')],
    // the JSON report is what .ci/run counts passed and failed tests from
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
