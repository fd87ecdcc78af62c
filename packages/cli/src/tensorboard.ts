import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '@slot-machines/core';
import type { EpochMetrics } from '@slot-machines/trainer';
import { CliError } from './CliError';

/** The part of `@tensorflow/tfjs-node`'s summary writer used here. */
interface SummaryWriter {
  scalar(name: string, value: number, step: number): void;
  histogram(name: string, data: tf.Tensor, step: number, buckets?: number): void;
  flush(): void;
}

/** Writes TensorBoard event files, one point per epoch. */
export interface TensorboardLog {
  epoch(metrics: EpochMetrics, network: Network): void;
}

/**
 * Opens a TensorBoard log in `dir` with tfjs-node's summary writer (`tf.node.summaryFileWriter`),
 * which needs the native backend: on any other, a CliError that says so. tfjs-node is loaded from
 * where runtime-node found it (it is runtime-node's optional peer, not the CLI's).
 */
export function openTensorboard(dir: string, backend: string): TensorboardLog {
  if (backend !== 'tensorflow') {
    throw new CliError(`--tensorboard needs the native backend (tensorflow), this run uses ${backend}: build it with 'slot-machines native install', or drop --tensorboard`);
  }
  const require = createRequire(createRequire(import.meta.url).resolve('@slot-machines/runtime-node'));
  const tfn = require('@tensorflow/tfjs-node') as { node: { summaryFileWriter(dir: string): SummaryWriter } };
  const writer = tfn.node.summaryFileWriter(dir);
  return {
    epoch(m, network) {
      const step = m.epoch;
      const scalars: Array<[string, number | null]> = [
        ['loss/train', m.trainLoss],
        ['loss/validation', m.valLoss],
        ['loss/test', m.testLoss],
        ['accuracy/train', m.trainAccuracy],
        ['accuracy/validation', m.valAccuracy],
        ['accuracy/test', m.testAccuracy],
        ['learning_rate', m.learningRate],
        ['selection_change', m.selectionChange],
        ['sparsity', m.sparsity],
      ];
      for (const [name, value] of scalars) if (value !== null) writer.scalar(name, value, step);
      if (network.slotLayers.length > 0) {
        for (const [name, scores] of Object.entries(network.scores())) writer.histogram(`scores/${name}`, scores, step);
        const selected = network.selectedWeights();
        try {
          for (const [name, weight] of Object.entries(selected)) writer.histogram(`selected_weights/${name}`, weight, step);
        } finally {
          tf.dispose(Object.values(selected));
        }
      } else {
        for (const [name, v] of network.namedTrainableVariables()) writer.histogram(`weights/${name}`, v, step);
      }
      writer.flush();
    },
  };
}
