export { registerWasmKernels } from './registerWasmKernels';
