import type * as tf from '@tensorflow/tfjs-core';
import type { ApplyContext, Layer } from './Layer';
import { checkInputShape } from './WeightLayer';

/** A layer without tensors of its own (relu, flatten, pooling, dropout): a name, shapes and a forward function. */
export class StatelessLayer<Spec = unknown> implements Layer {
  readonly trainableVariables: readonly tf.Variable[] = [];
  constructor(
    readonly type: string,
    readonly name: string,
    readonly spec: Spec,
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
    private readonly forward: (x: tf.Tensor, ctx: ApplyContext) => tf.Tensor,
  ) {}
  apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    checkInputShape(x, this.inputShape, this.name);
    return this.forward(x, ctx);
  }
  variables(): Record<string, tf.Variable> {
    return {};
  }
  dispose(): void {}
}
