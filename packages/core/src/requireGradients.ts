import * as tf from '@tensorflow/tfjs-core';

/** Kernels whose gradients every slot network's backward pass uses (matmul, the activations, the loss). */
const PROBE_KERNELS = ['BatchMatMul', 'Relu', 'RealDiv', 'Softmax'] as const;

/**
 * Thrown by the first training pass when tfjs-core's gradients are not registered. Plain Node loads
 * tfjs-core's CommonJS bundle, which registers kernels' forward functions but no gradients, so a
 * backward pass would otherwise fail deep inside tfjs with `gradient function not found for RealDiv`.
 */
export class MissingGradientsError extends Error {
  override readonly name = 'MissingGradientsError';
  constructor(readonly kernels: readonly string[]) {
    super(
      `training needs tfjs-core's gradients, and none are registered for ${kernels.join(', ')}. ` +
        "Start TensorFlow.js with `await initRuntime()` from @slot-machines/runtime-node (Node) or @slot-machines/runtime-web (browsers), " +
        "which register them; in a bundled app you may instead `import '@tensorflow/tfjs-core/dist/register_all_gradients'` once.",
    );
  }
}

let checked = false;

/**
 * Throws `MissingGradientsError` when tfjs-core's gradients are missing; a registry lookup, done once
 * per process after it succeeds. Called by `Network.apply` on a training pass.
 */
export function requireGradients(): void {
  if (checked) return;
  const missing = PROBE_KERNELS.filter((kernel) => tf.getGradient(kernel) === undefined);
  if (missing.length > 0) throw new MissingGradientsError(missing);
  checked = true;
}
