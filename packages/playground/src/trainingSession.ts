import * as tf from '@tensorflow/tfjs-core';
import { architecture } from '@slot-machines/architectures';
import { createNetwork, layersModelJson, toLayersModelArtifacts, type Network, type SelectionStrategy, type WeightSharingPolicy } from '@slot-machines/core';
import { MNIST_STANDARDIZE, createBatchIterator, type BatchIterator, type ImageDataset } from '@slot-machines/datasets';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createEdgePopupStrategy, createEdgePopupWeights } from '@slot-machines/selection-edge-popup';
import { createProbabilisticStrategy } from '@slot-machines/selection-probabilistic';
import { createSupermaskStrategy, createSupermaskWeights } from '@slot-machines/selection-supermask';
import { recipeDefaults, train, type EpochMetrics, type Schedule } from '@slot-machines/trainer';
import { histogram } from './histogram';
import type { DemoRequest, DemoStrategyId, Histogram, LayerHistogram, TrainingEvent } from './protocol';

/** The paper's batch size. */
export const DEMO_BATCH_SIZE = 128;
/** A probe (accuracy on the probe images, share of selections changed) every this many steps. */
export const PROBE_EVERY = 10;
/** The probe reads the first this many test images (a fixed subset); each epoch is tested on all. */
export const PROBE_IMAGES = 1000;
export const HISTOGRAM_BINS = 40;
export const K_RANGE = { min: 2, max: 128 } as const;
export const MAX_EPOCHS = 50;
export const DEMO_STRATEGIES: readonly DemoStrategyId[] = ['greedy', 'probabilistic', 'edge-popup', 'supermask'];
/** Strategies that prune one weight per connection: K = 2 (the weight and the zero option). */
export const PRUNING_STRATEGIES: readonly DemoStrategyId[] = ['edge-popup', 'supermask'];

/** edge-popup's keep fraction when the request names none: half of each layer, as the paper's CONV nets. */
export const DEFAULT_KEEP_FRACTION = 0.5;

/**
 * The strategy of a request and where its options come from: each pruning method draws its weights
 * its own way (edge-popup: signed Kaiming constants, keeping `keepFraction` of each layer;
 * supermask: Glorot normal), the slot machines the network's own.
 */
export function demoStrategy(id: DemoStrategyId, keepFraction = DEFAULT_KEEP_FRACTION): { strategy: SelectionStrategy; sharing?: WeightSharingPolicy; zeroOption: boolean } {
  if (id === 'edge-popup') return { strategy: createEdgePopupStrategy({ keepFraction }), sharing: createEdgePopupWeights(), zeroOption: true };
  if (id === 'supermask') return { strategy: createSupermaskStrategy(), sharing: createSupermaskWeights(), zeroOption: true };
  return { strategy: id === 'greedy' ? createGreedyStrategy() : createProbabilisticStrategy(), zeroOption: false };
}

export interface TrainingHooks {
  /** Receives every event of the run, synchronously, in order. */
  readonly emit: (event: TrainingEvent) => void;
  /** Stops after the current step; the network so far is kept. */
  readonly signal?: AbortSignal;
  /** Called after every step so the host can handle messages (a worker: yield one macrotask). */
  readonly yieldToHost?: () => Promise<void>;
  /** Steps between probes; 0 turns them off. @default PROBE_EVERY */
  readonly probeEvery?: number;
}

export interface TrainingOutcome {
  /** The trained slot machine. The caller owns it: `dispose()` it when done. */
  readonly network: Network;
  readonly aborted: boolean;
  readonly history: readonly EpochMetrics[];
}

/**
 * Validates a request from the page (plain JSON) and returns it typed.
 * @throws Error naming the field, what was expected and what came.
 */
