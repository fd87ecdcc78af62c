import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expectNoTensorLeak, maxAbsDiff } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../network/Network';
import { uniformStrategy } from '../testStrategies.test-helpers';
import { layersModelJson, toLayersModelArtifacts } from './toLayersModel';

describe('toLayersModelArtifacts', () => {
  it('exports the argmax network so that plain tfjs-layers loads it and predicts the same', async () => {
    const net = createNetwork({
      inputShape: [10, 10, 2],
      layers: [
        { type: 'slotConv2d', filters: 4, padding: 'valid' },
        { type: 'relu' },
        { type: 'maxPool2d' },
        { type: 'slotConv2d', filters: 3, padding: 'same' },
        { type: 'relu' },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.5 },
        { type: 'slotDense', units: 7 },
        { type: 'relu' },
        { type: 'dense', units: 3 },
      ],
      k: 4,
      seed: 5,
      strategy: uniformStrategy,
    });
    const artifacts = toLayersModelArtifacts(net);
    const json = layersModelJson(artifacts) as { weightsManifest: Array<{ paths: string[] }> };
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    // the JSON survives a round trip through text, as model.json on disk does
    const model = await tfl.loadLayersModel(tf.io.fromMemory(JSON.parse(JSON.stringify(artifacts.modelTopology)), artifacts.weightSpecs, artifacts.weightData));
    const x = tf.randomNormal([5, 10, 10, 2], 0, 1, 'float32', 1);
    const ours = tf.tidy(() => net.apply(x));
    const theirs = model.predict(x) as tf.Tensor;
    expect(theirs.shape).toEqual([5, 3]);
    expect(maxAbsDiff(ours.dataSync(), theirs.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, ours, theirs]);
    model.dispose();
    net.dispose();
  });

  it('leaks no tensor', async () => {
    const net = createNetwork({ inputShape: [4], layers: [{ type: 'slotDense', units: 2 }], k: 2, seed: 1, strategy: uniformStrategy });
    await expectNoTensorLeak(() => {
      toLayersModelArtifacts(net);
    });
    net.dispose();
  });
});
