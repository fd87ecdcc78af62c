import * as tf from '@tensorflow/tfjs-core';
import { argmaxSelection, createNetwork, createRegistry, encodeCompactModel, loadCompactModel, type LayerSpec } from '@slot-machines/core';
import { describe, expect, it } from 'vitest';
import { createGlobalSharing, createLayerSharing, createNoSharing } from './createWeightSharing';

// a compact model stores the sharing id; the loader regenerates the shared vectors through the registry
const registry = createRegistry().registerSharing('none', createNoSharing).registerSharing('layer', createLayerSharing).registerSharing('global', createGlobalSharing);
const layers: LayerSpec[] = [{ type: 'slotConv2d', filters: 3 }, { type: 'relu' }, { type: 'flatten' }, { type: 'slotDense', units: 4 }];

describe('compact models of shared slot machines', () => {
  for (const [id, sharing] of [['layer', createLayerSharing()], ['global', createGlobalSharing()]] as const) {
    for (const zeroOption of [false, true]) {
      it(`${id} sharing${zeroOption ? ' with the zero option' : ''}: the reloaded network has the extracted weights, bit for bit`, () => {
        const net = createNetwork({ inputShape: [4, 4, 2], layers, k: 6, seed: 8, strategy: { id: 'argmax', select: argmaxSelection }, sharing, zeroOption });
        tf.tidy(() => {
          for (const layer of net.slotLayers) layer.source.scores.assign(tf.randomNormal(layer.source.scores.shape, 0, 1, 'float32', 4));
        });
        const extracted = net.extract();
        const { network, header } = loadCompactModel(encodeCompactModel(net), { registry });
        expect(header.sharing.id).toBe(id);
        for (const [name, v] of Object.entries(extracted.namedVariables())) {
          const got = network.namedVariables()[name]!;
          expect(Array.from(got.dataSync()), name).toEqual(Array.from(v.dataSync()));
          // every weight is one of the layer's K shared values
          const values = new Set(net.slotLayers.find((l) => `${l.name}/weight` === name)!.source.options.dataSync());
          expect(Array.from(got.dataSync()).every((w) => values.has(w))).toBe(true);
        }
        network.dispose();
        extracted.dispose();
        net.dispose();
      });
    }
  }
});
