import * as tf from '@tensorflow/tfjs-core';
import { createImageDataset, mulberry32, type ImageDataset } from '@slot-machines/datasets';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import type { TrainingEvent } from './protocol';
import { exportSelectedNetwork, runDemoTraining, validateRequest } from './trainingSession';

/** A small MNIST-shaped data set of random pixels: enough to run the demo's loop, not to learn. */
function tinyMnist(train: number, test: number): ImageDataset {
  const rng = mulberry32(3);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => rng.nextInt(256));
  const labels = (n: number) => Uint8Array.from({ length: n }, () => rng.nextInt(10));
  return createImageDataset({
    name: 'mnist',
    imageShape: [28, 28, 1],
    numClasses: 10,
    trainImages: bytes(train * 784),
    trainLabels: labels(train),
    testImages: bytes(test * 784),
    testLabels: labels(test),
  });
}

/** The events without wall-clock times, which are the only thing allowed to differ between runs. */
const withoutTimes = (events: TrainingEvent[]) =>
  events.map((e) => {
    if (e.type === 'step') return { ...e, ms: 0 };
    if (e.type === 'epoch') return { ...e, metrics: { ...e.metrics, seconds: 0 } };
    if (e.type === 'done') return { ...e, seconds: 0 };
    return e;
  });

const data = tinyMnist(160, 64); // two batches per epoch (128 + 32): quick even on the cpu backend
const request = { k: 4, strategy: 'greedy', epochs: 2, seed: 11 } as const;

