import { SlotConfigError } from '../errors';
import type { KindPlan, LayerCounts, LayerKind, LayerSpec } from '../layers/LayerKind';
import { NO_PARAMETERS } from '../layers/LayerKind';
import type { LayerRegistry } from '../layers/LayerRegistry';

/** Where each layer of a config sits: its kind, name and shapes. */
export interface LayerPlan extends KindPlan {
  readonly spec: LayerSpec;
  readonly kind: LayerKind;
  /** Position in `layers`. */
  readonly position: number;
  readonly name: string;
  readonly inputShape: readonly number[];
  /** Weight layers: index among the network's weight layers (seeds derive from it); -1 for others. */
  readonly weightIndex: number;
}

/** Validates the layer list against the registry and computes every shape, before any tensor is made. */
export function planLayers(inputShape: readonly number[], layers: readonly LayerSpec[], registry: LayerRegistry): LayerPlan[] {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new SlotConfigError('inputShape', 'a non-empty array of positive integers, e.g. [784] or [32, 32, 3]', inputShape);
  }
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new SlotConfigError('layers', 'a non-empty array of layer specs', layers);
  }
  const plans: LayerPlan[] = [];
  const names = new Set<string>();
  let shape: readonly number[] = inputShape;
  let weightCount = 0;
  layers.forEach((spec, position) => {
    const field = `layers[${position}]`;
    const kind = registry.get((spec as { type?: unknown } | null)?.type, `${field}.type`);
    const weightIndex = kind.weight ? weightCount++ : -1;
    const name = spec.name ?? `${kind.type}_${kind.weight ? weightIndex : position}`;
    if (names.has(name)) throw new SlotConfigError(`${field}.name`, 'a name no other layer has', name);
    names.add(name);
    const plan = kind.plan(spec as never, { field, name, inputShape: shape });
    if (kind.weight && !plan.weightShape) throw new SlotConfigError(`layer kind '${kind.type}'.plan`, 'a weightShape for a weight layer', plan);
    plans.push({ ...plan, spec, kind, position, name, inputShape: shape, weightIndex });
    shape = plan.outputShape;
  });
  return plans;
}

/** One row of a network summary. */
export interface LayerSummary extends LayerCounts {
  readonly name: string;
  readonly type: string;
  readonly outputShape: readonly number[];
}

/** Per-layer counts of a planned network (no tensors are made, so any size can be summarised). */
export function summarizePlans(plans: readonly LayerPlan[], k: number): LayerSummary[] {
  return plans.map((p) => ({
    name: p.name,
    type: p.kind.type,
    outputShape: p.outputShape,
    ...(p.kind.counts ? p.kind.counts(p.spec as never, p, { k }) : NO_PARAMETERS),
  }));
}

/**
 * The layer specs of the selected (argmax) network of `plans`: each slot kind becomes its learned
 * twin (`slotDense` -> `dense`), every layer keeps its resolved name.
 */
export function selectedLayerSpecs(plans: readonly LayerPlan[]): LayerSpec[] {
  return plans.map((p) => ({ ...p.spec, type: p.kind.weight?.plainType ?? p.spec.type, name: p.name }) as LayerSpec);
}