export function validateRequest(request: unknown): DemoRequest {
  const r = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  const integer = (field: string, min: number, max: number): number => {
    const value = r[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${field}: expected an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const strategy = r.strategy;
  if (!DEMO_STRATEGIES.includes(strategy as DemoStrategyId)) {
    throw new Error(`strategy: expected one of ${DEMO_STRATEGIES.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(strategy)}`);
  }
  const k = integer('k', K_RANGE.min, K_RANGE.max);
  if (PRUNING_STRATEGIES.includes(strategy as DemoStrategyId) && k !== 2) {
    throw new Error(`k: expected 2 for strategy '${String(strategy)}' (one weight per connection and the zero option), got ${k}`);
  }
  const keep = r.keepFraction;
  if (strategy !== 'edge-popup' && keep !== undefined) {
    throw new Error(`keepFraction: only for strategy 'edge-popup', got ${JSON.stringify(keep)} with strategy '${String(strategy)}'`);
  }
  if (strategy === 'edge-popup' && keep !== undefined && (typeof keep !== 'number' || !(keep > 0 && keep <= 1))) {
    throw new Error(`keepFraction: expected a number in (0, 1] (the share of each layer's connections kept), got ${JSON.stringify(keep)}`);
  }
  return {
    k,
    strategy: strategy as DemoStrategyId,
    ...(strategy === 'edge-popup' ? { keepFraction: (keep as number | undefined) ?? DEFAULT_KEEP_FRACTION } : {}),
    epochs: integer('epochs', 1, MAX_EPOCHS),
    seed: integer('seed', 0, 2 ** 32 - 1),
  };
}

/** The demo's recipe: the paper's (learning rate, L2, momentum, batch 128), cosine-annealed over the run. */
export function demoRecipe(request: DemoRequest): { learningRate: number; weightDecay: number; momentum: number; batchSize: number; schedule: Schedule } {
  const recipe = recipeDefaults({ flavour: 'slot', strategy: demoStrategy(request.strategy).strategy, k: request.k });
  return { ...recipe, batchSize: DEMO_BATCH_SIZE, schedule: { type: 'cosine', epochs: request.epochs, etaMin: 0 } };
}

/**
 * Trains Lenet-300-100 as a slot machine on `dataset` (MNIST) as the visitor asked, reporting every
 * step, a probe every `probeEvery` steps and every epoch through `hooks.emit`. Seeded: the same
 * request gives the same events (apart from timings) on the same backend.
 *
 * Memory: every batch and probe tensor is disposed before the next step; the tensors alive at each
 * epoch's end are reported (`numTensors`) and stay the same from epoch to epoch. The returned network
 * belongs to the caller; on an error it is disposed and the error rethrown.
 */
export async function runDemoTraining(dataset: ImageDataset, request: DemoRequest, hooks: TrainingHooks): Promise<TrainingOutcome> {
  const req = validateRequest(request);
  const recipe = demoRecipe(req);
  const probeEvery = hooks.probeEvery ?? PROBE_EVERY;
  const network = createNetwork({ ...architecture('lenet-300-100'), k: req.k, seed: req.seed, ...demoStrategy(req.strategy, req.keepFraction) });
  let previous: Record<string, tf.Tensor> = {};
  /** Training steps taken (the trainer's state counts them; each step event brings the count). */
  let step = 0;
  try {
    const trainData = createBatchIterator(dataset, { batchSize: recipe.batchSize, seed: req.seed, normalization: MNIST_STANDARDIZE });
    const testData = createBatchIterator(dataset, { batchSize: 1000, part: 'test', shuffle: false, normalization: MNIST_STANDARDIZE });
    const probeImages = Math.min(PROBE_IMAGES, dataset.testCount);
    const probeData = createBatchIterator(dataset, {
      batchSize: probeImages,
      part: 'test',
      shuffle: false,
      indices: Uint32Array.from({ length: probeImages }, (_, i) => i),
      normalization: MNIST_STANDARDIZE,
    });
    const optionHistograms = network.slotLayers.map((layer) => {
      const values = layer.source.options.dataSync();
      // a pruning method's weights may lie outside the network's U(-σ, σ) (edge-popup's ±sqrt(2/fan_in))
      let bound = layer.source.weightBound;
      for (const v of values) bound = Math.max(bound, Math.abs(v));
      return { layer: layer.name, bound, options: histogram(values, -bound, bound, HISTOGRAM_BINS) };
    });
    previous = network.selections();
    const connections = network.slotLayers.reduce((n, layer) => n + layer.source.scores.size / layer.source.k, 0);

    hooks.emit({
      type: 'started',
      request: req,
      recipe: { learningRate: recipe.learningRate, weightDecay: recipe.weightDecay, momentum: recipe.momentum, batchSize: recipe.batchSize },
      batchesPerEpoch: trainData.batchesPerEpoch,
      trainImages: trainData.size,
      testImages: testData.size,
      connections,
      numTensors: tf.memory().numTensors,
    });

    const probe = (): TrainingEvent => {
      const current = network.selections();
      const selectionChange = changedShare(previous, current);
      tf.dispose(Object.values(previous));
      previous = current;
      return { type: 'probe', step, probeAccuracy: accuracy(network, probeData), probeImages, selectionChange };
    };
    if (probeEvery > 0) hooks.emit({ type: 'probe', step: 0, probeAccuracy: accuracy(network, probeData), probeImages, selectionChange: null });

    const started = performance.now();
    let hooksDone = performance.now();
    const result = await train({
      network,
      data: { train: trainData, test: testData },
      config: { epochs: req.epochs, learningRate: recipe.learningRate, momentum: recipe.momentum, weightDecay: recipe.weightDecay, schedule: recipe.schedule },
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onStep: async (progress) => {
        const ms = performance.now() - hooksDone;
        step = progress.step;
        hooks.emit({ type: 'step', step, epoch: progress.epoch, batch: progress.batch, batches: progress.batches, loss: progress.loss, learningRate: progress.learningRate, ms });
        if (probeEvery > 0 && step % probeEvery === 0) hooks.emit(probe());
        await hooks.yieldToHost?.();
        hooksDone = performance.now();
      },
      onEpoch: async (metrics) => {
        hooks.emit({ type: 'epoch', metrics, numTensors: tf.memory().numTensors, histograms: selectedHistograms(network, optionHistograms) });
        await hooks.yieldToHost?.();
        hooksDone = performance.now();
      },
    });
    tf.dispose(Object.values(previous));
    previous = {};
    hooks.emit({ type: 'done', aborted: result.aborted, steps: result.steps, seconds: (performance.now() - started) / 1000, numTensors: tf.memory().numTensors });
    return { network, aborted: result.aborted, history: result.history };
  } catch (error) {
    tf.dispose(Object.values(previous));
    network.dispose();
    throw error;
  }
}

/**
 * The selected network as a TensorFlow.js LayersModel: `model.json` (its weights manifest names
 * `weights.bin`) and the bytes of `weights.bin`. Reads the network; owns no tensors afterwards.
 */
export function exportSelectedNetwork(network: Network): { modelJson: object; weights: ArrayBuffer } {
  const artifacts = toLayersModelArtifacts(network);
  const data = artifacts.weightData;
  if (data === undefined) throw new Error('the exported model has no weights');
  const parts = Array.isArray(data) ? data : [data];
  const weights = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weights.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return { modelJson: layersModelJson(artifacts, 'weights.bin'), weights: weights.buffer };
}

function selectedHistograms(network: Network, options: ReadonlyArray<{ layer: string; bound: number; options: Histogram }>): LayerHistogram[] {
  return network.slotLayers.map((layer, i) => {
    const { bound } = options[i]!;
    const weight = layer.selectedWeight();
    try {
      return { ...options[i]!, selected: histogram(weight.dataSync(), -bound, bound, HISTOGRAM_BINS) };
    } finally {
      weight.dispose();
    }
  });
}

/** Share of connections whose int32 selection differs between two records (by layer name). */
function changedShare(before: Record<string, tf.Tensor>, after: Record<string, tf.Tensor>): number {
  let changed = 0;
  let total = 0;
  for (const [name, a] of Object.entries(after)) {
    const b = before[name];
    total += a.size;
    if (b) changed += tf.tidy(() => tf.sum(tf.cast(tf.notEqual(a, b), 'int32')).dataSync()[0]!);
  }
  return total === 0 ? 0 : changed / total;
}

/** Accuracy of the argmax network on batch 0 of `data` (all of it). */
function accuracy(network: Network, data: BatchIterator): number {
  const { x, y } = data.batch(0, 0);
  try {
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(network.apply(x), -1), y), 'int32')).dataSync()[0]!);
    return hits / y.shape[0]!;
  } finally {
    tf.dispose([x, y]);
  }
}
