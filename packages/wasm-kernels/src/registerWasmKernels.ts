import {
  Conv2DBackpropFilter,
  Conv3DBackpropFilterV2,
  Reshape,
  getKernel,
  registerKernel,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { registerSlotUpdateSimd } from './slotUpdateSimd';

/**
 * The gradient of a 2-D convolution with respect to its filter, for the wasm backend, which ships
 * the 3-D kernel but not the 2-D one (tfjs 4.22). A 2-D convolution is a 3-D one of depth 1, so the
 * inputs are viewed as `[batch, 1, h, w, c]` (reshapes share data) and the 3-D kernel does the work.
 */
const conv2DBackpropFilterWasm: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
    // The wasm 3-D kernel gives wrong filter gradients for strides > 1 (checked against cpu), and
    // every convolution of the paper's networks has stride 1: only that case is served.
    if (dataFormat !== 'NHWC' || dimRoundingMode != null || typeof pad !== 'string' || sh !== 1 || sw !== 1) {
      throw new Error(
        `Conv2DBackpropFilter on wasm: only stride 1, NHWC data and 'same' or 'valid' padding are supported, got strides ${JSON.stringify(strides)}, dataFormat ${dataFormat}, pad ${JSON.stringify(pad)}`,
      );
    }
    const run = (name: string, inputs: Record<string, TensorInfo>, kernelAttrs: object): TensorInfo =>
      getKernel(name, 'wasm')!.kernelFunc({ inputs, backend, attrs: kernelAttrs as NamedAttrMap }) as TensorInfo;
    const [b, h, w, c] = x.shape as [number, number, number, number];
    const [db, dh, dw, dc] = dy.shape as [number, number, number, number];
    const x5 = run(Reshape, { x }, { shape: [b, 1, h, w, c] });
    const dy5 = run(Reshape, { x: dy }, { shape: [db, 1, dh, dw, dc] });
    const grad5 = run(Conv3DBackpropFilterV2, { x: x5, dy: dy5 }, { strides: [1, sh, sw], pad, filterShape: [1, ...filterShape] });
    const grad = run(Reshape, { x: grad5 }, { shape: filterShape });
    for (const t of [x5, dy5, grad5]) (backend as KernelBackend).disposeData(t.dataId);
    return grad;
  },
};

/**
 * Registers the kernels slot machines need that the wasm backend lacks, and the fused slot update
 * as a WebAssembly SIMD module (`SlotMachinesSlotUpdate`, `SlotMachinesSlotUpdateInPlace`; where the
 * engine has SIMD, in place of core's JS loop). Idempotent; a tfjs kernel the backend already has
 * (a later tfjs) is left alone. Call before training on wasm.
 */
export function registerWasmKernels(): void {
  for (const config of [conv2DBackpropFilterWasm]) {
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
  registerSlotUpdateSimd();
}
