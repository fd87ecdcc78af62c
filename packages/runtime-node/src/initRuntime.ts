import { version_core } from '@tensorflow/tfjs-core';
import { startCpu, startRuntime, startWasm, type BackendFailed, type BackendStart } from '@slot-machines/core/runtime';
import { formatRuntimeLine } from './formatRuntimeLine';
import { registerNativeSlotOpsFor } from './nativeSlotOps';
import { resolveNodeRuntimeOptions } from './resolveNodeRuntimeOptions';
import { TFJS_NODE, nodeRuntimeHost, type NodeRuntimeHost } from './runtimeHost';
import { startTensorflow } from './startTensorflow';
import type { NodeBackendName, NodeRuntimeOptions, RuntimeInfo } from './types';

/**
 * Starts TensorFlow.js for slot machines in Node: picks and initialises a backend, registers the
 * kernels and gradients training needs, and logs one line saying which backend runs and why.
 * Call it once, before creating tensors; nothing happens on import. Calling it again re-selects.
 *
 * With `backend: 'auto'` (the default) it uses native TensorFlow when `@tensorflow/tfjs-node` is
 * installed and loads, else wasm (SIMD), else cpu. A backend asked for by name is started or the
 * promise rejects: `'tensorflow'` when tfjs-node is unavailable rejects with how to install it.
 *
 * Memory: creates no tensors that outlive the call; the backend it starts lives for the process
 * (TensorFlow.js has one engine per process; `tf.removeBackend` frees one).
 *
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { initRuntime } from '@slot-machines/runtime-node';
 * const runtime = await initRuntime(); // stderr: slot-machines: backend wasm (SIMD, 1 thread): ...
 * ```
 */
export function initRuntime(options?: NodeRuntimeOptions): Promise<RuntimeInfo> {
  return initRuntimeWith(options, nodeRuntimeHost);
}

/** Node's backends, fastest first. */
const ORDER: readonly NodeBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * `initRuntime` over an explicit host: the shared start-up of `@slot-machines/core/runtime` with
 * Node's backends, then the one line and, on `tensorflow`, the native fused op. Tests (and
 * test-utils' `setTestBackend`, which starts every test suite's backend) call it directly.
 */
export async function initRuntimeWith(options: NodeRuntimeOptions | undefined, host: NodeRuntimeHost): Promise<RuntimeInfo> {
  const resolved = resolveNodeRuntimeOptions(options);
  const start: Record<NodeBackendName, () => Promise<BackendStart<NodeBackendName>>> = {
    tensorflow: () => startTensorflow(host),
    wasm: () =>
      startWasm(host, (wasm) => {
        // Node has no page to serve the binaries from: point the backend at the package's own files.
        wasm.setWasmPaths(host.wasmDirectory());
        if (resolved.threads !== undefined) wasm.setThreadsCount(resolved.threads);
      }),
    cpu: () => startCpu(host),
  };
  const { started, skipped } = await startRuntime({
    preference: resolved.backend,
    order: ORDER,
    start: (backend) => start[backend](),
    gradients: host,
    advice: (skipped) => (resolved.backend === 'tensorflow' ? installAdvice(skipped, host) : undefined),
  });
  const reason = resolved.backend !== 'auto' ? 'requested' : skipped.length > 0 ? skipped.map((s) => s.why).join('; ') : started.note;
  const info: RuntimeInfo = { backend: started.backend, simd: started.simd, threads: started.threads, reason };
  resolved.log(formatRuntimeLine(info));
  if (started.backend === 'tensorflow') registerNativeSlotOpsFor(resolved.log);
  return info;
}

/** How to get native TensorFlow, when it was asked for by name and did not start. */
function installAdvice(skipped: readonly BackendFailed[], host: NodeRuntimeHost): string {
  const how = skipped.some(({ why }) => why.includes('is installed but') || why.includes('is installed without its native part'))
    ? `Build its native part offline with ${host.installNativeCommand()} (the CLI: slot-machines native install)`
    : `Install it beside slot machines: npm install ${TFJS_NODE}@${version_core} (its install script downloads libtensorflow from storage.googleapis.com); ` +
      `without that access, npm install ${TFJS_NODE}@${version_core} --ignore-scripts, then ${host.installNativeCommand()} (the CLI: slot-machines native install)`;
  return `${how}, or use backend 'auto' or 'wasm'. See docs/guide/native.md.`;
}
