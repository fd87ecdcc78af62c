import type { Padding } from '../layers/shapes';

/** A layer of a sequential network, as JSON. Weight layers have no bias (spec section 1). */
export type LayerSpec =
  | { readonly type: 'slotDense'; readonly units: number; readonly name?: string }
  | {
      readonly type: 'slotConv2d';
      readonly filters: number;
      /** @default 3 */
      readonly kernelSize?: number;
      /** @default 'same' */
      readonly padding?: Padding;
      readonly name?: string;
    }
  | { readonly type: 'dense'; readonly units: number; readonly name?: string }
  | {
      readonly type: 'conv2d';
      readonly filters: number;
      /** @default 3 */
      readonly kernelSize?: number;
      /** @default 'same' */
      readonly padding?: Padding;
      readonly name?: string;
    }
  | { readonly type: 'relu'; readonly name?: string }
  | { readonly type: 'flatten'; readonly name?: string }
  | {
      readonly type: 'maxPool2d';
      /** @default 2 */
      readonly poolSize?: number;
      readonly name?: string;
    }
  | { readonly type: 'dropout'; readonly rate: number; readonly name?: string };

export type LayerType = LayerSpec['type'];
export const LAYER_TYPES: readonly LayerType[] = [
  'slotDense',
  'slotConv2d',
  'dense',
  'conv2d',
  'relu',
  'flatten',
  'maxPool2d',
  'dropout',
];

/** Slot layers choose among K options; weight layers hold one ordinary weight. */
export function isSlotSpec(spec: LayerSpec): spec is Extract<LayerSpec, { type: 'slotDense' | 'slotConv2d' }> {
  return spec.type === 'slotDense' || spec.type === 'slotConv2d';
}

export function isWeightSpec(spec: LayerSpec): spec is Extract<LayerSpec, { type: 'slotDense' | 'slotConv2d' | 'dense' | 'conv2d' }> {
  return isSlotSpec(spec) || spec.type === 'dense' || spec.type === 'conv2d';
}
