import type { RuntimeHost } from '@slot-machines/core/runtime';
import { registerWasmKernels } from '@slot-machines/wasm-kernels';

export type { WasmBackendModule } from '@slot-machines/core/runtime';

/**
 * The browser's side of the shared start-up (`RuntimeHost` of `@slot-machines/core/runtime`): the
 * backend imports and tfjs-core's gradients, left to the app's bundler, plus what the browser offers
 * (WebAssembly, cross-origin isolation, cores). Tests replace parts of it to play a browser whose
 * wasm backend will not start.
 */
export interface WebRuntimeHost extends RuntimeHost {
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
  registerWasmKernels,
  // On demand from tfjs-core's own ES modules, so the app's bundler resolves them to the same
  // tfjs-core as everything else (one engine, one registry) and puts them in a chunk of their own.
  // A dynamic import rather than a side-effect import keeps this package `"sideEffects": false`.
  importGradients: () => import('@tensorflow/tfjs-core/dist/register_all_gradients.js'),
  gradientsImportAdvice: 'make the bundler resolve @tensorflow/tfjs-core/dist/register_all_gradients.js from the app\'s @tensorflow/tfjs-core',
  singleCoreAdvice: 'more than one tfjs-core is bundled; make the bundler resolve a single @tensorflow/tfjs-core',
};
