import type * as WasmBackend from '@tensorflow/tfjs-backend-wasm';

/** The part of `@tensorflow/tfjs-backend-wasm` the runtime uses. */
export type WasmBackendModule = Pick<typeof WasmBackend, 'setWasmPaths' | 'setThreadsCount' | 'getThreadsCount'>;

/**
 * Everything `initRuntime` reaches outside tfjs-core: what the browser offers and the backend
 * imports. Tests replace parts of it to play a browser whose wasm backend will not start.
 */
export interface WebRuntimeHost {
  /** Whether this browser has WebAssembly at all. */
  hasWebAssembly(): boolean;
  /** Whether the page is cross-origin isolated (COOP same-origin + COEP require-corp), which threads need. */
  isCrossOriginIsolated(): boolean;
  /** Logical processors (`navigator.hardwareConcurrency`), or undefined where there is no such figure. */
  logicalCores(): number | undefined;
  /**
   * Makes `navigator.hardwareConcurrency` read `count` until the returned function is called, which
   * restores it. tfjs-backend-wasm 4.22 caps its thread pool at half of that figure, read once as the
   * threaded module starts; see `startWasm`.
   */
  overrideLogicalCores(count: number): () => void;
  /** Imports `@tensorflow/tfjs-backend-wasm`, which registers the `wasm` backend. */
  importWasm(): Promise<WasmBackendModule>;
  /** Imports `@tensorflow/tfjs-backend-cpu`, which registers the `cpu` backend. */
  importCpu(): Promise<unknown>;
}

/** The real host. The backends are imported on demand, so bundlers split them out of the app's entry. */
export const webRuntimeHost: WebRuntimeHost = {
  hasWebAssembly: () => typeof WebAssembly === 'object' && WebAssembly !== null && typeof WebAssembly.instantiate === 'function',
  isCrossOriginIsolated: () => (globalThis as { crossOriginIsolated?: unknown }).crossOriginIsolated === true,
  logicalCores: () => {
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator?.hardwareConcurrency;
    return typeof cores === 'number' && Number.isInteger(cores) && cores >= 1 ? cores : undefined;
  },
  overrideLogicalCores: (count) => {
    const navigator = (globalThis as { navigator?: object }).navigator;
    if (typeof navigator !== 'object' || navigator === null) return () => {};
    const own = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: count, configurable: true, enumerable: true });
    return () => {
      if (own) Object.defineProperty(navigator, 'hardwareConcurrency', own);
      else delete (navigator as { hardwareConcurrency?: unknown }).hardwareConcurrency;
    };
  },
  importWasm: () => import('@tensorflow/tfjs-backend-wasm'),
  importCpu: () => import('@tensorflow/tfjs-backend-cpu'),
};
