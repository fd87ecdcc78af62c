import type { WasmBinaryName } from './types';

/** The binaries `@tensorflow/tfjs-backend-wasm` 4.22 needs served: plain, SIMD, and threaded SIMD. */
export const WASM_BINARY_NAMES: readonly WasmBinaryName[] = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
