import { registerGradients } from '@slot-machines/core/runtime';
import { webRuntimeHost } from './runtimeHost';

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
export function registerCoreGradients(): Promise<boolean> {
  return registerGradients(webRuntimeHost);
}