describe('the demo training session', () => {
  it('emits started, a probe before the first step and every probeEvery steps, every step and epoch, then done', async () => {
    const events: TrainingEvent[] = [];
    const { network, aborted, history } = await runDemoTraining(data, request, { emit: (e) => events.push(e), probeEvery: 2 });
    network.dispose();
    expect(aborted).toBe(false);
    expect(history).toHaveLength(2);
    expect(events.map((e) => (e.type === 'step' || e.type === 'probe' ? `${e.type}${e.step}` : e.type))).toEqual([
      'started', 'probe0', 'step1', 'step2', 'probe2', 'epoch', 'step3', 'step4', 'probe4', 'epoch', 'done',
    ]);
    const started = events[0] as Extract<TrainingEvent, { type: 'started' }>;
    expect(started).toMatchObject({ batchesPerEpoch: 2, trainImages: 160, testImages: 64, connections: 784 * 300 + 300 * 100 + 100 * 10 });
    expect(started.recipe).toEqual({ learningRate: 0.2, weightDecay: 1e-4, momentum: 0.9, batchSize: 128 });
    const epoch = events.find((e): e is Extract<TrainingEvent, { type: 'epoch' }> => e.type === 'epoch')!;
    expect(epoch.histograms.map((h) => [h.layer, h.options.total, h.selected.total])).toEqual([
      ['slotDense_0', 784 * 300 * 4, 784 * 300],
      ['slotDense_1', 300 * 100 * 4, 300 * 100],
      ['slotDense_2', 100 * 10 * 4, 100 * 10],
    ]);
    for (const h of epoch.histograms) expect(h.options.counts.reduce((a, b) => a + b, 0)).toBe(h.options.total);
  });

  it('is seeded: the same request gives the same events, a new seed another curve', async () => {
    const run = async (seed: number) => {
      const events: TrainingEvent[] = [];
      const { network } = await runDemoTraining(data, { ...request, seed }, { emit: (e) => events.push(e), probeEvery: 1 });
      network.dispose();
      return withoutTimes(events);
    };
    const first = await run(11);
    expect(await run(11)).toEqual(first);
    const losses = (events: ReturnType<typeof withoutTimes>) => events.flatMap((e) => (e.type === 'step' ? [e.loss] : []));
    expect(losses(await run(12))).not.toEqual(losses(first));
  }, 180_000); // three trainings: about 20 s on the cpu backend, 63 s when CI shared the machine

  it('leaks no tensor: the count is flat across epochs and back to the start once the network is disposed', async () => {
    await expectNoTensorLeak(async () => {
      const counts: number[] = [];
      const { network } = await runDemoTraining(data, { ...request, epochs: 3, strategy: 'probabilistic' }, {
        emit: (e) => {
          if (e.type === 'epoch') counts.push(e.numTensors);
        },
        probeEvery: 2,
      });
      network.dispose();
      expect(counts).toHaveLength(3);
      expect(new Set(counts).size).toBe(1);
    });
  });

  it('stops after the current step when aborted, keeping the network', async () => {
    const controller = new AbortController();
    const events: TrainingEvent[] = [];
    const { network, aborted } = await runDemoTraining(data, request, {
      emit: (e) => {
        events.push(e);
        if (e.type === 'step' && e.step === 2) controller.abort();
      },
      signal: controller.signal,
    });
    expect(aborted).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'done', aborted: true, steps: 2 });
    network.dispose();
  });

  it('exports the selected network as a LayersModel whose weights are the selected options', async () => {
    const { network } = await runDemoTraining(data, { ...request, epochs: 1 }, { emit: () => {}, probeEvery: 0 });
    const before = tf.memory().numTensors;
    const { modelJson, weights } = exportSelectedNetwork(network);
    expect(tf.memory().numTensors).toBe(before);
    const manifest = (modelJson as { weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[] }> }> }).weightsManifest;
    expect(manifest[0]!.paths).toEqual(['weights.bin']);
    expect(manifest[0]!.weights.map((w) => w.shape)).toEqual([[784, 300], [300, 100], [100, 10]]);
    expect(weights.byteLength).toBe((784 * 300 + 300 * 100 + 100 * 10) * 4);
    const selected = network.slotLayers[2]!.selectedWeight();
    const last = new Float32Array(weights, (784 * 300 + 300 * 100) * 4);
    expect(Array.from(last)).toEqual(Array.from(selected.dataSync()));
    selected.dispose();
    network.dispose();
  });

  it.each(['edge-popup', 'supermask'] as const)('trains with %s: its own weights (inside the histograms), its recipe, the connections it prunes', async (strategy) => {
    const events: TrainingEvent[] = [];
    // edge-popup keeps the share of each layer the request asks for (30% here: 70% pruned, where the default prunes 50%)
    const { network } = await runDemoTraining(data, { k: 2, strategy, ...(strategy === 'edge-popup' ? { keepFraction: 0.3 } : {}), epochs: 1, seed: 3 }, { emit: (e) => events.push(e), probeEvery: 0 });
    const started = events[0] as Extract<TrainingEvent, { type: 'started' }>;
    expect(started.recipe.learningRate).toBe(strategy === 'edge-popup' ? 0.1 : 100);
    const epoch = events.find((e): e is Extract<TrainingEvent, { type: 'epoch' }> => e.type === 'epoch')!;
    // K = 2: each connection's weight and the zero option, all inside the histogram's range
    for (const h of epoch.histograms) expect(h.options.counts.reduce((a, b) => a + b, 0)).toBe(h.options.total);
    if (strategy === 'edge-popup') expect(network.sparsity().fraction).toBeCloseTo(0.7, 4);
    else expect(Math.abs(network.sparsity().fraction - 0.5)).toBeLessThan(0.05);
    network.dispose();
  });

  it('edge-popup keeps half of each layer unless the request names its keep fraction; other strategies take none', () => {
    expect(validateRequest({ k: 2, strategy: 'edge-popup', epochs: 1, seed: 0 }).keepFraction).toBe(0.5);
    expect(validateRequest({ k: 2, strategy: 'edge-popup', keepFraction: 0.3, epochs: 1, seed: 0 }).keepFraction).toBe(0.3);
    expect(validateRequest(request)).not.toHaveProperty('keepFraction');
    expect(validateRequest({ k: 2, strategy: 'supermask', epochs: 1, seed: 0 })).not.toHaveProperty('keepFraction');
  });

  it('rejects a bad request with a message naming the field', () => {
    expect(() => validateRequest({ ...request, k: 1 })).toThrow('k: expected an integer in [2, 128], got 1');
    expect(() => validateRequest({ ...request, epochs: 2.5 })).toThrow('epochs: expected an integer in [1, 50], got 2.5');
    expect(() => validateRequest({ ...request, seed: -1 })).toThrow('seed: expected an integer in [0, 4294967295], got -1');
    expect(() => validateRequest({ ...request, strategy: 'epsilon' })).toThrow(`strategy: expected one of 'greedy', 'probabilistic', 'edge-popup', 'supermask', got "epsilon"`);
    expect(() => validateRequest({ ...request, strategy: 'edge-popup', k: 8 })).toThrow("k: expected 2 for strategy 'edge-popup' (one weight per connection and the zero option), got 8");
    expect(() => validateRequest({ ...request, strategy: 'edge-popup', k: 2, keepFraction: 0 })).toThrow("keepFraction: expected a number in (0, 1] (the share of each layer's connections kept), got 0");
    expect(() => validateRequest({ ...request, strategy: 'edge-popup', k: 2, keepFraction: '0.5' })).toThrow('keepFraction: expected a number in (0, 1]');
    expect(() => validateRequest({ ...request, keepFraction: 0.5 })).toThrow("keepFraction: only for strategy 'edge-popup', got 0.5 with strategy 'greedy'");
    expect(() => validateRequest(null)).toThrow(/strategy: expected one of/);
  });
});
