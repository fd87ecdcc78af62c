import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from './BatchProvider';
import type { TrainingState } from './TrainingState';

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
 * @throws Error when the loss is not finite (the variables are then already updated).
 */
export function trainStep(state: TrainingState, batch: Batch, learningRate: number): StepResult {
  const { network, optimizer, progress } = state;
  const step = progress.step;
  const labels = batch.y;
  let hits: tf.Tensor | undefined;
  const variables = optimizer.variables as tf.Variable[];
  const { value, grads } = tf.variableGrads(() => {
    const logits = network.apply(batch.x, { training: true, step });
    hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'int32')));
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]!), logits) as tf.Scalar;
  }, variables);
  try {
    optimizer.step(
      variables.map((v) => grads[v.name]),
      learningRate,
    );
    const loss = value.dataSync()[0]!;
    const correct = hits!.dataSync()[0]!;
    const n = labels.shape[0]!;
    progress.step = step + 1;
    progress.lossSum += loss * n;
    progress.correct += correct;
    progress.seen += n;
    progress.batch += 1;
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} at step ${step}; lower the learning rate`);
    return { loss, correct };
  } finally {
    tf.dispose([value, ...(hits ? [hits] : []), ...Object.values(grads)]);
  }
}
