import * as tf from '@tensorflow/tfjs-core';
import { registerSlotKernels, type Network } from '@slot-machines/core';
import type { BestEpoch, EpochMetrics } from './metrics';
import { SGD, type SGDOptions } from './SGD';

/** Where a run is: what a checkpoint stores besides the tensors. */
export interface TrainingProgress {
  /** Epochs finished (0-based index of the current epoch). */
  epoch: number;
  /** Batches of the current epoch finished. */
  batch: number;
  /**
   * Training steps taken: the random-stream state. Every draw of a training pass (sampling,
   * dropout) derives its seed from (network seed, layer, step), and batches from (epoch, batch), so
   * restoring these three restores every random stream exactly.
   */
  step: number;
  /** The current epoch's running sums (loss times examples, correct, examples) and seconds so far. */
  lossSum: number;
  correct: number;
  seen: number;
  seconds: number;
}

/**
 * Everything a training run changes: the network's variables (scores or weights, and layer state
 * such as batch-norm running statistics), the optimizer's velocities, the progress counters, the
 * history and the previous epoch's selections. One object, so that a step, the epoch loop and the
 * checkpoint codec share it and nothing else holds training state. `disposeTrainingState` frees
 * what it owns (not the network).
 */
export interface TrainingState {
  readonly network: Network;
  /** Keyed by `trainableNames`' order. */
  readonly optimizer: SGD;
  /** `namedVariables()` names of the optimizer's variables, in its order. */
  readonly trainableNames: readonly string[];
  progress: TrainingProgress;
  history: EpochMetrics[];
  best: BestEpoch | null;
  /**
   * Use the fused slot kernels where the network allows (every trained variable is a slot layer's
   * scores and the strategy declares `fused`): see `fusedTrainStep`. Results match the unfused
   * path within float tolerance.
   */
  readonly fused: boolean;
  /**
   * The fused path's choices for the next step per slot layer (int32 indices and the chosen options,
   * the next forward's weights) and that step. Owned; derived state, not checkpointed.
   */
  fusedIndices: FusedChoices | null;
  /** The argmax selections at the end of the last epoch (int32 per slot layer), for the selection-change metric. Owned. */
  selections: Record<string, tf.Tensor>;
}

/** See `TrainingState.fusedIndices`. */
export interface FusedChoices {
  readonly step: number;
  readonly indices: Record<string, tf.Tensor>;
  readonly weights: Record<string, tf.Tensor>;
}

export function freshProgress(epoch = 0, step = 0): TrainingProgress {
  return { epoch, batch: 0, step, lossSum: 0, correct: 0, seen: 0, seconds: 0 };
}

/** A new state at step 0 for `network` (which stays the caller's). */
export function createTrainingState(network: Network, optimizer: SGDOptions & { readonly fused?: boolean } = {}): TrainingState {
  // the fused path's cpu kernel ships with core; wasm's and the native one come with the runtimes
  registerSlotKernels();
  const trainable = network.namedTrainableVariables();
  return {
    network,
    optimizer: new SGD(
      trainable.map(([, v]) => v),
      optimizer,
    ),
    trainableNames: trainable.map(([name]) => name),
    fused: optimizer.fused ?? true,
    fusedIndices: null,
    progress: freshProgress(),
    history: [],
    best: null,
    selections: network.selections(),
  };
}

/** Frees the optimizer's velocities and the kept selections (the network is the caller's). */
export function disposeTrainingState(state: TrainingState): void {
  state.optimizer.dispose();
  clearFusedIndices(state);
  tf.dispose(Object.values(state.selections));
  state.selections = {};
}

/** Drops the fused path's cached choices (after the scores were set from outside, e.g. a restore). */
export function clearFusedIndices(state: TrainingState): void {
  if (state.fusedIndices) tf.dispose([...Object.values(state.fusedIndices.indices), ...Object.values(state.fusedIndices.weights)]);
  state.fusedIndices = null;
}
