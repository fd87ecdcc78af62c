import * as tf from '@tensorflow/tfjs-core';
import { poolKind, type PoolSpec } from './pooling';

/** Max pooling over `poolSize x poolSize` windows with stride `poolSize`, 'valid' padding. */
export type MaxPool2dSpec = PoolSpec<'maxPool2d'>;

export const maxPool2dKind = poolKind('maxPool2d', (x, p) => tf.maxPool(x, p, p, 'valid'), 'MaxPooling2D');
