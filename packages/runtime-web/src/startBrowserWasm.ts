import * as tf from '@tensorflow/tfjs-core';
import { startWasm, type BackendStart } from '@slot-machines/core/runtime';
import type { WebRuntimeHost } from './runtimeHost';
import type { ResolvedWebRuntimeOptions } from './types';

export const WEBASSEMBLY_UNAVAILABLE = 'WebAssembly is unavailable in this browser';

/**
 * Workers the threaded binary of tfjs-backend-wasm 4.22 starts up front (Emscripten's
 * PTHREAD_POOL_SIZE). A larger pool would need workers created on demand, which cannot start while
 * the thread that asked for them blocks, so `threads: true` never asks for more.
 */
export const WASM_THREAD_POOL_SIZE = 8;

/**
 * The thread count for `threads: true` on an isolated page: one per logical core, at most the
 * preallocated pool. tfjs-backend-wasm's own default is half the logical cores (at most 4), which
 * leaves a 2-core machine on one thread even when the page is isolated; undefined keeps it.
 */
export function defaultThreadCount(logicalCores: number | undefined): number | undefined {
  return logicalCores === undefined ? undefined : Math.max(1, Math.min(logicalCores, WASM_THREAD_POOL_SIZE));
}

/**
 * The wasm backend in a browser: SIMD when the browser has it (tfjs-backend-wasm picks the binary),
 * threads when allowed and the page is cross-origin isolated, the binaries from `options.wasmPaths`.
 * The shared `startWasm` of `@slot-machines/core/runtime` does the rest.
 */
export async function startBrowserWasm(host: WebRuntimeHost, options: ResolvedWebRuntimeOptions): Promise<BackendStart<'wasm'>> {
  if (!host.hasWebAssembly()) return { ok: false, why: WEBASSEMBLY_UNAVAILABLE, cause: WEBASSEMBLY_UNAVAILABLE };
  const isolated = host.isCrossOriginIsolated();
  const started = await startWasm(host, (wasm) => {
    if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
    // The threaded binary needs SharedArrayBuffer, which only cross-origin isolated pages have; say
    // so up front rather than let the backend find out. (The flag exists once the package loaded.)
    if (options.threads === false || !isolated) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const cores = host.logicalCores();
    const count = typeof options.threads === 'number' ? options.threads : options.threads && isolated ? defaultThreadCount(cores) : undefined;
    if (count !== undefined) wasm.setThreadsCount(count);
    // tfjs-backend-wasm 4.22 caps any thread count at half of navigator.hardwareConcurrency (it assumes
    // two hyperthreads per core), read once while the threaded module starts: a 2-core machine would
    // get one thread whatever was asked. Present enough cores for the count asked, only meanwhile.
    const uncapped = isolated && options.threads !== false && count !== undefined && cores !== undefined && Math.floor(cores / 2) < count;
    return uncapped ? host.overrideLogicalCores(2 * count) : undefined;
  });
  if (!started.ok) return started;
  const multithread = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  return { ...started, note: threadNote(options.threads, isolated, multithread) };
}

/** Why the wasm backend runs single-threaded although threads were allowed; '' otherwise. */
function threadNote(asked: boolean | number, isolated: boolean, multithread: boolean): string {
  if (asked === false || asked === 1 || multithread) return '';
  if (!isolated) {
    return 'one thread: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  return 'one thread: this browser has no WebAssembly threads';
}
