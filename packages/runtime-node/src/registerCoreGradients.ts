import { BatchMatMul, Conv2D, MaxPool, Mean, Relu, Sum, getGradient } from '@tensorflow/tfjs-core';

/** Kernels whose gradients must exist before training; if all do, tfjs-core's set is registered. */
const PROBES = [Mean, Sum, Relu, BatchMatMul, Conv2D, MaxPool];

/**
 * Registers every gradient tfjs-core defines (about 100 kernels), which `tf.grad` and the optimizers
 * need. `initRuntime` calls it; call it yourself only if you start a backend without `initRuntime`.
 * Idempotent; does nothing when they are registered already (by `@tensorflow/tfjs-node`, which
 * loads the `@tensorflow/tfjs` union package, or by an earlier call).
 *
 * Why this exists: tfjs-core's CommonJS bundle for Node (`dist/tf-core.node.js`) has no gradients;
 * they ship only as ES modules (`dist/register_all_gradients.js`) inside a package without
 * `"type": "module"`, which plain Node refuses to import. runtime-node's build bundles that module
 * and the tfjs-core internals it uses into a chunk of its own dist; the copies register into the one
 * gradient registry and engine, which tfjs keeps on the global object (`_tfGlobals`, `_tfengine`).
 * Under vitest and bundlers the same import resolves to tfjs-core's own ES modules.
 *
 * @returns `true` if this call registered them, `false` if they were registered already.
 * @throws if the gradients were registered with another copy of tfjs-core (two incompatible cores).
 */
export async function registerCoreGradients(): Promise<boolean> {
  if (PROBES.every((kernel) => getGradient(kernel) != null)) return false;
  try {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  } catch (error) {
    // Only runtime-node's source, run by plain Node (e.g. tsx), gets here: its build bundles the module.
    throw new Error(
      `registerCoreGradients: tfjs-core's gradients could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): plain Node cannot import them from @tensorflow/tfjs-core; use the built @slot-machines/runtime-node (its dist bundles them), not its source`,
    );
  }
  const missing = PROBES.filter((kernel) => getGradient(kernel) == null);
  if (missing.length > 0) {
    throw new Error(
      `registerCoreGradients: tfjs-core's gradients were registered, yet this @tensorflow/tfjs-core does not see ${missing.join(', ')}: more than one tfjs-core is installed; install exactly one version (npm ls @tensorflow/tfjs-core)`,
    );
  }
  return true;
}
