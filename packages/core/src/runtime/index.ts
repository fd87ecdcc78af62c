// @slot-machines/core/runtime: the start-up every runtime shares. `@slot-machines/runtime-node` and
// `@slot-machines/runtime-web` are thin host adapters over it; apps call their `initRuntime()`.
export { assertSingleEngine } from './assertSingleEngine';
export { registerGradients } from './registerGradients';
export type { GradientSource } from './registerGradients';
export type { RuntimeHost, WasmBackendModule } from './RuntimeHost';
export { oneLine, setBackendQuietly } from './setBackendQuietly';
export type { SetBackendResult } from './setBackendQuietly';
export { backendFailed, startCpu, startWasm } from './startBackend';
export type { BackendFailed, BackendStart, BackendStarted, ConfigureWasm } from './startBackend';
export { startRuntime } from './startRuntime';
export type { RuntimePlan, RuntimeStart } from './startRuntime';
