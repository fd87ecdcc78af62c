import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { e2eProject } from '../../tools/vitest/e2eProject';

// Runs only the browser e2e project (the root vitest.config.ts runs it with everything else):
//   npx vitest run --config packages/playground/vitest.e2e.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: { projects: [e2eProject] },
});
