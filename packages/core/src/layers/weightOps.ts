import * as tf from '@tensorflow/tfjs-core';
import type { WeightLayerKind } from '../init';
import { requireInteger, requireOneOf } from '../validate';
import { kerasCommon, type PlanContext } from './LayerKind';
import { conv2dOutputShape, denseInputUnits, type Padding } from './shapes';

/** The op of a weight layer: how its spec plans shapes, how the weight is applied, how it exports. */
export interface WeightOp<Spec = unknown> {
  readonly id: WeightLayerKind;
  plan(spec: Spec, ctx: PlanContext): { outputShape: readonly number[]; weightShape: readonly number[] };
  /** `x` op `weight`; call inside `tf.tidy`. */
  apply(x: tf.Tensor, weight: tf.Tensor, spec: Spec): tf.Tensor;
  /** The Keras class and config (without weights) of a layer with this op. */
  keras(spec: Spec, name: string, outputShape: readonly number[], weightShape: readonly number[]): { className: string; config: Record<string, unknown> };
}

export interface DenseSpecFields {
  readonly units: number;
}
export interface Conv2dSpecFields {
  readonly filters: number;
  /** @default 3 */
  readonly kernelSize?: number;
  /** @default 'same' */
  readonly padding?: Padding;
}

const NO_BIAS = {
  activation: 'linear',
  use_bias: false,
  kernel_initializer: { class_name: 'Zeros', config: {} },
  bias_initializer: { class_name: 'Zeros', config: {} },
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
};

/** Fully connected, weight `[in, out]`, no bias. */
export const denseOp: WeightOp<DenseSpecFields> = {
  id: 'dense',
  plan(spec, ctx) {
    const units = requireInteger(`${ctx.field}.units`, spec.units, 1);
    const inputUnits = denseInputUnits(ctx.name, ctx.inputShape);
    return { outputShape: [units], weightShape: [inputUnits, units] };
  },
  apply: (x, weight) => tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D),
  keras: (spec, name) => ({ className: 'Dense', config: { ...kerasCommon(name), ...NO_BIAS, units: spec.units } }),
};

/** A stride-1 convolution, weight `[kh, kw, cin, cout]`, no bias. */
export const conv2dOp: WeightOp<Conv2dSpecFields> = {
  id: 'conv2d',
  plan(spec, ctx) {
    const filters = requireInteger(`${ctx.field}.filters`, spec.filters, 1);
    const kernelSize = requireInteger(`${ctx.field}.kernelSize`, spec.kernelSize ?? 3, 1);
    const padding = requireOneOf(`${ctx.field}.padding`, spec.padding ?? 'same', ['same', 'valid'] as const);
    const outputShape = conv2dOutputShape(ctx.name, ctx.inputShape, kernelSize, filters, padding);
    return { outputShape, weightShape: [kernelSize, kernelSize, ctx.inputShape[2]!, filters] };
  },
  apply: (x, weight, spec) => tf.conv2d(x as tf.Tensor4D, weight as tf.Tensor4D, 1, spec.padding ?? 'same'),
  keras: (spec, name, outputShape, weightShape) => ({
    className: 'Conv2D',
    config: {
      ...kerasCommon(name),
      ...NO_BIAS,
      filters: outputShape[2],
      kernel_size: [weightShape[0], weightShape[1]],
      strides: [1, 1],
      padding: spec.padding ?? 'same',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
    },
  }),
};
