export { registerWasmKernels } from './registerWasmKernels';
export {
  SLOT_UPDATE_IN_PLACE_KERNEL,
  SLOT_UPDATE_KERNEL,
  registerSlotUpdateSimd,
  slotUpdateInPlaceSimdKernel,
  slotUpdateSimdKernel,
  slotUpdateSimdSupported,
} from './slotUpdateSimd';
