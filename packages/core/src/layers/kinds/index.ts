import type { LayerKind } from '../LayerKind';
import { createEmptyLayerRegistry, type LayerRegistry } from '../LayerRegistry';
import { avgPool2dKind } from './avgPool2d';
import { batchNormKind } from './batchNorm';
import { conv2dKind, slotConv2dKind } from './conv2d';
import { denseKind, slotDenseKind } from './dense';
import { dropoutKind } from './dropout';
import { flattenKind } from './flatten';
import { maxPool2dKind } from './maxPool2d';
import { reluKind } from './relu';

/** The layer kinds core ships, in registration order. */
export const CORE_LAYER_KINDS: readonly LayerKind<never>[] = [
  slotDenseKind,
  slotConv2dKind,
  denseKind,
  conv2dKind,
  reluKind,
  flattenKind,
  maxPool2dKind,
  avgPool2dKind,
  dropoutKind,
  batchNormKind,
] as unknown as LayerKind<never>[];

/** A new registry with core's layer kinds; add your own with `.register(kind)`. */
export function createLayerRegistry(): LayerRegistry {
  return createEmptyLayerRegistry(CORE_LAYER_KINDS);
}
