import * as tf from '@tensorflow/tfjs-core';
import { oneLine, setBackendQuietly, type BackendStart } from '@slot-machines/core/runtime';
import { TFJS_NODE, type NodeRuntimeHost } from './runtimeHost';

const failed = (why: string): BackendStart<'tensorflow'> => ({ ok: false, why, cause: why });

/** tfjs-node's error when its addon (`lib/napi-v8/tfjs_binding.node`) was never built or downloaded. */
const NO_ADDON = /native addon module \(tfjs_binding\.node\) can not be found/;

/** Native TensorFlow through `@tensorflow/tfjs-node`, if installed at tfjs-core's version and loadable. */
export async function startTensorflow(host: NodeRuntimeHost): Promise<BackendStart<'tensorflow'>> {
  const version = host.tensorflowVersion();
  if (version === undefined) return failed(`${TFJS_NODE} is not installed`);
  if (version !== tf.version_core) {
    return failed(`${TFJS_NODE} ${version} does not match @tensorflow/tfjs-core ${tf.version_core} (install ${TFJS_NODE}@${tf.version_core})`);
  }
  try {
    await host.importTensorflow();
  } catch (error) {
    // installed without its install script (pnpm 10 skips it; this repository's devDependency): the
    // ordinary state before a build, not a breakage, so said as what to do rather than as an error
    if (NO_ADDON.test(oneLine(error))) return failed(`${TFJS_NODE} ${version} is installed without its native part (${host.installNativeCommand()} builds it, see docs/guide/native.md)`);
    return failed(`${TFJS_NODE} ${version} is installed but failed to load: ${oneLine(error)}`.replace(/[.\s]+$/, ''));
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    return failed(`${TFJS_NODE} ${version} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs-core`);
  }
  const started = await setBackendQuietly('tensorflow');
  if (!started.ok) return failed(`${TFJS_NODE} ${version} is installed but its backend failed to start: ${started.why}`);
  // tfjs-node's binding reports the libtensorflow it runs on (2.9.1 from its own download; the
  // offline route's wheel version otherwise)
  const libtensorflow = (tf.backend() as { binding?: { TF_Version?: unknown } }).binding?.TF_Version;
  const on = typeof libtensorflow === 'string' ? ` (libtensorflow ${libtensorflow})` : '';
  return { ok: true, backend: 'tensorflow', simd: false, threads: host.cores(), note: `${TFJS_NODE} ${version} is installed${on}` };
}
