import { registerGradients } from '@slot-machines/core/runtime';
import { nodeRuntimeHost } from './runtimeHost';

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
export function registerCoreGradients(): Promise<boolean> {
  return registerGradients(nodeRuntimeHost);
}
