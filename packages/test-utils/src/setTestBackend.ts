import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '@slot-machines/wasm-kernels';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Selects the backend a test file runs on. Tests never import a backend themselves: the vitest
 * project decides (cpu, wasm, and the native one where it is installed).
 */
export async function setTestBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    // Node has no page to serve the binaries from: point the backend at the package's own files.
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    setWasmPaths(`${wasmDir}/`);
    registerWasmKernels();
  }
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`test backend '${name}' could not be initialised (tf.getBackend() is '${tf.getBackend()}')`);
  }
  await tf.ready();
}

/** The backend the current test file runs on. */
export function testBackend(): string {
  return tf.getBackend();
}
