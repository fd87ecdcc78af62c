import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels } from '@slot-machines/wasm-kernels';
import { TFJS_NODE, type RuntimeHost } from './runtimeHost';
import { oneLine, setBackendQuietly } from './setBackendQuietly';
import type { NodeBackendName } from './types';

/** A backend that started, or why it did not. */
export type BackendStart =
  | { readonly ok: true; readonly backend: NodeBackendName; readonly simd: boolean; readonly threads: number; readonly note: string }
  | { readonly ok: false; readonly why: string };

const failed = (why: string): BackendStart => ({ ok: false, why });

/** tfjs-node's error when its addon (`lib/napi-v8/tfjs_binding.node`) was never built or downloaded. */
const NO_ADDON = /native addon module \(tfjs_binding\.node\) can not be found/;

/** Native TensorFlow through `@tensorflow/tfjs-node`, if installed at tfjs-core's version and loadable. */
export async function startTensorflow(host: RuntimeHost): Promise<BackendStart> {
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

/** The wasm backend, with the binaries of the installed `@tensorflow/tfjs-backend-wasm`. */
export async function startWasm(host: RuntimeHost, threads: number | undefined): Promise<BackendStart> {
  try {
    const wasm = await host.importWasm();
    // Node has no page to serve the binaries from: point the backend at the package's own files.
    wasm.setWasmPaths(host.wasmDirectory());
    if (threads !== undefined) wasm.setThreadsCount(threads);
    registerWasmKernels();
    const started = await setBackendQuietly('wasm');
    if (!started.ok) return failed(`the wasm backend failed to start: ${started.why}`);
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    return { ok: true, backend: 'wasm', simd, threads: wasm.getThreadsCount(), note: '' };
  } catch (error) {
    return failed(`the wasm backend failed to start: ${oneLine(error)}`);
  }
}

/** The plain JavaScript cpu backend: slow, but it needs nothing. */
export async function startCpu(host: RuntimeHost): Promise<BackendStart> {
  try {
    await host.importCpu();
    const started = await setBackendQuietly('cpu');
    if (!started.ok) return failed(`the cpu backend failed to start: ${started.why}`);
    // The cpu backend prints a banner recommending tfjs-node on its first tensor in Node; the line
    // initRuntime logs already says why cpu runs, so the banner would only repeat it.
    const backend = tf.backend() as { firstUse?: unknown };
    if (backend.firstUse === true) backend.firstUse = false;
    return { ok: true, backend: 'cpu', simd: false, threads: 1, note: '' };
  } catch (error) {
    return failed(`the cpu backend failed to start: ${oneLine(error)}`);
  }
}
