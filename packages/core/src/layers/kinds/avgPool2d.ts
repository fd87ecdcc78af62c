import * as tf from '@tensorflow/tfjs-core';
import { poolKind, type PoolSpec } from './pooling';

/** Average pooling over `poolSize x poolSize` windows with stride `poolSize`, 'valid' padding (VGG-19's last pooling). */
export type AvgPool2dSpec = PoolSpec<'avgPool2d'>;

export const avgPool2dKind = poolKind('avgPool2d', (x, p) => tf.avgPool(x, p, p, 'valid'), 'AveragePooling2D');
