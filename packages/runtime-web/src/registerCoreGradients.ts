import { BatchMatMul, Conv2D, MaxPool, Mean, Relu, Sum, getGradient } from '@tensorflow/tfjs-core';

/** Kernels whose gradients must exist before training; if all do, tfjs-core's set is registered. */
const PROBES = [Mean, Sum, Relu, BatchMatMul, Conv2D, MaxPool];

/**
 * Registers every gradient tfjs-core defines (about 100 kernels), which `tf.grad` and the optimizers
 * need and which `@tensorflow/tfjs-core`'s main entry leaves out. `initRuntime` calls it; call it
 * yourself only if you start a backend without `initRuntime`. Idempotent; does nothing when they are
 * registered already (by `@tensorflow/tfjs`, the union package, or by an earlier call).
 *
 * The gradients are imported on demand from `@tensorflow/tfjs-core/dist/register_all_gradients.js`,
 * so the app's bundler resolves them to the same tfjs-core modules as everything else (one engine,
 * one registry) and puts them in a chunk of their own. A dynamic import rather than a side-effect
 * import keeps this package `"sideEffects": false` without any risk of a bundler dropping it.
 *
 * @returns `true` if this call registered them, `false` if they were registered already.
 * @throws if the gradients were registered with another copy of tfjs-core (two incompatible cores).
 */
export async function registerCoreGradients(): Promise<boolean> {
  if (PROBES.every((kernel) => getGradient(kernel) != null)) return false;
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const missing = PROBES.filter((kernel) => getGradient(kernel) == null);
  if (missing.length > 0) {
    throw new Error(
      `registerCoreGradients: tfjs-core's gradients were registered, yet this @tensorflow/tfjs-core does not see ${missing.join(', ')}: more than one tfjs-core is bundled; make the bundler resolve a single @tensorflow/tfjs-core`,
    );
  }
  return true;
}
