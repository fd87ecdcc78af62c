import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak, maxAbsDiff, setTestBackend, testBackend } from '@slot-machines/test-utils';
import { SlotConfigError } from '../errors';
import { argmaxStrategy, uniformStrategy } from '../testStrategies.test-helpers';
import type { LayerSpec } from '../layers/LayerKind';
import { createNetwork, type Network } from './Network';
import type { NetworkOptions } from './NetworkConfig';

const mlp: LayerSpec[] = [
  { type: 'slotDense', units: 16 },
  { type: 'relu' },
  { type: 'slotDense', units: 3 },
];
const convnet: LayerSpec[] = [
  { type: 'slotConv2d', filters: 4, padding: 'valid' },
  { type: 'relu' },
  { type: 'maxPool2d' },
  { type: 'flatten' },
  { type: 'dropout', rate: 0.5 },
  { type: 'slotDense', units: 5 },
];

function build(extra: Partial<NetworkOptions> = {}): Network {
  return createNetwork({ inputShape: [10], layers: mlp, k: 4, seed: 123, strategy: argmaxStrategy, ...extra });
}

function values(record: Record<string, tf.Tensor>): number[] {
  return Object.values(record).flatMap((t) => Array.from(t.dataSync()));
}

describe('createNetwork', () => {
  it('builds slot layers with [...S, K] scores, names and layer indices', () => {
    const net = createNetwork({ inputShape: [8, 8, 2], layers: convnet, k: 3, seed: 1, strategy: argmaxStrategy });
    expect(net.slotLayers.map((l) => l.name)).toEqual(['slotConv2d_0', 'slotDense_1']);
    expect(net.slotLayers.map((l) => l.layerIndex)).toEqual([0, 1]);
    expect(net.slotLayers[0]!.source.scores.shape).toEqual([3, 3, 2, 4, 3]);
    expect(net.slotLayers[1]!.source.scores.shape).toEqual([3 * 3 * 4, 5, 3]);
    expect(net.outputShape).toEqual([5]);
    expect(net.trainableVariables).toHaveLength(2);
    const y = tf.tidy(() => net.apply(tf.ones([2, 8, 8, 2]), { training: true, step: 0 }));
    expect(y.shape).toEqual([2, 5]);
    y.dispose();
    net.dispose();
  });

  it('reproduces options and scores from the seed, on this backend and the other one', async () => {
    const here = testBackend();
    const other = here === 'cpu' ? 'wasm' : 'cpu';
    const a = build();
    const b = build();
    const c = build({ seed: 124 });
    expect(values(a.scores())).toEqual(values(b.scores()));
    expect(a.slotLayers.map((l) => Array.from(l.source.options.dataSync()))).toEqual(b.slotLayers.map((l) => Array.from(l.source.options.dataSync())));
    expect(maxAbsDiff(a.slotLayers[0]!.source.options.dataSync(), c.slotLayers[0]!.source.options.dataSync())).toBeGreaterThan(0.01);
    // different layer index, different options (same shape layers)
    const twins = createNetwork({ inputShape: [6], layers: [{ type: 'slotDense', units: 6 }, { type: 'slotDense', units: 6 }], k: 2, seed: 9, strategy: argmaxStrategy });
    expect(maxAbsDiff(twins.slotLayers[0]!.source.options.dataSync(), twins.slotLayers[1]!.source.options.dataSync())).toBeGreaterThan(0.01);
    const optionsHere = a.slotLayers.map((l) => Array.from(l.source.options.dataSync()));
    const scoresHere = values(a.scores());
    for (const n of [a, b, c, twins]) n.dispose();

    await setTestBackend(other);
    const d = build();
    const optionsThere = d.slotLayers.map((l) => Array.from(l.source.options.dataSync()));
    const scoresThere = values(d.scores());
    d.dispose();
    await setTestBackend(here);
    expect(optionsThere).toEqual(optionsHere);
    expect(scoresThere).toEqual(scoresHere);
  });

  it('repeats the same random selections for the same step and seed', () => {
    const net = build({ strategy: uniformStrategy });
    const x = tf.randomNormal([3, 10], 0, 1, 'float32', 4);
    const run = (step: number) => tf.tidy(() => net.apply(x, { training: true, step }).dataSync());
    expect(Array.from(run(5))).toEqual(Array.from(run(5)));
    expect(maxAbsDiff(run(5), run(6))).toBeGreaterThan(0);
    // the network keeps no counter: a training pass must say its step
    expect(() => net.apply(x, { training: true })).toThrow(/^step: expected the training step/);
    expect(Array.from(tf.tidy(() => net.apply(x).dataSync()))).toEqual(Array.from(tf.tidy(() => net.apply(x, { step: 3 }).dataSync())));
    x.dispose();
    net.dispose();
  });

  it('extracts the argmax network as an ordinary network with the same outputs', () => {
    const net = createNetwork({ inputShape: [8, 8, 2], layers: convnet, k: 5, seed: 2, strategy: uniformStrategy });
    const x = tf.randomNormal([4, 8, 8, 2], 0, 1, 'float32', 8);
    const plain = net.extract();
    expect(plain.slotLayers).toHaveLength(0);
    expect(plain.layers.map((l) => l.type)).toEqual(['conv2d', 'relu', 'maxPool2d', 'flatten', 'dropout', 'dense']);
    expect(plain.trainableVariables).toHaveLength(0);
    const slotOut = tf.tidy(() => net.apply(x));
    const plainOut = tf.tidy(() => plain.apply(x));
    expect(maxAbsDiff(slotOut.dataSync(), plainOut.dataSync())).toBeLessThan(1e-5);
    // every extracted weight is one of the options of its connection
    const w = net.selectedWeights();
    const chosen = net.selections();
    const layer = net.slotLayers[1]!;
    const opts = layer.source.options.dataSync();
    const idx = chosen[layer.name]!.dataSync();
    const ww = w[layer.name]!.dataSync();
    for (let i = 0; i < ww.length; i++) expect(ww[i]).toBe(opts[i * 5 + idx[i]!]);
    const finetune = net.extract({ trainable: true });
    expect(finetune.trainableVariables).toHaveLength(2);
    for (const t of [x, slotOut, plainOut, ...Object.values(w), ...Object.values(chosen)]) t.dispose();
    for (const n of [net, plain, finetune]) n.dispose();
  });

  it('reports the sparsity of the zero option', () => {
    const net = build({ zeroOption: true, k: 2 });
    const total = 10 * 16 + 16 * 3;
    for (const layer of net.slotLayers) {
      const scores = tf.tidy(() => tf.concat([tf.zeros([...layer.weightShape, 1]), tf.ones([...layer.weightShape, 1])], -1));
      layer.source.setScores(scores);
      scores.dispose();
    }
    expect(net.sparsity()).toEqual({ zero: total, total, fraction: 1 });
    const dense = build();
    expect(dense.sparsity()).toEqual({ zero: 0, total, fraction: 0 });
    net.dispose();
    dense.dispose();
  });

  it('leaks no tensor through build, training steps, extraction and dispose', async () => {
    const x = tf.randomNormal([2, 8, 8, 2], 0, 1, 'float32', 2);
    const labels = tf.oneHot(tf.tensor1d([1, 3], 'int32'), 5);
    await expectNoTensorLeak(() => {
      const net = createNetwork({ inputShape: [8, 8, 2], layers: convnet, k: 3, seed: 1, strategy: uniformStrategy });
      const optimizer = tf.train.sgd(0.1);
      for (let i = 0; i < 3; i++) {
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.apply(x, { training: true, step: i })) as tf.Scalar);
      }
      const plain = net.extract({ trainable: true });
      Object.values(net.selections()).forEach((t) => t.dispose());
      net.sparsity();
      optimizer.dispose();
      plain.dispose();
      net.dispose();
    });
    x.dispose();
    labels.dispose();
  });
});

