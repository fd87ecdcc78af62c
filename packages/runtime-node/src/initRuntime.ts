import { version_core } from '@tensorflow/tfjs-core';
import { assertSingleEngine } from './assertSingleEngine';
import { formatRuntimeLine } from './formatRuntimeLine';
import { registerNativeSlotOpsFor } from './nativeSlotOps';
import { registerCoreGradients } from './registerCoreGradients';
import { resolveNodeRuntimeOptions } from './resolveNodeRuntimeOptions';
import { TFJS_NODE, nodeRuntimeHost, type RuntimeHost } from './runtimeHost';
import { startCpu, startTensorflow, startWasm, type BackendStart } from './startBackend';
import type { NodeBackendName, NodeBackendPreference, NodeRuntimeOptions, ResolvedNodeRuntimeOptions, RuntimeInfo } from './types';

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

const CANDIDATES: Record<NodeBackendPreference, readonly NodeBackendName[]> = {
  auto: ['tensorflow', 'wasm', 'cpu'],
  tensorflow: ['tensorflow'],
  wasm: ['wasm'],
  cpu: ['cpu'],
};

/** `initRuntime` over an explicit host (tests play broken installs through it). */
export async function initRuntimeWith(options: NodeRuntimeOptions | undefined, host: RuntimeHost): Promise<RuntimeInfo> {
  const resolved = resolveNodeRuntimeOptions(options);
  const started = await startFirstAvailable(resolved, host);
  await registerCoreGradients();
  assertSingleEngine(started.backend);
  resolved.log(formatRuntimeLine(started));
  if (started.backend === 'tensorflow') registerNativeSlotOpsFor(resolved.log);
  return started;
}

async function startFirstAvailable(options: ResolvedNodeRuntimeOptions, host: RuntimeHost): Promise<RuntimeInfo> {
  const start: Record<NodeBackendName, () => Promise<BackendStart>> = {
    tensorflow: () => startTensorflow(host),
    wasm: () => startWasm(host, options.threads),
    cpu: () => startCpu(host),
  };
  const skipped: string[] = [];
  for (const name of CANDIDATES[options.backend]) {
    const result = await start[name]();
    if (result.ok) {
      const reason = options.backend !== 'auto' ? 'requested' : skipped.length > 0 ? skipped.join('; ') : result.note;
      return { backend: result.backend, simd: result.simd, threads: result.threads, reason };
    }
    skipped.push(result.why);
  }
  if (options.backend === 'tensorflow') {
    const how = skipped.some((why) => why.includes('is installed but') || why.includes('is installed without its native part'))
      ? `Build its native part offline with ${host.installNativeCommand()} (the CLI: slot-machines native install)`
      : `Install it beside slot machines: npm install ${TFJS_NODE}@${version_core} (its install script downloads libtensorflow from storage.googleapis.com); ` +
        `without that access, npm install ${TFJS_NODE}@${version_core} --ignore-scripts, then ${host.installNativeCommand()} (the CLI: slot-machines native install)`;
    throw new Error(`initRuntime: backend 'tensorflow' was requested but ${skipped.join('; ')}. ${how}, or use backend 'auto' or 'wasm'. See docs/guide/native.md.`);
  }
  if (options.backend !== 'auto') throw new Error(`initRuntime: backend '${options.backend}' was requested but ${skipped.join('; ')}`);
  throw new Error(`initRuntime: no backend could be started: ${skipped.join('; ')}`);
}
