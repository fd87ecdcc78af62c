import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '@slot-machines/core';
import { validate } from '@slot-machines/core';
import type { BatchProvider } from './BatchProvider';
import type { CheckpointStore } from './CheckpointStore';
import { evaluate } from './evaluate';
import { decodeCheckpoint, encodeCheckpoint, restoreTrainingState } from './checkpointCodec';
import type { BestEpoch, EpochMetrics } from './metrics';
import { learningRateAt, paperSchedule, type Schedule } from './schedule';
import { createTrainingState, disposeTrainingState, freshProgress } from './TrainingState';
import { trainStep } from './trainStep';
import { TrainingDivergedError, nonFiniteTensors } from './finiteness';

/** The JSON part of a training run (stored in every checkpoint). */
export interface TrainConfig {
  readonly epochs: number;
  readonly learningRate: number;
  /** @default 0.9 */
  readonly momentum?: number;
  /** Coupled L2 on every trained tensor. @default 0 */
  readonly weightDecay?: number;
  /** @default paperSchedule(epochs): restarts at epochs 25 and 75 */
  readonly schedule?: Schedule;
  /** Stop once validation accuracy has not improved for this many epochs. @default null: run every epoch */
  readonly patience?: number | null;
  /** Also checkpoint every this many training steps (epoch ends always are). @default 0 */
  readonly checkpointEverySteps?: number;
  /**
   * Keep the checkpoint of every this many epochs under {@link keptCheckpointName} (e.g. to
   * finetune from epoch 5 later, the paper's Figure 6); `last` is overwritten, these are not. @default 0: none
   */
  readonly keepEvery?: number;
  /**
   * Check every this many steps that every score, weight and velocity is finite (one scalar read
   * back); the check also runs before every checkpoint, so none holds a NaN. @default 50
   */
  readonly checkFiniteEverySteps?: number;
  /**
   * Which network's validation accuracy picks the best epoch (and early stopping) for a stochastic
   * strategy (PS): `'argmax'` (the selected network, which the paper tests) or `'sample'` (one
   * sampled network, as the authors' code validates PS). Both are reported either way.
   * @default 'argmax'
   */
  readonly validateWith?: 'argmax' | 'sample';
}

export interface StepProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /** Training steps taken so far (this one included). */
  readonly step: number;
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
  /** After each epoch's checkpoints are saved; `history` is every epoch so far (a resumed run's earlier ones too). */
  readonly onEpoch?: (metrics: EpochMetrics, history: readonly EpochMetrics[]) => void | Promise<void>;
  /** Stops after the current step without saving anything more, as a killed process would. */
  readonly signal?: AbortSignal;
  /**
   * Take the fused slot-kernel path where the network allows it (see `fusedTrainStep`); false
   * forces the unfused reference path. Results agree within float tolerance. @default true
   */
  readonly fused?: boolean;
}

export interface TrainResult {
  readonly history: readonly EpochMetrics[];
  readonly best: BestEpoch | null;
  readonly stoppedEarly: boolean;
  readonly aborted: boolean;
  /** Training steps taken in all (a resumed run counts the killed run's too). */
  readonly steps: number;
  /** Where a resumed run picked up (epoch and batch, 0-based), null for a fresh run. */
  readonly resumedFrom: { readonly epoch: number; readonly batch: number } | null;
}

