import * as tf from '@tensorflow/tfjs-core';
import { argmaxSelection, createNetwork, summarizeNetwork } from '@slot-machines/core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { architecture, architectureRecipe, type ArchitectureId } from './architectures';

const strategy = { id: 'argmax', select: argmaxSelection };

/** Weights of the ordinary network: the product of each weight shape. */
function parameterCount(id: ArchitectureId, padding: 'same' | 'valid'): number {
  const spec = architecture(id, 'learned', { padding });
  const net = createNetwork({ ...spec, seed: 0 });
  const count = net.trainableVariables.reduce((n, v) => n + v.size, 0);
  net.dispose();
  return count;
}

describe('architecture', () => {
  it('builds Lenet-300-100 as 784-300-100-10 without biases', () => {
    const net = createNetwork({ ...architecture('lenet-300-100'), k: 2, seed: 1, strategy });
    expect(net.slotLayers.map((l) => l.weightShape)).toEqual([[784, 300], [300, 100], [100, 10]]);
    net.dispose();
  });

  it.each([
    ['conv-2', 'valid', 12_544],
    ['conv-4', 'valid', 3_200],
    ['conv-6', 'valid', 1_024],
    ['conv-2', 'same', 16_384],
    ['conv-4', 'same', 8_192],
    ['conv-6', 'same', 4_096],
  ] as const)('%s with %s padding flattens to %i units, as spec section 6 says', (id, padding, flat) => {
    const spec = architecture(id, 'slot', { padding });
    const net = createNetwork({ ...spec, k: 1, seed: 1, strategy });
    const firstDense = net.slotLayers.find((l) => l.type === 'slotDense')!;
    expect(firstDense.weightShape).toEqual([flat, 256]);
    expect(spec.layers.filter((l) => l.type === 'dropout')).toHaveLength(2);
    net.dispose();
  });

  it('matches the parameter counts of the ordinary networks', () => {
    // Lenet: 784*300 + 300*100 + 100*10
    expect(parameterCount('lenet-300-100', 'same')).toBe(266_200);
    // CONV-2 same: 3*3*3*64 + 3*3*64*64 + 16384*256 + 256*256 + 256*10
    expect(parameterCount('conv-2', 'same')).toBe(1_728 + 36_864 + 4_194_304 + 65_536 + 2_560);
  });

  it('offers learned and random flavours', () => {
    const learned = createNetwork({ ...architecture('lenet-300-100', 'learned'), seed: 1 });
    expect(learned.slotLayers).toHaveLength(0);
    expect(learned.trainableVariables).toHaveLength(3);
    const random = createNetwork({ ...architecture('lenet-300-100', 'random'), k: 1, seed: 1, strategy });
    expect(random.slotLayers.every((l) => l.source.k === 1)).toBe(true);
    learned.dispose();
    random.dispose();
  });

  it('runs a CONV-4 forward pass on a CIFAR-sized batch', async () => {
    await expectNoTensorLeak(() => {
      const net = createNetwork({ ...architecture('conv-4'), k: 2, seed: 1, strategy });
      const y = tf.tidy(() => net.apply(tf.ones([2, 32, 32, 3]), { training: true, step: 0 }));
      expect(y.shape).toEqual([2, 10]);
      y.dispose();
      net.dispose();
    });
  });

  it('rejects an unknown architecture by name', () => {
    expect(() => architecture('conv-8' as ArchitectureId)).toThrow(
      "architecture: expected one of 'lenet-300-100', 'conv-2', 'conv-4', 'conv-6', 'vgg-19', got 'conv-8'",
    );
  });

  const weightsOf = (id: ArchitectureId, padding: 'same' | 'valid' = 'same') =>
    summarizeNetwork({ ...architecture(id, 'slot', id === 'vgg-19' ? {} : { padding }), k: 8 }).reduce((n, row) => n + row.weights, 0);

  it.each([
    ['lenet-300-100', 266_200],
    ['conv-2', 4_300_992],
    ['conv-4', 2_425_024],
    ['conv-6', 2_261_184],
    ['vgg-19', 20_024_000],
  ] as const)('%s has %i weights (without options), counted from the plan', (id, weights) => {
    expect(weightsOf(id)).toBe(weights);
  });

  it('builds VGG-19 as Frankle & Carbin: 16 convs each with frozen batch norm and ReLU, 4 max pools, average pool, one dense', () => {
    const spec = architecture('vgg-19');
    const types = spec.layers.map((l) => l.type);
    expect(types.filter((t) => t === 'slotConv2d')).toHaveLength(16);
    expect(types.filter((t) => t === 'batchNorm')).toHaveLength(16);
    expect(types.filter((t) => t === 'maxPool2d')).toHaveLength(4);
    expect(types.slice(-3)).toEqual(['avgPool2d', 'flatten', 'slotDense']);
    const filters = spec.layers.flatMap((l) => (l.type === 'slotConv2d' ? [l.filters] : []));
    expect(filters).toEqual([64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512]);
    // conv -> batch norm -> relu, as the paper's VGG-19
    const first = types.indexOf('slotConv2d');
    expect(types.slice(first, first + 3)).toEqual(['slotConv2d', 'batchNorm', 'relu']);
    const rows = summarizeNetwork({ ...spec, k: 8 });
    expect(rows.at(-1)).toMatchObject({ type: 'slotDense', outputShape: [10], weights: 5_120, options: 40_960, scores: 40_960 });
    expect(rows.find((r) => r.type === 'avgPool2d')!.outputShape).toEqual([1, 1, 512]);
    expect(rows.find((r) => r.type === 'batchNorm')).toMatchObject({ weights: 0, scores: 0, stateFloats: 128 });
    expect(architecture('vgg-19', 'learned').layers.filter((l) => l.type === 'conv2d')).toHaveLength(16);
    expect(architectureRecipe('vgg-19', 'learned')).toEqual({ learningRate: 0.1 });
    expect(architectureRecipe('vgg-19', 'slot')).toEqual({});
  });
});
