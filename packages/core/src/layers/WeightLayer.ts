import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import type { ApplyContext, Layer } from './Layer';
import type { LearnedWeight } from './LearnedWeight';
import type { SlotWeights } from './SlotWeights';
import type { WeightOp } from './weightOps';

/** Where a weight layer's weight comes from on each forward pass (slot options + scores, or one learned weight). */
export interface WeightProvider {
  readonly source: 'slot' | 'learned';
  readonly weightShape: readonly number[];
  /** The weight of this pass (with its gradient path). Call inside `tf.tidy`. */
  weight(ctx: ApplyContext): tf.Tensor;
  /** The weight the exported / extracted network uses, as a plain tensor the caller owns. */
  selectedWeight(): tf.Tensor;
  readonly trainableVariables: readonly tf.Variable[];
  variables(): Record<string, tf.Variable>;
  dispose(): void;
}

/**
 * Every weight layer: one implementation parameterised by the op (`dense`, `conv2d`) and the
 * weight source (`SlotWeights`: K options chosen by scores; `LearnedWeight`: an ordinary weight).
 */
export class WeightLayer<Source extends WeightProvider = WeightProvider, Spec = unknown> implements Layer {
  constructor(
    readonly type: string,
    readonly name: string,
    readonly op: WeightOp<Spec>,
    readonly spec: Spec,
    readonly source: Source,
    /** Position among the network's weight layers. */
    readonly layerIndex: number,
    readonly inputShape: readonly number[],
    readonly outputShape: readonly number[],
  ) {}

  /** Shape S of the ordinary weight. */
  get weightShape(): readonly number[] {
    return this.source.weightShape;
  }

  get trainableVariables(): readonly tf.Variable[] {
    return this.source.trainableVariables;
  }

  variables(): Record<string, tf.Variable> {
    return this.source.variables();
  }

  apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor {
    checkInputShape(x, this.inputShape, this.name);
    const given = ctx.weights?.[this.name];
    return tf.tidy(() => this.op.apply(x, given ?? this.source.weight(ctx), this.spec));
  }

  /** The weight this layer exports as (the argmax choice for slot layers). The caller owns it. */
  selectedWeight(): tf.Tensor {
    return this.source.selectedWeight();
  }

  dispose(): void {
    this.source.dispose();
  }
}

/** A weight layer whose weight a slot machine selects. */
export type SlotLayer = WeightLayer<SlotWeights>;
/** A weight layer with an ordinary weight. */
export type LearnedLayer = WeightLayer<LearnedWeight>;

/** Whether `layer` is a slot layer (its source holds options and scores). */
export function isSlotLayer(layer: Layer): layer is SlotLayer {
  return layer instanceof WeightLayer && layer.source.source === 'slot';
}

/** Throws a `SlotConfigError` unless `x` is `[batch, ...expected]`. */
export function checkInputShape(x: tf.Tensor, expected: readonly number[], name: string): void {
  const ok = x.rank === expected.length + 1 && expected.every((d, i) => x.shape[i + 1] === d);
  if (!ok) {
    throw new SlotConfigError(`input of ${name}`, `shape [batch, ${expected.join(', ')}]`, x.shape);
  }
}
