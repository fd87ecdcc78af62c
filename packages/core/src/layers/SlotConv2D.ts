import * as tf from '@tensorflow/tfjs-core';
import { requireInteger, requireOneOf } from '../validate';
import { SlotLayer, type SlotLayerOptions } from './SlotLayer';
import { conv2dOutputShape, type Padding } from './shapes';

export interface SlotConv2DOptions extends SlotLayerOptions {
  /** Input shape without the batch dimension: `[height, width, channels]` (NHWC). */
  readonly inputShape: readonly number[];
  readonly filters: number;
  /** @default 3 */
  readonly kernelSize?: number;
  /** @default 'same' */
  readonly padding?: Padding;
}

/**
 * A stride-1 convolutional slot layer: weight `[kh, kw, cin, cout]`, options and scores
 * `[kh, kw, cin, cout, K]`, no bias.
 */
export class SlotConv2D extends SlotLayer {
  readonly type = 'slotConv2d' as const;
  readonly padding: Padding;

  constructor(options: SlotConv2DOptions) {
    const filters = requireInteger('filters', options.filters, 1);
    const kernelSize = requireInteger('kernelSize', options.kernelSize ?? 3, 1);
    const padding = requireOneOf('padding', options.padding ?? 'same', ['same', 'valid'] as const);
    const name = options.name ?? `slotConv2d_${options.layerIndex ?? 0}`;
    const outputShape = conv2dOutputShape(name, options.inputShape, kernelSize, filters, padding);
    const channels = options.inputShape[2]!;
    super('conv2d', [kernelSize, kernelSize, channels, filters], { ...options, name }, options.inputShape, outputShape);
    this.padding = padding;
  }

  protected applyWeight(x: tf.Tensor, weight: tf.Tensor): tf.Tensor {
    return tf.conv2d(x as tf.Tensor4D, weight as tf.Tensor4D, 1, this.padding);
  }
}
