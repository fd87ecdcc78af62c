import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from './BatchProvider';
import { TrainingDivergedError } from './finiteness';
import { canFuse, fusedTrainStep } from './fusedTrainStep';
import type { TrainingProgress, TrainingState } from './TrainingState';

/** What one step measured on its batch. */
export interface StepResult {
  /** Mean softmax cross-entropy of the batch. */
  readonly loss: number;
  /** Examples whose largest logit was the label. */
  readonly correct: number;
}

/**
 * One SGD step on one batch: a training pass at the state's step (its seeds), the gradient of the
 * mean cross-entropy for every trainable variable, the optimizer's update, and the step counter
 * and the epoch's running sums advanced. The batch is not disposed.
 * @throws TrainingDivergedError when the loss is not finite (the variables are then already updated).
 */
export function trainStep(state: TrainingState, batch: Batch, learningRate: number): StepResult {
  return canFuse(state) ? fusedTrainStep(state, batch, learningRate) : unfusedTrainStep(state, batch, learningRate);
}

/** The reference path: tfjs gradients of every trainable variable (scores get `dy · W_k` from the core's custom gradient), then the optimizer's update. */
export function unfusedTrainStep(state: TrainingState, batch: Batch, learningRate: number): StepResult {
  const { network, optimizer, progress } = state;
  const step = progress.step;
  const labels = batch.y;
  let hits: tf.Tensor | undefined;
  const variables = optimizer.variables as tf.Variable[];
  if (labels.rank !== 1 || labels.shape[0] !== batch.x.shape[0]) {
    throw new Error(`trainStep: labels of shape [${labels.shape}] for a batch of ${batch.x.shape[0]}; expected [${batch.x.shape[0]}]`);
  }
  const { value, grads } = tf.variableGrads(() => {
    try {
      const logits = network.apply(batch.x, { training: true, step });
      hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'int32')));
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]!), logits) as tf.Scalar;
    } catch (error) {
      // the tape keeps the tensors each op saved for its gradient and frees them only in the
      // backward pass, which a throw skips: free them here (tfjs-core 4.x's engine state)
      const tape = (tf.engine().state as unknown as { activeTape?: Array<{ saved?: tf.Tensor[] }> }).activeTape ?? [];
      tf.dispose([...tape.flatMap((node) => node.saved ?? []), ...(hits ? [hits] : [])]);
      hits = undefined;
      throw error;
    }
  }, variables);
  try {
    optimizer.step(
      variables.map((v) => grads[v.name]),
      learningRate,
    );
    return recordStep(progress, value, hits!, labels.shape[0]!);
  } finally {
    tf.dispose([value, ...(hits ? [hits] : []), ...Object.values(grads)]);
  }
}

/**
 * Reads a step's loss and correct count, advances the step counter and the epoch's running sums,
 * and stops a diverged run (the variables are then already updated). Disposes nothing.
 */
export function recordStep(progress: TrainingProgress, loss: tf.Scalar, hits: tf.Tensor, examples: number): StepResult {
  const value = loss.dataSync()[0]!;
  const correct = hits.dataSync()[0]!;
  progress.step += 1;
  progress.lossSum += value * examples;
  progress.correct += correct;
  progress.seen += examples;
  progress.batch += 1;
  if (!Number.isFinite(value)) throw new TrainingDivergedError(progress.epoch, progress.step, ['loss'], null, null);
  return { loss: value, correct };
}
