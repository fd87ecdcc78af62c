export { initRuntime } from './initRuntime';
export { registerCoreGradients } from './registerCoreGradients';
export type { NodeBackendName, NodeBackendPreference, NodeRuntimeOptions, RuntimeInfo } from './types';
