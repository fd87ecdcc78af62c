import * as tf from '@tensorflow/tfjs-core';
// The real start-up: runtime-node's initRuntime over its real host (the shared start-up of
// @slot-machines/core/runtime, the backend imports, the wasm kernels, tfjs-core's gradients, the
// native fused op on tensorflow). A relative import: runtime-node depends on test-utils for its own
// tests, so a workspace dependency back would be a cycle.
import { initRuntime } from '../../runtime-node/src/initRuntime';

const BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;

/**
 * Selects the backend a test file runs on, through `initRuntime({ backend: name })` of
 * `@slot-machines/runtime-node`, exactly as an application starts it. Tests never import a backend
 * themselves: the vitest project decides (cpu, wasm, and tensorflow where `@tensorflow/tfjs-node`
 * is built, see vitest.config.ts). Its one line stays quiet.
 */
export async function setTestBackend(name: string): Promise<void> {
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new Error(`setTestBackend: expected one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got '${name}'`);
  }
  await initRuntime({ backend: name as (typeof BACKENDS)[number], log: () => {} });
}

/** The backend the current test file runs on. */
export function testBackend(): string {
  return tf.getBackend();
}

/**
 * Whether this test run has the native backend: vitest.config.ts probes `@tensorflow/tfjs-node`
 * once and tells every project (`SM_TENSORFLOW_AVAILABLE`), so tests that compare backends, or
 * expect `initRuntime('auto')` to pick tensorflow, know what this machine has.
 */
export function tensorflowAvailable(): boolean {
  return process.env.SM_TENSORFLOW_AVAILABLE === '1';
}
