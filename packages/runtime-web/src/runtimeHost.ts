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
  /** Imports `@tensorflow/tfjs-backend-wasm`, which registers the `wasm` backend. */
  importWasm(): Promise<WasmBackendModule>;
  /** Imports `@tensorflow/tfjs-backend-cpu`, which registers the `cpu` backend. */
  importCpu(): Promise<unknown>;
}

/** The real host. The backends are imported on demand, so bundlers split them out of the app's entry. */
export const webRuntimeHost: WebRuntimeHost = {
  hasWebAssembly: () => typeof WebAssembly === 'object' && WebAssembly !== null && typeof WebAssembly.instantiate === 'function',
  isCrossOriginIsolated: () => (globalThis as { crossOriginIsolated?: unknown }).crossOriginIsolated === true,
  importWasm: () => import('@tensorflow/tfjs-backend-wasm'),
  importCpu: () => import('@tensorflow/tfjs-backend-cpu'),
};
