import { SlotConfigError, type LayerSpec, type Padding } from '@slot-machines/core';

/** The networks of the paper (spec section 6). */
export type ArchitectureId = 'lenet-300-100' | 'conv-2' | 'conv-4' | 'conv-6' | 'vgg-19';
export const ARCHITECTURE_IDS: readonly ArchitectureId[] = ['lenet-300-100', 'conv-2', 'conv-4', 'conv-6', 'vgg-19'];

/** The dataset each architecture is for. */
export function datasetOf(id: ArchitectureId): 'mnist' | 'cifar10' {
  return id === 'lenet-300-100' ? 'mnist' : 'cifar10';
}

/**
 * - `slot`: every weight layer is a slot layer (K options per connection, scores trained).
 * - `learned`: ordinary weight layers, trained (the learned-weights baseline).
 * - `random`: slot layers with K = 1 and nothing to train (the untrained random network).
 */
export type Flavour = 'slot' | 'learned' | 'random';
export const FLAVOURS: readonly Flavour[] = ['slot', 'learned', 'random'];

export interface ArchitectureOptions {
  /**
   * Padding of the CONV-x convolutions: `valid` as the authors' code (flatten 12,544 / 3,200 /
   * 1,024), or `same` as Frankle & Carbin and edge-popup (16,384 / 8,192 / 4,096).
   * @default 'same'
   */
  readonly padding?: Padding;
  /** Dropout before fc1 and fc2 of the CONV-x nets (spec: 0.5). @default 0.5 */
  readonly dropout?: number;
}

export interface ArchitectureSpec {
  readonly id: ArchitectureId;
  readonly inputShape: readonly number[];
  readonly layers: LayerSpec[];
}

/**
 * VGG-19 as the paper uses it, Frankle & Carbin's CIFAR-10 variant: sixteen 3x3 'same'
 * convolutions (64, 64, pool, 128, 128, pool, 256 x4, pool, 512 x4, pool, 512 x4), each followed
 * by batch norm with frozen affine parameters and ReLU, then 2x2 average pooling (2x2x512 ->
 * 1x1x512) and one dense layer to 10 classes. No biases: 20,024,000 weights.
 */
const VGG_19_PLAN: ReadonlyArray<number | 'pool'> = [64, 64, 'pool', 128, 128, 'pool', 256, 256, 256, 256, 'pool', 512, 512, 512, 512, 'pool', 512, 512, 512, 512];

const CONV_BLOCKS: Record<Exclude<ArchitectureId, 'lenet-300-100' | 'vgg-19'>, number[][]> = {
  'conv-2': [[64, 64]],
  'conv-4': [[64, 64], [128, 128]],
  'conv-6': [[64, 64], [128, 128], [256, 256]],
};

/** The layer list of architecture `id` in the given flavour. Plain JSON; build it with `createNetwork`. */
export function architecture(id: ArchitectureId, flavour: Flavour = 'slot', options: ArchitectureOptions = {}): ArchitectureSpec {
  if (!ARCHITECTURE_IDS.includes(id)) {
    throw new SlotConfigError('architecture', `one of ${ARCHITECTURE_IDS.map((a) => `'${a}'`).join(', ')}`, id);
  }
  if (!FLAVOURS.includes(flavour)) throw new SlotConfigError('flavour', "one of 'slot', 'learned', 'random'", flavour);
  const dense = (units: number): LayerSpec => ({ type: flavour === 'learned' ? 'dense' : 'slotDense', units });
  if (id === 'lenet-300-100') {
    // MNIST images arrive as [28, 28, 1]: flatten to the 784 inputs of the paper's 784-300-100-10
    return { id, inputShape: [28, 28, 1], layers: [{ type: 'flatten' }, dense(300), { type: 'relu' }, dense(100), { type: 'relu' }, dense(10)] };
  }
  if (id === 'vgg-19') {
    if (options.padding !== undefined && options.padding !== 'same') throw new SlotConfigError('padding', "'same' (VGG-19 has no 'valid' variant)", options.padding);
    const conv = (filters: number): LayerSpec => ({ type: flavour === 'learned' ? 'conv2d' : 'slotConv2d', filters, padding: 'same' });
    const layers: LayerSpec[] = VGG_19_PLAN.flatMap((entry): LayerSpec[] =>
      entry === 'pool' ? [{ type: 'maxPool2d', poolSize: 2 }] : [conv(entry), { type: 'batchNorm' }, { type: 'relu' }],
    );
    layers.push({ type: 'avgPool2d', poolSize: 2 }, { type: 'flatten' }, dense(10));
    return { id, inputShape: [32, 32, 3], layers };
  }
  const padding = options.padding ?? 'same';
  if (padding !== 'same' && padding !== 'valid') throw new SlotConfigError('padding', "'same' or 'valid'", padding);
  const rate = options.dropout ?? 0.5;
  const conv = (filters: number, pad: Padding): LayerSpec => ({ type: flavour === 'learned' ? 'conv2d' : 'slotConv2d', filters, padding: pad });
  const blocks = CONV_BLOCKS[id];
  const layers: LayerSpec[] = [];
  blocks.forEach((block, b) => {
    // the authors' CONV-6 keeps its last block 'same' even in 'valid' mode (spec section 6)
    const pad: Padding = padding === 'valid' && b === 2 ? 'same' : padding;
    for (const filters of block) layers.push(conv(filters, pad), { type: 'relu' });
    layers.push({ type: 'maxPool2d', poolSize: 2 });
  });
  layers.push({ type: 'flatten' });
  const drop = (): LayerSpec[] => (rate > 0 ? [{ type: 'dropout', rate }] : []);
  layers.push(...drop(), dense(256), { type: 'relu' }, ...drop(), dense(256), { type: 'relu' }, dense(10));
  return { id, inputShape: [32, 32, 3], layers };
}

/**
 * Where an architecture departs from the recipe of its method (spec section 7): VGG-19's
 * learned-weights baseline trains with lr 0.1 instead of 0.01; slot machines keep the CONV-x recipe.
 */
export function architectureRecipe(id: ArchitectureId, flavour: Flavour): { readonly learningRate?: number } {
  return id === 'vgg-19' && flavour === 'learned' ? { learningRate: 0.1 } : {};
}
