import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '@slot-machines/core';
import { validate } from '@slot-machines/core';
import type { BatchProvider } from './BatchProvider';
import type { CheckpointStore } from './CheckpointStore';
import { evaluate } from './evaluate';
import type { BestEpoch, EpochMetrics } from './metrics';
import { decodeTensorFile, encodeTensorFile } from './safetensors';
import { PAPER_SCHEDULE, learningRateAt, type Schedule } from './schedule';
import { SGD } from './SGD';

/** The JSON part of a training run (stored in every checkpoint). */
export interface TrainConfig {
  readonly epochs: number;
  readonly learningRate: number;
  /** @default 0.9 */
  readonly momentum?: number;
  /** Coupled L2 on every trained tensor. @default 0 */
  readonly weightDecay?: number;
  /** @default PAPER_SCHEDULE (SGDR, T0 = 25, Tmult = 2) */
  readonly schedule?: Schedule;
  /** Stop once validation accuracy has not improved for this many epochs. @default null: run every epoch */
  readonly patience?: number | null;
  /** Also checkpoint every this many training steps (epoch ends always are). @default 0 */
  readonly checkpointEverySteps?: number;
}

export interface StepProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly learningRate: number;
}

export interface TrainOptions {
  readonly network: Network;
  readonly data: { readonly train: BatchProvider; readonly validation?: BatchProvider; readonly test?: BatchProvider };
  readonly config: TrainConfig;
  /** Where `last` (and `best`, on each new best validation accuracy) checkpoints go. */
  readonly checkpoints?: CheckpointStore;
  /** Continue from the `last` checkpoint of `checkpoints` if there is one. @default false */
  readonly resume?: boolean;
  /** JSON stored in checkpoints beside the trainer state, e.g. how to rebuild the network. */
  readonly runInfo?: unknown;
  readonly onStep?: (progress: StepProgress) => void | Promise<void>;
  readonly onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  /** Stops after the current step without saving anything more, as a killed process would. */
  readonly signal?: AbortSignal;
}

export interface TrainResult {
  readonly history: readonly EpochMetrics[];
  readonly best: BestEpoch | null;
  readonly stoppedEarly: boolean;
  readonly aborted: boolean;
  /** Where a resumed run picked up (epoch and batch, 0-based), null for a fresh run. */
  readonly resumedFrom: { readonly epoch: number; readonly batch: number } | null;
}

/** What a checkpoint's metadata holds besides the tensors. */
export interface CheckpointState {
  readonly format: 'slot-machines-checkpoint';
  readonly version: 1;
  readonly network: unknown;
  readonly config: TrainConfig;
  readonly runInfo: unknown;
  readonly progress: {
    readonly epoch: number;
    readonly batch: number;
    readonly step: number;
    readonly lossSum: number;
    readonly correct: number;
    readonly seen: number;
    readonly seconds: number;
  };
  readonly history: readonly EpochMetrics[];
  readonly best: BestEpoch | null;
}

/** A network's identity for checkpoints: its JSON config and plugin ids/options. */
export function networkDescription(network: Network): unknown {
  return {
    ...network.config,
    strategy: network.strategy ? { id: network.strategy.id, options: network.strategy.options ?? {} } : null,
    sharing: { id: network.sharing.id, options: network.sharing.options ?? {} },
  };
}

