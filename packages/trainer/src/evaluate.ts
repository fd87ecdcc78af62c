import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '@slot-machines/core';
import type { BatchProvider } from './BatchProvider';

export interface Evaluation {
  /** Mean softmax cross-entropy. */
  readonly loss: number;
  /** Share of examples whose largest logit is the label. */
  readonly accuracy: number;
}

/**
 * Loss and accuracy of the network in test mode (no dropout) over every batch: the selected
 * (argmax) network unless the strategy asks otherwise, or with `selection: 'sampled'` one network
 * the strategy samples with the seeds of training step `step` (the same network for every batch).
 */
export function evaluate(network: Network, data: BatchProvider, options: { readonly selection?: 'selected' | 'sampled'; readonly step?: number } = {}): Evaluation {
  const forward = { ...(options.selection ? { selection: options.selection } : {}), ...(options.step === undefined ? {} : { step: options.step }) };
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  for (let i = 0; i < data.batchesPerEpoch; i++) {
    const { x, y: labels } = data.batch(0, i);
    const [loss, hits] = tf.tidy(() => {
      const logits = network.apply(x, forward);
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
