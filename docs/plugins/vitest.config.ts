import { defineConfig } from 'vitest/config';

// The plugin's own test run (`npm test`): every test file starts a backend first (vitest.setup.ts).
export default defineConfig({
  test: {
    include: ['*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    // the conformance suite trains a small teacher task: seconds on wasm, more on cpu
    testTimeout: 60_000,
  },
});