/**
 * Trains `network` with the paper's recipe: SGD + momentum + coupled L2 over mini-batches,
 * learning rate by epoch from the schedule, evaluation on validation and test data after every
 * epoch, early stopping on validation accuracy. With `checkpoints`, saves the full state after
 * every epoch (and every `checkpointEverySteps` steps); with `resume`, continues a killed run so
 * that it ends exactly as an uninterrupted one would.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { network, data, config } = options;
  validateConfig(config);
  const schedule = config.schedule ?? PAPER_SCHEDULE;
  const sgd = new SGD({ momentum: config.momentum ?? 0.9, weightDecay: config.weightDecay ?? 0 });
  const named = network.namedVariables();
  const trainable = new Set(network.trainableVariables);
  const trainedNames = Object.keys(named).filter((n) => trainable.has(named[n]!));
  const byTfName = new Map(trainedNames.map((n) => [named[n]!.name, n]));
  const varList = trainedNames.map((n) => named[n]!);
  const description = networkDescription(network);

  let history: EpochMetrics[] = [];
  let best: BestEpoch | null = null;
  let previous = network.selections();
  let progress = { epoch: 0, batch: 0, lossSum: 0, correct: 0, seen: 0, seconds: 0 };
  let resumedFrom: TrainResult['resumedFrom'] = null;

  try {
    if (options.resume && options.checkpoints) {
      const bytes = await options.checkpoints.load('last');
      if (bytes) {
        const restored = restore(bytes, options.checkpoints.describe('last'), network, sgd, description);
        tf.dispose(Object.values(previous));
        previous = restored.selections;
        history = [...restored.state.history];
        best = restored.state.best;
        const p = restored.state.progress;
        progress = { epoch: p.epoch, batch: p.batch, lossSum: p.lossSum, correct: p.correct, seen: p.seen, seconds: p.seconds };
        network.step = p.step;
        resumedFrom = { epoch: p.epoch, batch: p.batch };
      }
    }

    const save = async (name: 'last' | 'best') => {
      if (!options.checkpoints) return;
      const state: CheckpointState = {
        format: 'slot-machines-checkpoint',
        version: 1,
        network: description,
        config,
        runInfo: options.runInfo ?? null,
        progress: { ...progress, step: network.step },
        history,
        best,
      };
      const tensors: Record<string, tf.Tensor> = {};
      for (const [n, v] of Object.entries(network.namedVariables())) tensors[`variable/${n}`] = v;
      for (const [n, v] of Object.entries(sgd.state())) tensors[`velocity/${n}`] = v;
      for (const [n, v] of Object.entries(previous)) tensors[`selection/${n}`] = v;
      await options.checkpoints.save(name, encodeTensorFile(tensors, { 'slot-machines': JSON.stringify(state) }));
    };

    const batches = data.train.batchesPerEpoch;
    let stoppedEarly = false;
    for (let epoch = progress.epoch; epoch < config.epochs; epoch++) {
      const learningRate = learningRateAt(schedule, config.learningRate, epoch);
      let started = performance.now();
      for (let b = progress.batch; b < batches; b++) {
        const { x, y: labels } = data.train.batch(epoch, b);
        const [loss, correct] = trainStep(network, sgd, varList, byTfName, named, x, labels, learningRate);
        const n = labels.shape[0]!;
        tf.dispose([x, labels]);
        progress.lossSum += loss * n;
        progress.correct += correct;
        progress.seen += n;
        progress.batch = b + 1;
        await options.onStep?.({ epoch, epochs: config.epochs, batch: b, batches, loss, learningRate });
        if (options.signal?.aborted) return { history, best, stoppedEarly: false, aborted: true, resumedFrom };
        const every = config.checkpointEverySteps ?? 0;
        if (every > 0 && network.step % every === 0 && progress.batch < batches) {
          progress.seconds += (performance.now() - started) / 1000;
          started = performance.now();
          await save('last');
        }
      }
      const val = data.validation ? evaluate(network, data.validation) : null;
      const test = data.test ? evaluate(network, data.test) : null;
      const current = network.selections();
      const selectionChange = changedShare(previous, current);
      tf.dispose(Object.values(previous));
      previous = current;
      const sparsity = network.config.zeroOption ? network.sparsity().fraction : null;
      const seconds = progress.seconds + (performance.now() - started) / 1000;
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        learningRate,
        trainLoss: progress.lossSum / Math.max(progress.seen, 1),
        trainAccuracy: progress.correct / Math.max(progress.seen, 1),
        valLoss: val?.loss ?? null,
        valAccuracy: val?.accuracy ?? null,
        testLoss: test?.loss ?? null,
        testAccuracy: test?.accuracy ?? null,
        selectionChange,
        sparsity,
        step: network.step,
        seconds,
      };
      history.push(metrics);
      progress = { epoch: epoch + 1, batch: 0, lossSum: 0, correct: 0, seen: 0, seconds: 0 };
      const improved = val !== null && (best === null || val.accuracy > best.valAccuracy);
      if (improved) best = { epoch: epoch + 1, valAccuracy: val.accuracy, testAccuracy: test?.accuracy ?? null };
      if (improved) await save('best');
      await save('last');
      await options.onEpoch?.(metrics);
      const patience = config.patience ?? null;
      if (patience !== null && best !== null && epoch + 1 - best.epoch >= patience) {
        stoppedEarly = true;
        break;
      }
    }
    return { history, best, stoppedEarly, aborted: false, resumedFrom };
  } finally {
    tf.dispose(Object.values(previous));
    sgd.dispose();
  }
}

/** One SGD step on one batch; returns [mean loss, correct count]. */
function trainStep(
  network: Network,
  sgd: SGD,
  varList: tf.Variable[],
  byTfName: Map<string, string>,
  named: Record<string, tf.Variable>,
  x: tf.Tensor,
  labels: tf.Tensor,
  learningRate: number,
): [number, number] {
  let hits: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = network.apply(x, { training: true });
    hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'int32')));
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]!), logits) as tf.Scalar;
  }, varList);
  const ours: Record<string, tf.Tensor> = {};
  for (const [tfName, g] of Object.entries(grads)) ours[byTfName.get(tfName)!] = g;
  sgd.step(named, ours, learningRate);
  const loss = value.dataSync()[0]!;
  const correct = hits!.dataSync()[0]!;
  tf.dispose([value, hits!, ...Object.values(grads)]);
  if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} at step ${network.step}; lower the learning rate`);
  return [loss, correct];
}

/** Share of connections whose selection differs between two records of int32 selections. */
function changedShare(before: Record<string, tf.Tensor>, after: Record<string, tf.Tensor>): number | null {
  const names = Object.keys(after);
  if (names.length === 0) return null;
  let changed = 0;
  let total = 0;
  for (const name of names) {
    const a = after[name]!;
    const b = before[name];
    total += a.size;
    if (b) changed += tf.tidy(() => tf.sum(tf.cast(tf.notEqual(a, b), 'int32')).dataSync()[0]!);
  }
  return changed / total;
}

function restore(bytes: Uint8Array, source: string, network: Network, sgd: SGD, description: unknown) {
  const file = decodeTensorFile(bytes, source);
  try {
    const raw = file.metadata['slot-machines'];
    if (!raw) throw new Error(`${source}: not a slot-machines checkpoint (no 'slot-machines' metadata)`);
    const state = JSON.parse(raw) as CheckpointState;
    if (state.format !== 'slot-machines-checkpoint' || state.version !== 1) {
      throw new Error(`${source}: checkpoint format ${state.format} v${state.version}; expected slot-machines-checkpoint v1`);
    }
    const mismatch = firstDifference(state.network, description, 'network');
    if (mismatch) throw new Error(`${source} was written for another network: ${mismatch}`);
    const pick = (prefix: string) =>
      Object.fromEntries(
        Object.entries(file.tensors)
          .filter(([k]) => k.startsWith(prefix))
          .map(([k, v]) => [k.slice(prefix.length), v]),
      );
    network.loadVariables(pick('variable/'));
    sgd.loadState(pick('velocity/'));
    const selections = pick('selection/');
    tf.dispose(Object.entries(file.tensors).filter(([k]) => !k.startsWith('selection/')).map(([, v]) => v));
    return { state, selections };
  } catch (e) {
    tf.dispose(Object.values(file.tensors));
    throw e;
  }
}

/** The first path where two JSON values differ, e.g. `network.k: 8 in the checkpoint, 4 now`. */
function firstDifference(saved: unknown, now: unknown, path: string): string | null {
  if (typeof saved !== typeof now || Array.isArray(saved) !== Array.isArray(now) || saved === null || now === null || typeof saved !== 'object') {
    return JSON.stringify(saved) === JSON.stringify(now) ? null : `${path}: ${JSON.stringify(saved)} in the checkpoint, ${JSON.stringify(now)} now`;
  }
  const keys = new Set([...Object.keys(saved as object), ...Object.keys(now as object)]);
  for (const key of keys) {
    const d = firstDifference((saved as Record<string, unknown>)[key], (now as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return null;
}

function validateConfig(config: TrainConfig): void {
  validate.requireInteger('epochs', config.epochs, 1);
  validate.requireNumber('learningRate', config.learningRate, { min: 0, minExclusive: true });
  if (config.momentum !== undefined) validate.requireNumber('momentum', config.momentum, { min: 0, max: 1, maxExclusive: true });
  if (config.weightDecay !== undefined) validate.requireNumber('weightDecay', config.weightDecay, 0);
  const p = config.patience;
  if (p != null && !(Number.isInteger(p) && p >= 1)) throw validate.invalid('patience', 'an integer >= 1 or null', p);
  if (config.checkpointEverySteps !== undefined) validate.requireInteger('checkpointEverySteps', config.checkpointEverySteps, 0);
}
