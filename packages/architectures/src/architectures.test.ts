import * as tf from '@tensorflow/tfjs-core';
import { argmaxSelection, createNetwork } from '@slot-machines/core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { architecture, type ArchitectureId } from './architectures';

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
    expect(random.slotLayers.every((l) => l.k === 1)).toBe(true);
    learned.dispose();
    random.dispose();
  });

  it('runs a CONV-4 forward pass on a CIFAR-sized batch', async () => {
    await expectNoTensorLeak(() => {
      const net = createNetwork({ ...architecture('conv-4'), k: 2, seed: 1, strategy });
      const y = tf.tidy(() => net.apply(tf.ones([2, 32, 32, 3]), { training: true }));
      expect(y.shape).toEqual([2, 10]);
      y.dispose();
      net.dispose();
    });
  });

  it('rejects an unknown architecture by name', () => {
    expect(() => architecture('conv-8' as ArchitectureId)).toThrow(
      "architecture: expected one of 'lenet-300-100', 'conv-2', 'conv-4', 'conv-6', got 'conv-8'",
    );
  });
});
