import * as tf from '@tensorflow/tfjs-core';
import { requireInteger, requireOneOf } from '../validate';
import { LearnedLayer, type LearnedLayerOptions } from './LearnedLayer';
import { conv2dOutputShape, type Padding } from './shapes';

export interface Conv2DOptions extends LearnedLayerOptions {
  readonly inputShape: readonly number[];
  readonly filters: number;
  /** @default 3 */
  readonly kernelSize?: number;
  /** @default 'same' */
  readonly padding?: Padding;
}

/** An ordinary stride-1 convolution with a learned weight `[kh, kw, cin, cout]`, no bias. */
export class Conv2D extends LearnedLayer {
  readonly type = 'conv2d' as const;
  readonly padding: Padding;

  constructor(options: Conv2DOptions) {
    const filters = requireInteger('filters', options.filters, 1);
    const kernelSize = requireInteger('kernelSize', options.kernelSize ?? 3, 1);
    const padding = requireOneOf('padding', options.padding ?? 'same', ['same', 'valid'] as const);
    const name = options.name ?? `conv2d_${options.layerIndex ?? 0}`;
    const outputShape = conv2dOutputShape(name, options.inputShape, kernelSize, filters, padding);
    super('conv2d', [kernelSize, kernelSize, options.inputShape[2]!, filters], { ...options, name }, options.inputShape, outputShape);
    this.padding = padding;
  }

  protected applyWeight(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
    return tf.conv2d(x as tf.Tensor4D, weight as tf.Tensor4D, 1, this.padding);
  }
}
