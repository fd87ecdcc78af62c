import type * as tf from '@tensorflow/tfjs-core';

/** What every layer is told on a forward pass. */
export interface ApplyContext {
  /** Training mode: strategies sample, dropout drops. */
  readonly training: boolean;
  /** The network's step counter; every random draw of a forward pass derives its seed from it. */
  readonly step: number;
  /**
   * When not training, which network a slot layer uses: `'selected'` (the argmax network, or the
   * strategy's `selectEval`) or `'sampled'` (the strategy's `select`, seeded by `step`). Absent:
   * the strategy's `evalSelection` decides. Ignored while training (the strategy always chooses).
   */
  readonly selection?: 'selected' | 'sampled';
  /**
   * Weights to use instead of the layers' own, by layer name (the fused training path feeds the
   * selected weights it keeps, and differentiates with respect to them). A weight layer not named
   * here uses its own.
   */
  readonly weights?: Readonly<Record<string, tf.Tensor>>;
}

/** One layer of a sequential network. Shapes exclude the batch dimension. */
export interface Layer {
  readonly name: string;
  readonly type: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Forward pass. Call inside `tf.tidy`; the caller owns the returned tensor. `x` is not disposed. */
  apply(x: tf.Tensor, ctx: ApplyContext): tf.Tensor;
  /** The tensors an optimizer may change (scores of slot layers, weights of learned layers). */
  readonly trainableVariables: readonly tf.Variable[];
  /** Every variable the layer owns by a short name (`scores`, `weight`), trainable or not. Do not dispose. */
  variables(): Record<string, tf.Variable>;
  /** Frees every tensor the layer owns. */
  dispose(): void;
}