/**
 * Trains `network` with the paper's recipe: SGD + momentum + coupled L2 over mini-batches,
 * learning rate by epoch from the schedule, evaluation on validation and test data after every
 * epoch, early stopping on validation accuracy. The epoch loop around `trainStep` and one
 * `TrainingState`; with `checkpoints`, the state is saved (`encodeCheckpoint`) after every epoch
 * (and every `checkpointEverySteps` steps); with `resume`, a killed run continues so that it ends
 * exactly as an uninterrupted one would.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { network, data, config } = options;
  validateConfig(config);
  if (config.validateWith === 'sample' && !network.strategy?.stochastic) {
    throw validate.invalid('validateWith', `'argmax' for a network whose strategy does not sample ('${network.strategy?.id ?? 'none'}'): 'sample' is for stochastic strategies such as PS`, 'sample');
  }
  const schedule = config.schedule ?? paperSchedule(config.epochs);
  const state = createTrainingState(network, { momentum: config.momentum ?? 0.9, weightDecay: config.weightDecay ?? 0, fused: options.fused ?? true });
  let resumedFrom: TrainResult['resumedFrom'] = null;
  const result = (extra: { stoppedEarly: boolean; aborted: boolean }): TrainResult => ({
    history: state.history,
    best: state.best,
    steps: state.progress.step,
    resumedFrom,
    ...extra,
  });

  try {
    if (options.resume && options.checkpoints) {
      const bytes = await options.checkpoints.load('last');
      if (bytes) {
        const source = options.checkpoints.describe('last');
        const decoded = decodeCheckpoint(bytes, source);
        try {
          restoreTrainingState(state, decoded, source);
        } finally {
          decoded.dispose();
        }
        resumedFrom = { epoch: state.progress.epoch, batch: state.progress.batch };
      }
    }

    // the last checkpoint known finite: a run that diverges says where its last good state is
    let lastFinite: { location: string; step: number } | null =
      resumedFrom && options.checkpoints ? { location: options.checkpoints.describe('last'), step: state.progress.step } : null;
    const diverged = (tensors: readonly string[]) => new TrainingDivergedError(state.progress.epoch, state.progress.step, tensors, lastFinite?.location ?? null, lastFinite?.step ?? null);
    const requireFinite = () => {
      const bad = nonFiniteTensors(state);
      if (bad.length) throw diverged(bad);
    };
    const save = async (name: string) => {
      if (!options.checkpoints) return;
      requireFinite();
      await options.checkpoints.save(name, encodeCheckpoint(state, { config, runInfo: options.runInfo ?? null }));
      if (name === 'last') lastFinite = { location: options.checkpoints.describe('last'), step: state.progress.step };
    };
    const checkEvery = config.checkFiniteEverySteps ?? 50;

    const batches = data.train.batchesPerEpoch;
    for (let epoch = state.progress.epoch; epoch < config.epochs; epoch++) {
      const learningRate = learningRateAt(schedule, config.learningRate, epoch);
      let started = performance.now();
      const progress = () => state.progress;
      for (let b = progress().batch; b < batches; b++) {
        const batch = data.train.batch(epoch, b);
        let loss: number;
        try {
          ({ loss } = trainStep(state, batch, learningRate));
        } catch (error) {
          if (error instanceof TrainingDivergedError) throw diverged(error.tensors);
          throw error;
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
        if (checkEvery > 0 && progress().step % checkEvery === 0) requireFinite();
        await options.onStep?.({ epoch, epochs: config.epochs, batch: b, batches, step: progress().step, loss, learningRate });
        if (options.signal?.aborted) return result({ stoppedEarly: false, aborted: true });
        const every = config.checkpointEverySteps ?? 0;
        if (every > 0 && progress().step % every === 0 && progress().batch < batches) {
          progress().seconds += (performance.now() - started) / 1000;
          started = performance.now();
          await save('last');
        }
      }
      requireFinite(); // before evaluating: a NaN network would report an accuracy
      const val = data.validation ? evaluate(network, data.validation) : null;
      const test = data.test ? evaluate(network, data.test) : null;
      // a stochastic strategy's sampled network too: the one the next training step would sample, before its update
      const sampled = network.strategy?.stochastic
        ? {
            val: data.validation ? evaluate(network, data.validation, { selection: 'sampled', step: state.progress.step }) : null,
            test: data.test ? evaluate(network, data.test, { selection: 'sampled', step: state.progress.step }) : null,
          }
        : null;
      const current = network.selections();
      const selectionChange = changedShare(state.selections, current);
      tf.dispose(Object.values(state.selections));
      state.selections = current;
      const sparsity = network.config.zeroOption ? network.sparsity().fraction : null;
      const p = progress();
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        learningRate,
        trainLoss: p.lossSum / Math.max(p.seen, 1),
        trainAccuracy: p.correct / Math.max(p.seen, 1),
        valLoss: val?.loss ?? null,
        valAccuracy: val?.accuracy ?? null,
        testLoss: test?.loss ?? null,
        testAccuracy: test?.accuracy ?? null,
        ...(sampled ? { valAccuracySampled: sampled.val?.accuracy ?? null, testAccuracySampled: sampled.test?.accuracy ?? null } : {}),
        selectionChange,
        sparsity,
        step: p.step,
        seconds: p.seconds + (performance.now() - started) / 1000,
      };
      state.history.push(metrics);
      state.progress = freshProgress(epoch + 1, p.step);
      const bySample = sampled !== null && config.validateWith === 'sample';
      const validation = bySample ? (sampled.val?.accuracy ?? null) : (val?.accuracy ?? null);
      const bestSoFar = state.best === null ? null : bySample ? (state.best.valAccuracySampled ?? null) : state.best.valAccuracy;
      const improved = val !== null && validation !== null && (bestSoFar === null || validation > bestSoFar);
      if (improved) {
        state.best = {
          epoch: epoch + 1,
          valAccuracy: val.accuracy,
          testAccuracy: test?.accuracy ?? null,
          ...(sampled ? { valAccuracySampled: sampled.val?.accuracy ?? null, testAccuracySampled: sampled.test?.accuracy ?? null } : {}),
          ...(bySample ? { validatedWith: 'sample' as const } : {}),
        };
      }
      if (improved) await save('best');
      const keep = config.keepEvery ?? 0;
      if (keep > 0 && (epoch + 1) % keep === 0) await save(keptCheckpointName(epoch + 1));
      await save('last');
      await options.onEpoch?.(metrics, state.history);
      const patience = config.patience ?? null;
      if (patience !== null && state.best !== null && epoch + 1 - state.best.epoch >= patience) {
        return result({ stoppedEarly: true, aborted: false });
      }
    }
    return result({ stoppedEarly: false, aborted: false });
  } finally {
    disposeTrainingState(state);
  }
}

/** The name a checkpoint kept at the end of `epoch` is saved under (`keepEvery`): `epoch-0005`. */
export function keptCheckpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
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

function validateConfig(config: TrainConfig): void {
  validate.requireInteger('epochs', config.epochs, 1);
  validate.requireNumber('learningRate', config.learningRate, { min: 0, minExclusive: true });
  if (config.momentum !== undefined) validate.requireNumber('momentum', config.momentum, { min: 0, max: 1, maxExclusive: true });
  if (config.weightDecay !== undefined) validate.requireNumber('weightDecay', config.weightDecay, 0);
  const p = config.patience;
  if (p != null && !(Number.isInteger(p) && p >= 1)) throw validate.invalid('patience', 'an integer >= 1 or null', p);
  if (config.checkpointEverySteps !== undefined) validate.requireInteger('checkpointEverySteps', config.checkpointEverySteps, 0);
  if (config.keepEvery !== undefined) validate.requireInteger('keepEvery', config.keepEvery, 0);
  if (config.checkFiniteEverySteps !== undefined) validate.requireInteger('checkFiniteEverySteps', config.checkFiniteEverySteps, 0);
  if (config.validateWith !== undefined) validate.requireOneOf('validateWith', config.validateWith, ['argmax', 'sample'] as const);
}
