import * as tf from '@tensorflow/tfjs-core';
import { requireInteger } from '../validate';
import { LearnedLayer, type LearnedLayerOptions } from './LearnedLayer';
import { denseInputUnits } from './shapes';

export interface DenseOptions extends LearnedLayerOptions {
  readonly inputShape: readonly number[];
  readonly units: number;
}

/** An ordinary fully connected layer with a learned weight `[in, out]`, no bias. */
export class Dense extends LearnedLayer {
  readonly type = 'dense' as const;

  constructor(options: DenseOptions) {
    const units = requireInteger('units', options.units, 1);
    const name = options.name ?? `dense_${options.layerIndex ?? 0}`;
    const inputUnits = denseInputUnits(name, options.inputShape);
    super('dense', [inputUnits, units], { ...options, name }, [inputUnits], [units]);
  }

  protected applyWeight(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
    return tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D);
  }
}
