import * as tf from '@tensorflow/tfjs-core';
import { registerWasmKernels } from '@slot-machines/wasm-kernels';
import type { WebRuntimeHost } from './runtimeHost';
import { oneLine, setBackendQuietly } from './setBackendQuietly';
import type { ResolvedWebRuntimeOptions, WebBackendName } from './types';

/**
 * A backend that started (with what to add to the reason), or why it did not: `why` for the reason
 * (`the wasm backend failed to start: <cause>`), `cause` alone for a notice.
 */
export type BackendStart =
  | { readonly ok: true; readonly backend: WebBackendName; readonly simd: boolean; readonly threads: number; readonly note: string }
  | { readonly ok: false; readonly why: string; readonly cause: string };

const failed = (backend: WebBackendName, cause: string): BackendStart => ({ ok: false, why: `the ${backend} backend failed to start: ${cause}`, cause });

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
 * The wasm backend: SIMD when the browser has it (tfjs-backend-wasm picks the binary), threads when
 * allowed and the page is cross-origin isolated, the binaries from `options.wasmPaths`.
 */
export async function startWasm(host: WebRuntimeHost, options: ResolvedWebRuntimeOptions): Promise<BackendStart> {
  if (!host.hasWebAssembly()) return { ok: false, why: WEBASSEMBLY_UNAVAILABLE, cause: WEBASSEMBLY_UNAVAILABLE };
  try {
    const wasm = await host.importWasm();
    if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
    const isolated = host.isCrossOriginIsolated();
    // The threaded binary needs SharedArrayBuffer, which only cross-origin isolated pages have; say
    // so up front rather than let the backend find out. (The flag exists once the package loaded.)
    if (options.threads === false || !isolated) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const cores = host.logicalCores();
    const count = typeof options.threads === 'number' ? options.threads : options.threads && isolated ? defaultThreadCount(cores) : undefined;
    if (count !== undefined) wasm.setThreadsCount(count);
    registerWasmKernels();
    // tfjs-backend-wasm 4.22 caps any thread count at half of navigator.hardwareConcurrency (it assumes
    // two hyperthreads per core), read once while the threaded module starts: a 2-core machine would
    // get one thread whatever was asked. Present enough cores for the count asked, only meanwhile.
    const uncapped = isolated && options.threads !== false && count !== undefined && cores !== undefined && Math.floor(cores / 2) < count;
    const restore = uncapped ? host.overrideLogicalCores(2 * count) : () => {};
    let started: Awaited<ReturnType<typeof setBackendQuietly>>;
    try {
      started = await setBackendQuietly('wasm');
    } finally {
      restore();
    }
    if (!started.ok) return failed('wasm', started.why);
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const multithread = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
    return { ok: true, backend: 'wasm', simd, threads: wasm.getThreadsCount(), note: threadNote(options.threads, isolated, multithread) };
  } catch (error) {
    return failed('wasm', oneLine(error));
  }
}

/** Why the wasm backend runs single-threaded although threads were allowed; '' otherwise. */
function threadNote(asked: boolean | number, isolated: boolean, multithread: boolean): string {
  if (asked === false || asked === 1 || multithread) return '';
  if (!isolated) {
    return 'one thread: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  return 'one thread: this browser has no WebAssembly threads';
}

/** The plain JavaScript cpu backend: slow, but it needs nothing. */
export async function startCpu(host: WebRuntimeHost): Promise<BackendStart> {
  try {
    await host.importCpu();
    const started = await setBackendQuietly('cpu');
    if (!started.ok) return failed('cpu', started.why);
    return { ok: true, backend: 'cpu', simd: false, threads: 1, note: '' };
  } catch (error) {
    return failed('cpu', oneLine(error));
  }
}
