import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '@slot-machines/core';
import type { BatchProvider } from './BatchProvider';

export interface Evaluation {
  /** Mean softmax cross-entropy. */
  readonly loss: number;
  /** Share of examples whose largest logit is the label. */
  readonly accuracy: number;
}

/** Loss and accuracy of the network in test mode (argmax selection, no dropout) over every batch. */
export function evaluate(network: Network, data: BatchProvider): Evaluation {
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  for (let i = 0; i < data.batchesPerEpoch; i++) {
    const { x, y: labels } = data.batch(0, i);
    const [loss, hits] = tf.tidy(() => {
      const logits = network.apply(x);
      const n = labels.shape[0]!;
      const l = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]!), logits);
      const c = tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'int32'));
      return [tf.mul(l, n).dataSync()[0]!, c.dataSync()[0]!];
    });
    lossSum += loss;
    correct += hits;
    seen += labels.shape[0]!;
    tf.dispose([x, labels]);
  }
  return { loss: lossSum / Math.max(seen, 1), accuracy: correct / Math.max(seen, 1) };
}
