import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../../errors';
import { requireNumberIn } from '../../validate';
import type { ApplyContext, Layer } from '../Layer';
import { kerasCommon, type BaseLayerSpec, type LayerKind } from '../LayerKind';
import { checkInputShape } from '../WeightLayer';

/**
 * Batch normalisation over the last (channel) axis with its affine part frozen (scale 1, shift 0:
 * nothing learned), as the paper's VGG-19: batch statistics while training, running statistics
 * at evaluation. The running statistics follow PyTorch's `BatchNorm2d`: `r ← (1 − m)·r + m·batch`,
 * the running variance from the unbiased batch variance.
 */
export interface BatchNormSpec extends BaseLayerSpec<'batchNorm'> {
  /** Weight of the current batch in the running statistics (PyTorch's `momentum`). @default 0.1 */
  readonly momentum?: number;
  /** Added to the variance before the square root. @default 1e-5 */
  readonly epsilon?: number;
}

/** A frozen-affine batch norm layer; owns its running statistics (non-trainable variables). */
export class BatchNormLayer implements Layer {
  readonly type = 'batchNorm';
  readonly trainableVariables: readonly tf.Variable[] = [];
  /** Running mean per channel, `[channels]`: checkpointed and exported, never trained. */
  readonly movingMean: tf.Variable;
  /** Running (unbiased) variance per channel, `[channels]`. */
  readonly movingVariance: tf.Variable;
  readonly momentum: number;
  readonly epsilon: number;

  constructor(
    readonly name: string,
    readonly spec: BatchNormSpec,
    readonly inputShape: readonly number[],
    initial: Readonly<Record<string, tf.Tensor>>,
  ) {
    this.momentum = spec.momentum ?? 0.1;
    this.epsilon = spec.epsilon ?? 1e-5;
    const channels = inputShape[inputShape.length - 1]!;
    const start = (short: string, fill: number) => {
      const given = initial[short];
      if (given && !(given.rank === 1 && given.shape[0] === channels)) {
        throw new SlotConfigError(`${name}.${short}`, `a tensor of shape [${channels}]`, given.shape);
      }
      return tf.tidy(() => tf.variable(given ? tf.clone(given) : tf.fill([channels], fill), false));
    };
    this.movingMean = start('movingMean', 0);
    this.movingVariance = start('movingVariance', 1);
  }

  get outputShape(): readonly number[] {
    return this.inputShape;
  }

  variables(): Record<string, tf.Variable> {
    return { movingMean: this.movingMean, movingVariance: this.movingVariance };
  }

  apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    checkInputShape(x, this.inputShape, this.name);
    return tf.tidy(() => {
      if (!ctx.training) return tf.mul(tf.sub(x, this.movingMean), tf.rsqrt(tf.add(this.movingVariance, this.epsilon)));
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const { mean, variance } = tf.moments(x, axes);
      const n = x.size / x.shape[x.rank - 1]!;
      const m = this.momentum;
      const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, 1 - m), tf.mul(mean, m)));
      this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, 1 - m), tf.mul(unbiased, m)));
      return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    });
  }

  dispose(): void {
    this.movingMean.dispose();
    this.movingVariance.dispose();
  }
}

export const batchNormKind: LayerKind<BatchNormSpec> = {
  type: 'batchNorm',
  plan(spec, ctx) {
    if (spec.momentum !== undefined) requireNumberIn(`${ctx.field}.momentum`, spec.momentum, 0, 1);
    if (spec.epsilon !== undefined) requireNumberIn(`${ctx.field}.epsilon`, spec.epsilon, 0, 1, true);
    return { outputShape: ctx.inputShape };
  },
  create: (spec, ctx) => new BatchNormLayer(ctx.name, spec, ctx.inputShape, ctx.initial),
  toKeras(layer) {
    const bn = layer as BatchNormLayer;
    return {
      className: 'BatchNormalization',
      config: {
        ...kerasCommon(bn.name),
        axis: -1,
        // Keras' momentum weighs the old value
        momentum: 1 - bn.momentum,
        epsilon: bn.epsilon,
        center: false,
        scale: false,
        beta_initializer: { class_name: 'Zeros', config: {} },
        gamma_initializer: { class_name: 'Ones', config: {} },
        moving_mean_initializer: { class_name: 'Zeros', config: {} },
        moving_variance_initializer: { class_name: 'Ones', config: {} },
        beta_regularizer: null,
        gamma_regularizer: null,
        beta_constraint: null,
        gamma_constraint: null,
      },
      weights: [
        { name: `${bn.name}/moving_mean`, tensor: tf.clone(bn.movingMean) },
        { name: `${bn.name}/moving_variance`, tensor: tf.clone(bn.movingVariance) },
      ],
    };
  },
  counts: (_spec, plan) => ({ weights: 0, options: 0, scores: 0, stateFloats: 2 * plan.outputShape[plan.outputShape.length - 1]! }),
};
