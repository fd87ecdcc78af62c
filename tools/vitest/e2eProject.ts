import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The browser end-to-end tests: the built demo (`packages/playground/dist`, so run the build first)
 * in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core). Node
 * environment, no backend setup file (the browser runs TensorFlow.js, not this process), a forked
 * process, and timeouts long enough to train for a few epochs. Screenshots and the
 * downloaded model go to `test-output/e2e/`.
 */
export const e2eProject: TestProjectInlineConfiguration = {
  test: {
    name: 'e2e',
    include: ['packages/playground/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
};
