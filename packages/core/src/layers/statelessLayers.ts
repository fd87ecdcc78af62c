import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import { deriveSeed } from '../seeds';
import { requireInteger, requireNumberIn } from '../validate';
import type { ApplyContext, Layer } from './Layer';

/** Base of layers without trainable tensors. */
abstract class StatelessLayer implements Layer {
  abstract readonly type: string;
  readonly trainableVariables: readonly tf.Variable[] = [];
  constructor(
    readonly name: string,
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
  ) {}
  abstract apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor;
  variables(): Record<string, tf.Variable> {
    return {};
  }
  dispose(): void {}
}

/** max(x, 0). */
export class Relu extends StatelessLayer {
  readonly type = 'relu' as const;
  constructor(name: string, inputShape: readonly number[]) {
    super(name, inputShape, inputShape);
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}

/** `[batch, ...]` -> `[batch, product]`. */
export class Flatten extends StatelessLayer {
  readonly type = 'flatten' as const;
  constructor(name: string, inputShape: readonly number[]) {
    super(name, inputShape, [inputShape.reduce((a, b) => a * b, 1)]);
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, [x.shape[0]!, this.outputShape[0]!]);
  }
}

/** Max pooling over `poolSize x poolSize` windows with stride `poolSize`, 'valid' padding. */
export class MaxPool2D extends StatelessLayer {
  readonly type = 'maxPool2d' as const;
  constructor(
    name: string,
    inputShape: readonly number[],
    readonly poolSize: number = 2,
  ) {
    requireInteger('poolSize', poolSize, 1);
    if (inputShape.length !== 3) {
      throw new SlotConfigError(`input of ${name}`, 'shape [height, width, channels]', inputShape);
    }
    const [h, w, c] = inputShape as [number, number, number];
    super(name, inputShape, [Math.floor(h / poolSize), Math.floor(w / poolSize), c]);
  }
  apply(x: tf.Tensor): tf.Tensor {
    return tf.maxPool(x as tf.Tensor4D, this.poolSize, this.poolSize, 'valid');
  }
}

/** Inverted dropout while training, seeded from `(seed, position, step)`; identity otherwise. */
export class Dropout extends StatelessLayer {
  readonly type = 'dropout' as const;
  constructor(
    name: string,
    inputShape: readonly number[],
    readonly rate: number,
    private readonly seed: number,
    private readonly position: number,
  ) {
    requireNumberIn('rate', rate, 0, 0.999);
    super(name, inputShape, inputShape);
  }
  apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    if (!ctx.training || this.rate === 0) return tf.clone(x);
    return tf.dropout(x, this.rate, undefined, deriveSeed(this.seed, 'dropout', this.position, ctx.step));
  }
}
