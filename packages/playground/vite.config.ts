import { defaultClientConditions, defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './server/isolationHeaders';

// The demo. `vite build` bundles the workspace packages from their built `dist` (the `default` export
// condition: exactly what an app installing them from npm gets); `vite` (dev) reads their TypeScript
// sources through the `source` condition so edits anywhere in the monorepo reload the page.
export default defineConfig(({ command }) => ({
  base: './',
  resolve: {
    dedupe: ['@tensorflow/tfjs-core'],
    ...(command === 'serve' ? { conditions: ['source', ...defaultClientConditions] } : {}),
  },
  // The worker imports the backends on demand (code splitting), which needs ES module workers.
  worker: { format: 'es' },
  // Dev only: pre-bundle every tfjs entry up front, so the dev server never re-optimises (and
  // reloads) halfway through starting the backend, which would leave two copies of tfjs-core.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients.js',
      '@tensorflow/tfjs-backend-wasm',
      '@slot-machines/runtime-web > @tensorflow/tfjs-backend-cpu',
    ],
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // tfjs-core alone is ~1 MB before gzip; the worker chunk is meant to be big, the page's is small.
    chunkSizeWarningLimit: 2048,
  },
  server: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
  preview: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
}));
