import { BatchMatMul, Conv2D, MaxPool, Mean, Relu, Sum, getGradient } from '@tensorflow/tfjs-core';

/** Kernels whose gradients must exist before training; if all do, tfjs-core's set is registered. */
const PROBES = [Mean, Sum, Relu, BatchMatMul, Conv2D, MaxPool];

/** Where a runtime host gets tfjs-core's gradients from, and what to tell the user when that fails. */
export interface GradientSource {
  /**
   * Imports `@tensorflow/tfjs-core/dist/register_all_gradients.js`, which registers every gradient
   * tfjs-core defines. The import must sit in the host package's own source: runtime-node's build
   * bundles the module (plain Node cannot import it from tfjs-core), runtime-web leaves it to the
   * app's bundler.
   */
  importGradients(): Promise<unknown>;
  /** Appended to the error when `importGradients` rejects: what to do about it. */
  readonly gradientsImportAdvice: string;
  /** Appended to the error when this tfjs-core does not see the gradients just registered (two copies). */
  readonly singleCoreAdvice: string;
}

/**
 * Registers every gradient tfjs-core defines (about 100 kernels), which `tf.grad` and the optimizers
 * need and which `@tensorflow/tfjs-core`'s main entry leaves out, through `source`. Idempotent; does
 * nothing when they are registered already (by `@tensorflow/tfjs`, tfjs-node, or an earlier call).
 *
 * @returns `true` if this call registered them, `false` if they were registered already.
 * @throws if they cannot be imported, or were registered with another copy of tfjs-core.
 */
export async function registerGradients(source: GradientSource): Promise<boolean> {
  if (PROBES.every((kernel) => getGradient(kernel) != null)) return false;
  try {
    await source.importGradients();
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`registerCoreGradients: tfjs-core's gradients could not be loaded (${why}): ${source.gradientsImportAdvice}`);
  }
  const missing = PROBES.filter((kernel) => getGradient(kernel) == null);
  if (missing.length > 0) {
    throw new Error(`registerCoreGradients: tfjs-core's gradients were registered, yet this @tensorflow/tfjs-core does not see ${missing.join(', ')}: ${source.singleCoreAdvice}`);
  }
  return true;
}
