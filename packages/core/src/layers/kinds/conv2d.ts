import type { BaseLayerSpec } from '../LayerKind';
import { conv2dOp, type Conv2dSpecFields } from '../weightOps';
import { weightLayerKind } from './weightLayerKind';

/** A stride-1 slot convolution: weight `[kh, kw, cin, cout]`, options and scores `[kh, kw, cin, cout, K]`, no bias. */
export interface SlotConv2dSpec extends BaseLayerSpec<'slotConv2d'>, Conv2dSpecFields {}
/** An ordinary stride-1 convolution with a learned weight `[kh, kw, cin, cout]`, no bias. */
export interface Conv2dSpec extends BaseLayerSpec<'conv2d'>, Conv2dSpecFields {}

export const slotConv2dKind = weightLayerKind<SlotConv2dSpec>('slotConv2d', conv2dOp, 'slot', 'conv2d');
export const conv2dKind = weightLayerKind<Conv2dSpec>('conv2d', conv2dOp, 'learned');
