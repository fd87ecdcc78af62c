import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '@slot-machines/wasm-kernels';
// a relative import: runtime-node depends on test-utils for its own tests
import { registerNativeSlotOps } from '../../runtime-node/src/nativeSlotOps';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Selects the backend a test file runs on. Tests never import a backend themselves: the vitest
 * project decides (cpu, wasm, and tensorflow where `@tensorflow/tfjs-node` is built, see
 * vitest.config.ts).
 */
export async function setTestBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    // Node has no page to serve the binaries from: point the backend at the package's own files.
    const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    setWasmPaths(`${wasmDir}/`);
    registerWasmKernels();
  }
  if (name === 'tensorflow' && tf.findBackendFactory('tensorflow') == null) await importTensorflow();
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`test backend '${name}' could not be initialised (tf.getBackend() is '${tf.getBackend()}')`);
  }
  await tf.ready();
  // the native fused slot op (built by install-native.sh), so that slotUpdate() runs it on tensorflow;
  // runtime-node's nativeSlotOps.test.ts requires it where SM_TEST_TENSORFLOW=1
  if (name === 'tensorflow') registerNativeSlotOps();
}

/** The backend the current test file runs on. */
export function testBackend(): string {
  return tf.getBackend();
}

/**
 * Whether this test run has the native backend: vitest.config.ts probes `@tensorflow/tfjs-node`
 * once and tells every project (`SM_TENSORFLOW_AVAILABLE`), so tests that compare backends, or
 * expect `initRuntime` to pick tensorflow, know what this machine has.
 */
export function tensorflowAvailable(): boolean {
  return process.env.SM_TENSORFLOW_AVAILABLE === '1';
}

/**
 * Loads `@tensorflow/tfjs-node` (CommonJS, outside vite), which registers the `tensorflow` backend
 * in the one engine tfjs keeps on the global object (and makes it the active backend).
 */
async function importTensorflow(): Promise<void> {
  // libtensorflow logs each CPU feature it was not built for; the tests' output does not need them
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // tfjs-node loads tfjs-core's CommonJS bundle beside the ES modules vite inlined; both register
  // the same node platform in the shared environment, and the second says so. Only that goes.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!/^Platform node has already been set/.test(String(args[0]))) warn(...args);
  };
  try {
    await import('@tensorflow/tfjs-node');
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Error(
      `test backend 'tensorflow': @tensorflow/tfjs-node does not load (${why}). Build its native part: bash packages/runtime-node/scripts/install-native.sh --project packages/runtime-node`,
    );
  } finally {
    console.warn = warn;
  }
}
