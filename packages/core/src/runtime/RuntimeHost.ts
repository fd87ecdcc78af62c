import type { GradientSource } from './registerGradients';

/**
 * The part of `@tensorflow/tfjs-backend-wasm` a runtime uses, typed here so that core needs no
 * backend package; the real module fits it.
 */
export interface WasmBackendModule {
  setWasmPaths(prefixOrFileMap: string | { readonly [binary: string]: string }, usePlatformFetch?: boolean): void;
  setThreadsCount(numThreads: number): void;
  getThreadsCount(): number;
}

/**
 * What the shared start-up asks of the platform it runs on: the backend packages, imported the
 * platform's way, slot machines' own wasm kernels, and tfjs-core's gradients. `@slot-machines/runtime-node`
 * and `@slot-machines/runtime-web` each implement it (and extend it with what only their platform
 * has: native TensorFlow, a browser's thread support); their tests replace parts of it to play a
 * broken install.
 */
export interface RuntimeHost extends GradientSource {
  /** Imports `@tensorflow/tfjs-backend-cpu`, which registers the `cpu` backend. */
  importCpu(): Promise<unknown>;
  /** Imports `@tensorflow/tfjs-backend-wasm`, which registers the `wasm` backend. */
  importWasm(): Promise<WasmBackendModule>;
  /** Registers the kernels slot machines adds to the wasm backend (`registerWasmKernels` of `@slot-machines/wasm-kernels`). */
  registerWasmKernels(): void;
}
