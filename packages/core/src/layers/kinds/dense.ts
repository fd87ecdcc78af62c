import type { BaseLayerSpec } from '../LayerKind';
import { denseOp, type DenseSpecFields } from '../weightOps';
import { weightLayerKind } from './weightLayerKind';

/** A fully connected slot layer: weight `[in, out]`, options and scores `[in, out, K]`, no bias. */
export interface SlotDenseSpec extends BaseLayerSpec<'slotDense'>, DenseSpecFields {}
/** An ordinary fully connected layer with a learned weight `[in, out]`, no bias. */
export interface DenseSpec extends BaseLayerSpec<'dense'>, DenseSpecFields {}

export const slotDenseKind = weightLayerKind<SlotDenseSpec>('slotDense', denseOp, 'slot', 'dense');
export const denseKind = weightLayerKind<DenseSpec>('dense', denseOp, 'learned');
