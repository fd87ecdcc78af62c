import * as tf from '@tensorflow/tfjs-core';
import type { RuntimeHost, WasmBackendModule } from './RuntimeHost';
import { oneLine, setBackendQuietly } from './setBackendQuietly';

/** A backend that started: what it runs with, and `note`, what its host adds to the reason ('' for nothing). */
export interface BackendStarted<Name extends string = string> {
  readonly ok: true;
  readonly backend: Name;
  readonly simd: boolean;
  readonly threads: number;
  readonly note: string;
}

/** A backend that did not start: `why` for the reason (`the wasm backend failed to start: <cause>`), `cause` alone for a notice. */
export interface BackendFailed {
  readonly ok: false;
  readonly why: string;
  readonly cause: string;
}

/** A backend that started, or why it did not. */
export type BackendStart<Name extends string = string> = BackendStarted<Name> | BackendFailed;

/** `the <backend> backend failed to start: <cause>`. */
export function backendFailed(backend: string, cause: string): BackendFailed {
  return { ok: false, why: `the ${backend} backend failed to start: ${cause}`, cause };
}

/**
 * How a host configures the wasm backend once its package is loaded and before it starts: where
 * the `.wasm` binaries are (`setWasmPaths`), threads, flags. May return a function that undoes
 * temporary changes; it runs once the backend started or failed. Whatever it throws becomes the
 * reason the backend did not start.
 */
export type ConfigureWasm = (wasm: WasmBackendModule) => (() => void) | void;

/** The plain JavaScript cpu backend: slow, but it needs nothing. */
export async function startCpu(host: RuntimeHost): Promise<BackendStart<'cpu'>> {
  try {
    await host.importCpu();
    const started = await setBackendQuietly('cpu');
    if (!started.ok) return backendFailed('cpu', started.why);
    // The cpu backend prints a banner recommending tfjs-node on its first tensor in Node; the
    // runtime already says why cpu runs, so the banner would only repeat it.
    const backend = tf.backend() as { firstUse?: unknown };
    if (backend.firstUse === true) backend.firstUse = false;
    return { ok: true, backend: 'cpu', simd: false, threads: 1, note: '' };
  } catch (error) {
    return backendFailed('cpu', oneLine(error));
  }
}

/** The wasm backend (SIMD where the platform has it: tfjs-backend-wasm picks the binary), with slot machines' wasm kernels. */
export async function startWasm(host: RuntimeHost, configure: ConfigureWasm = () => {}): Promise<BackendStart<'wasm'>> {
  try {
    const wasm = await host.importWasm();
    const restore = configure(wasm) ?? (() => {});
    host.registerWasmKernels();
    let started: Awaited<ReturnType<typeof setBackendQuietly>>;
    try {
      started = await setBackendQuietly('wasm');
    } finally {
      restore();
    }
    if (!started.ok) return backendFailed('wasm', started.why);
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    return { ok: true, backend: 'wasm', simd, threads: wasm.getThreadsCount(), note: '' };
  } catch (error) {
    return backendFailed('wasm', oneLine(error));
  }
}
