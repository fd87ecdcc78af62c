import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import { INIT_SCHEMES, fans, initBounds, seededUniform, type InitScheme, type WeightLayerKind } from '../init';
import { deriveSeed } from '../seeds';
import { requireInteger, requireOneOf, requireSeed } from '../validate';
import type { ApplyContext, Layer } from './Layer';
import { checkInputShape } from './SlotLayer';

/** Options shared by the ordinary (learned-weight) `Dense` and `Conv2D` layers. */
export interface LearnedLayerOptions {
  /** Seed of the network; the initial weight derives from `(seed, layerIndex)`. */
  readonly seed: number;
  /** Position among the network's weight layers. @default 0 */
  readonly layerIndex?: number;
  /** Distribution of the initial weight (the options' distribution of spec section 2). @default 'paper' */
  readonly init?: InitScheme;
  /** Start from these weights instead (finetuning a selected network). Copied; not disposed. */
  readonly initialWeight?: tf.Tensor;
  /** Whether an optimizer may change the weight. @default true */
  readonly trainable?: boolean;
  /** @default `${type}_${layerIndex}` */
  readonly name?: string;
}

/** An ordinary layer with one weight of shape S: the learned-weights baseline and finetuning. */
export abstract class LearnedLayer implements Layer {
  abstract readonly type: 'dense' | 'conv2d';
  readonly name: string;
  readonly layerIndex: number;
  readonly weight: tf.Variable;
  readonly trainable: boolean;

  protected constructor(
    kind: WeightLayerKind,
    readonly weightShape: readonly number[],
    options: LearnedLayerOptions,
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
  ) {
    this.layerIndex = requireInteger('layerIndex', options.layerIndex ?? 0, 0);
    const seed = requireSeed('seed', options.seed);
    const init = requireOneOf('init', options.init ?? 'paper', INIT_SCHEMES);
    this.name = options.name ?? `${kind}_${this.layerIndex}`;
    this.trainable = options.trainable ?? true;
    let initial: tf.Tensor;
    if (options.initialWeight) {
      const given = options.initialWeight;
      if (given.rank !== weightShape.length || !given.shape.every((d, i) => d === weightShape[i])) {
        throw new SlotConfigError(`${this.name}.initialWeight`, `shape [${weightShape.join(', ')}]`, given.shape);
      }
      initial = tf.clone(given);
    } else {
      const { fanIn, fanOut } = fans(weightShape);
      const bound = initBounds(init, kind, fanIn, fanOut).weightBound;
      initial = seededUniform(weightShape, -bound, bound, deriveSeed(seed, 'weights', this.layerIndex));
    }
    this.weight = tf.variable(initial, this.trainable);
    initial.dispose();
  }

  protected abstract applyWeight(x: tf.Tensor, weight: tf.Tensor): tf.Tensor;

  get trainableVariables(): readonly tf.Variable[] {
    return this.trainable ? [this.weight] : [];
  }

  variables(): Record<string, tf.Variable> {
    return { weight: this.weight };
  }

  apply(x: tf.Tensor, _ctx: ApplyContext): tf.Tensor {
    checkInputShape(x, this.inputShape, this.name);
    return tf.tidy(() => this.applyWeight(x, this.weight));
  }

  dispose(): void {
    this.weight.dispose();
  }
}
