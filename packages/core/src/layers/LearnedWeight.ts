import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import { INIT_SCHEMES, fans, initBounds, seededUniform, type InitScheme, type WeightLayerKind } from '../init';
import { deriveSeed } from '../seeds';
import { requireInteger, requireOneOf, requireSeed } from '../validate';
import type { WeightProvider } from './WeightLayer';

/** What an ordinary weight is made from. */
export interface LearnedWeightOptions {
  readonly name: string;
  readonly op: WeightLayerKind;
  readonly weightShape: readonly number[];
  /** Seed of the network; the initial weight derives from `(seed, layerIndex)`. */
  readonly seed: number;
  /** Position among the network's weight layers. */
  readonly layerIndex: number;
  /** Distribution of the initial weight (the options' distribution of spec section 2). @default 'paper' */
  readonly init?: InitScheme;
  /** Start from this weight instead (finetuning a selected network). Copied; not disposed. */
  readonly initialWeight?: tf.Tensor;
  /** Whether an optimizer may change the weight. @default true */
  readonly trainable?: boolean;
}

/** The weight source of an ordinary layer: one weight of shape S (the learned baseline, finetuning). Owns it. */
export class LearnedWeight implements WeightProvider {
  readonly source = 'learned' as const;
  readonly variable: tf.Variable;
  readonly trainable: boolean;
  readonly weightShape: readonly number[];

  constructor(options: LearnedWeightOptions) {
    const layerIndex = requireInteger('layerIndex', options.layerIndex, 0);
    const seed = requireSeed('seed', options.seed);
    const init = requireOneOf('init', options.init ?? 'paper', INIT_SCHEMES);
    this.trainable = options.trainable ?? true;
    this.weightShape = options.weightShape;
    let initial: tf.Tensor;
    if (options.initialWeight) {
      const given = options.initialWeight;
      const shape = this.weightShape;
      if (given.rank !== shape.length || !given.shape.every((d, i) => d === shape[i])) {
        throw new SlotConfigError(`${options.name}.initialWeight`, `shape [${shape.join(', ')}]`, given.shape);
      }
      initial = tf.clone(given);
    } else {
      const { fanIn, fanOut } = fans(this.weightShape);
      const bound = initBounds(init, options.op, fanIn, fanOut).weightBound;
      initial = seededUniform(this.weightShape, -bound, bound, deriveSeed(seed, 'weights', layerIndex));
    }
    this.variable = tf.variable(initial, this.trainable);
    initial.dispose();
  }

  get trainableVariables(): readonly tf.Variable[] {
    return this.trainable ? [this.variable] : [];
  }

  variables(): Record<string, tf.Variable> {
    return { weight: this.variable };
  }

  weight(): tf.Tensor {
    return this.variable;
  }

  selectedWeight(): tf.Tensor {
    return tf.clone(this.variable);
  }

  dispose(): void {
    this.variable.dispose();
  }
}
