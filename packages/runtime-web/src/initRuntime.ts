import { startCpu, startRuntime } from '@slot-machines/core/runtime';
import { resolveWebRuntimeOptions } from './resolveWebRuntimeOptions';
import { webRuntimeHost, type WebRuntimeHost } from './runtimeHost';
import { WEBASSEMBLY_UNAVAILABLE, startBrowserWasm } from './startBrowserWasm';
import type { WebBackendName, WebRuntimeInfo, WebRuntimeOptions } from './types';

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

/** The browser's backends, fastest first. */
const ORDER: readonly WebBackendName[] = ['wasm', 'cpu'];

/** `initRuntime` over an explicit host: the shared start-up of `@slot-machines/core/runtime` with the browser's backends (tests play browsers without a working wasm through it). */
export async function initRuntimeWith(options: WebRuntimeOptions | undefined, host: WebRuntimeHost): Promise<WebRuntimeInfo> {
  const resolved = resolveWebRuntimeOptions(options);
  const { started, skipped } = await startRuntime({
    preference: resolved.backend,
    order: ORDER,
    start: (backend) => (backend === 'wasm' ? startBrowserWasm(host, resolved) : startCpu(host)),
    gradients: host,
  });
  const { backend, simd, threads } = started;
  const wasm = skipped[0];
  if (wasm === undefined) {
    const reason = [resolved.backend === 'auto' ? 'WebAssembly is available' : 'requested', started.note].filter(Boolean).join('; ');
    return { backend, simd, threads, reason };
  }
  // 'auto' fell back to cpu: say why, and hand the app a sentence to show
  const notice = wasm.cause === WEBASSEMBLY_UNAVAILABLE ? `${WEBASSEMBLY_UNAVAILABLE}: ${SLOW}` : `The WebAssembly backend failed to start (${wasm.cause}): ${SLOW}`;
  return { backend, simd, threads, reason: wasm.why, notice };
}
