import * as tf from '@tensorflow/tfjs-core';
import { requireInteger } from '../validate';
import { SlotLayer, type SlotLayerOptions } from './SlotLayer';
import { denseInputUnits } from './shapes';

export interface SlotDenseOptions extends SlotLayerOptions {
  /** Input shape without the batch dimension: `[inputUnits]`. */
  readonly inputShape: readonly number[];
  readonly units: number;
}

/** A fully connected slot layer: weight `[in, out]`, options and scores `[in, out, K]`, no bias. */
export class SlotDense extends SlotLayer {
  readonly type = 'slotDense' as const;

  constructor(options: SlotDenseOptions) {
    const units = requireInteger('units', options.units, 1);
    const name = options.name ?? `slotDense_${options.layerIndex ?? 0}`;
    const inputUnits = denseInputUnits(name, options.inputShape);
    super('dense', [inputUnits, units], { ...options, name }, [inputUnits], [units]);
  }

  protected applyWeight(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
    return tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D);
  }
}
