import { assertSingleEngine } from './assertSingleEngine';
import { registerCoreGradients } from './registerCoreGradients';
import { resolveWebRuntimeOptions } from './resolveWebRuntimeOptions';
import { webRuntimeHost, type WebRuntimeHost } from './runtimeHost';
import { WEBASSEMBLY_UNAVAILABLE, startCpu, startWasm } from './startBackend';
import type { ResolvedWebRuntimeOptions, WebRuntimeInfo, WebRuntimeOptions } from './types';

const SLOW = 'training runs on the much slower cpu backend';

/**
 * Starts TensorFlow.js for slot machines in the browser: the wasm backend (SIMD; threads when the
 * page is cross-origin isolated) with the binaries the app serves, the kernels and gradients
 * training needs, and with `backend: 'auto'` (the default) a fallback to cpu that returns a
 * `notice` to show the user. Call it once, before creating tensors; nothing happens on import.
 * Nothing is logged: show `reason` and `notice` where the app wants them.
 *
 * Memory: creates no tensors that outlive the call; the backend it starts lives as long as the page
 * (TensorFlow.js has one engine per page; `tf.removeBackend` frees one).
 *
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { initRuntime } from '@slot-machines/runtime-web';
 * const runtime = await initRuntime({ wasmPaths: '/wasm/' });
 * if (runtime.notice) showBanner(runtime.notice);
 * ```
 */
export function initRuntime(options?: WebRuntimeOptions): Promise<WebRuntimeInfo> {
  return initRuntimeWith(options, webRuntimeHost);
}

/** `initRuntime` over an explicit host (tests play browsers without a working wasm through it). */
export async function initRuntimeWith(options: WebRuntimeOptions | undefined, host: WebRuntimeHost): Promise<WebRuntimeInfo> {
  const resolved = resolveWebRuntimeOptions(options);
  const info = await start(resolved, host);
  await registerCoreGradients();
  assertSingleEngine(info.backend);
  return info;
}

async function start(options: ResolvedWebRuntimeOptions, host: WebRuntimeHost): Promise<WebRuntimeInfo> {
  const requested = options.backend === 'auto' ? '' : 'requested';
  if (options.backend !== 'cpu') {
    const wasm = await startWasm(host, options);
    if (wasm.ok) {
      const reason = [requested || 'WebAssembly is available', wasm.note].filter(Boolean).join('; ');
      return { backend: 'wasm', simd: wasm.simd, threads: wasm.threads, reason };
    }
    if (options.backend === 'wasm') throw new Error(`initRuntime: backend 'wasm' was requested but ${wasm.why}`);
    const cpu = await startCpu(host);
    if (!cpu.ok) throw new Error(`initRuntime: no backend could be started: ${wasm.why}; ${cpu.why}`);
    const notice = wasm.cause === WEBASSEMBLY_UNAVAILABLE ? `${WEBASSEMBLY_UNAVAILABLE}: ${SLOW}` : `The WebAssembly backend failed to start (${wasm.cause}): ${SLOW}`;
    return { backend: 'cpu', simd: false, threads: 1, reason: wasm.why, notice };
  }
  const cpu = await startCpu(host);
  if (!cpu.ok) throw new Error(`initRuntime: backend 'cpu' was requested but ${cpu.why}`);
  return { backend: 'cpu', simd: false, threads: 1, reason: requested };
}
