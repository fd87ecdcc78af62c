export { initRuntime } from './initRuntime';
export { registerCoreGradients } from './registerCoreGradients';
export { WASM_BINARY_NAMES } from './wasmBinaryNames';
export type {
  RuntimeInfo,
  WasmBinaryName,
  WasmPaths,
  WebBackendName,
  WebBackendPreference,
  WebRuntimeInfo,
  WebRuntimeOptions,
} from './types';
