import { SlotConfigError } from '../errors';
import type { WeightLayerKind } from '../init';
import { conv2dOutputShape, denseInputUnits } from '../layers/shapes';
import { requireInteger, requireOneOf } from '../validate';
import { LAYER_TYPES, type LayerSpec } from './LayerSpec';

/** Where each layer of a config sits: its name, shapes and (weight layers) weight shape. */
export interface LayerPlan {
  readonly spec: LayerSpec;
  /** Position in `layers`. */
  readonly position: number;
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Weight layers only: index among the network's weight layers, kind and weight shape S. */
  readonly weight?: { readonly index: number; readonly kind: WeightLayerKind; readonly shape: readonly number[] };
}

/** Validates the layer list and computes every shape, before any tensor is made. */
export function planLayers(inputShape: readonly number[], layers: readonly LayerSpec[]): LayerPlan[] {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new SlotConfigError('inputShape', 'a non-empty array of positive integers, e.g. [784] or [32, 32, 3]', inputShape);
  }
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new SlotConfigError('layers', 'a non-empty array of layer specs', layers);
  }
  const plans: LayerPlan[] = [];
  const names = new Set<string>();
  let shape: readonly number[] = inputShape;
  let weightIndex = 0;
  layers.forEach((spec, position) => {
    const field = `layers[${position}]`;
    requireOneOf(`${field}.type`, spec?.type, LAYER_TYPES);
    const name = spec.name ?? defaultName(spec, position, weightIndex);
    if (names.has(name)) throw new SlotConfigError(`${field}.name`, 'a name no other layer has', name);
    names.add(name);
    let outputShape: readonly number[];
    let weight: LayerPlan['weight'];
    switch (spec.type) {
      case 'slotDense':
      case 'dense': {
        const units = requireInteger(`${field}.units`, spec.units, 1);
        const inputUnits = denseInputUnits(name, shape);
        outputShape = [units];
        weight = { index: weightIndex++, kind: 'dense', shape: [inputUnits, units] };
        break;
      }
      case 'slotConv2d':
      case 'conv2d': {
        const filters = requireInteger(`${field}.filters`, spec.filters, 1);
        const kernelSize = requireInteger(`${field}.kernelSize`, spec.kernelSize ?? 3, 1);
        const padding = requireOneOf(`${field}.padding`, spec.padding ?? 'same', ['same', 'valid'] as const);
        outputShape = conv2dOutputShape(name, shape, kernelSize, filters, padding);
        weight = { index: weightIndex++, kind: 'conv2d', shape: [kernelSize, kernelSize, shape[2]!, filters] };
        break;
      }
      case 'flatten':
        outputShape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'maxPool2d': {
        const pool = requireInteger(`${field}.poolSize`, spec.poolSize ?? 2, 1);
        if (shape.length !== 3) throw new SlotConfigError(`input of ${name}`, 'shape [height, width, channels]', shape);
        outputShape = [Math.floor(shape[0]! / pool), Math.floor(shape[1]! / pool), shape[2]!];
        break;
      }
      default:
        outputShape = shape;
    }
    plans.push({ spec, position, name, inputShape: shape, outputShape, ...(weight ? { weight } : {}) });
    shape = outputShape;
  });
  return plans;
}

function defaultName(spec: LayerSpec, position: number, weightIndex: number): string {
  switch (spec.type) {
    case 'slotDense':
    case 'slotConv2d':
    case 'dense':
    case 'conv2d':
      return `${spec.type}_${weightIndex}`;
    default:
      return `${spec.type}_${position}`;
  }
}