describe('bad configuration', () => {
  const cases: Array<[string, Partial<NetworkOptions>, RegExp]> = [
    ['K < 1', { k: 0 }, /^k: expected an integer >= 1, got 0$/],
    ['a non-integer K', { k: 2.5 }, /^k: expected an integer >= 1, got 2.5$/],
    ['the zero option with K = 1', { k: 1, zeroOption: true }, /^k: expected an integer >= 2 when zeroOption is true/],
    ['a missing strategy', { strategy: undefined }, /^strategy: expected a SelectionStrategy/],
    ['an unknown init', { init: 'he' as never }, /^init: expected one of 'paper', 'glorot-uniform', got 'he'$/],
    ['a bad seed', { seed: -1 }, /^seed: expected an integer seed in \[0, 2\^32\), got -1$/],
    ['an unknown layer type', { layers: [{ type: 'slotLstm' } as never] }, /^layers\[0\]\.type: expected one of 'slotDense'.*got 'slotLstm'$/],
    ['a dense layer on an image', { inputShape: [4, 4, 1], layers: [{ type: 'slotDense', units: 3 }] }, /^input of slotDense_0: expected a flat shape \[units\].*got \[4, 4, 1\]$/],
    ['units 0', { layers: [{ type: 'slotDense', units: 0 }] }, /^layers\[0\]\.units: expected an integer >= 1, got 0$/],
  ];
  it.each(cases)('names the field and the expected value for %s', (_name, extra, message) => {
    let error: unknown;
    try {
      build(extra).dispose();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlotConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('names the expected shape on an input shape mismatch', () => {
    const net = build();
    const x = tf.ones([2, 11]);
    expect(() => net.apply(x)).toThrow(/^input of the network: expected shape \[batch, 10\], got \[2, 11\]$/);
    expect(() => net.setScores({ slotDense_0: x })).toThrow(/^slotDense_0\.scores: expected a tensor of shape \[10, 16, 4\], got \[2, 11\]$/);
    expect(() => net.setScores({ nope: x })).toThrow(/^scores: expected names of slot layers \(slotDense_0, slotDense_1\), got 'nope'$/);
    x.dispose();
    net.dispose();
  });

  it('makes no tensor when the configuration is bad', async () => {
    await expectNoTensorLeak(() => {
      expect(() => build({ layers: [...mlp, { type: 'slotDense', units: -1 }] })).toThrow(SlotConfigError);
    });
  });
});

describe('named variables', () => {
  it('names every variable by layer and loads them back with shape checks', () => {
    const net = createNetwork({
      inputShape: [6],
      layers: [{ type: 'slotDense', units: 4 }, { type: 'relu' }, { type: 'dense', units: 2 }],
      k: 3,
      seed: 1,
      strategy: argmaxStrategy,
    });
    const names = Object.keys(net.namedVariables());
    expect(names).toEqual(['slotDense_0/scores', 'dense_1/weight']);
    const other = createNetwork({ ...net.config, seed: 2, strategy: argmaxStrategy });
    other.loadVariables(net.namedVariables());
    expect(values(other.namedVariables())).toEqual(values(net.namedVariables()));
    const bad = tf.zeros([2, 2]);
    expect(() => other.loadVariables({ 'dense_1/weight': bad })).toThrow(/^dense_1\/weight: expected a tensor of shape \[4, 2\], got \[2, 2\]$/);
    expect(() => other.loadVariables({ nope: bad })).toThrow(/^variables: expected names of this network's variables/);
    bad.dispose();
    net.dispose();
    other.dispose();
  });
});
