import * as tf from '@tensorflow/tfjs-core';

/** What a selection strategy is told on each forward pass. */
export interface SelectionContext {
  /** True while training; at test time the core uses the argmax network unless the strategy asks otherwise. */
  readonly training: boolean;
  /** A seed derived from (network seed, layer index, step): draw every random number from it. */
  readonly seed: number;
  /** Position of the layer among the network's slot layers (0-based). */
  readonly layerIndex: number;
  /** Training step (forward pass) counter of the network. */
  readonly step: number;
}

/**
 * The selection plugin contract (rho of the paper). A strategy writes only the forward pass:
 * the core adds the straight-through gradient to every score.
 */
export interface SelectionStrategy<Id extends string = string> {
  readonly id: Id;
  /**
   * scores `[...S, K]` -> int32 indices `[...S]`, one chosen option per connection.
   * Called inside `tf.tidy`; the caller owns the returned tensor. Must not keep or dispose `scores`.
   */
  select(scores: tf.Tensor, ctx: SelectionContext): tf.Tensor;
  /**
   * Which network is used when not training.
   * @default 'argmax' (spec: at test time every strategy uses the argmax network)
   */
  readonly evalSelection?: 'argmax' | 'strategy';
  /**
   * `select` draws at random (e.g. PS): a trainer then also reports the accuracy of a network the
   * strategy samples beside that of the selected network, and can validate with either.
   * @default false
   */
  readonly stochastic?: boolean;
  /** The resolved, JSON-serialisable options, so a checkpoint can rebuild the strategy through a registry. */
  readonly options?: Readonly<Record<string, unknown>>;
  /**
   * The training defaults this strategy recommends for the scores (the paper's recipe for it), so a
   * trainer picks them without knowing any strategy id. Optional: without it a trainer uses its own
   * defaults (`@slot-machines/trainer`'s `recipeDefaults`: those of greedy selection).
   */
  readonly recipe?: SelectionRecipe;
  /**
   * How the fused training kernels reproduce `select` in the same pass as the score update, so a
   * trainer can take the fused path: `argmax` (greedy), or inverse-CDF sampling of `softmax(s)` /
   * `p ∝ max(s, 0)` with the uniform numbers `uniforms(shape, ctx)` that `select` itself draws for
   * `ctx` (the same seeded stream). Omit it and trainers use the unfused path with `select`.
   */
  readonly fused?: FusedSelection;
  /**
   * The choice of the selected network: the one used at test time (unless `evalSelection` is
   * `'strategy'`), by `extract()`, exports, `selections()` and `sparsity()`. scores `[...S, K]` ->
   * int32 `[...S]`, deterministic; the caller owns the result. For a pruning rule such as
   * edge-popup's layer-wide top-k, which no per-connection argmax reproduces.
   * @default argmaxSelection (GS, PS: the argmax network of spec section 3)
   */
  selectEval?(scores: tf.Tensor): tf.Tensor;
  /**
   * A factor on the straight-through gradient, elementwise over the scores: the backward pass
   * treats the effective weight as `Σ_k φ(s)_k · W_k`, so every score gets
   * `dL/dW_eff · W_k · φ'(s_k)`; this returns φ'(scores) `[...S, K]` (the caller owns it). For
   * example supermasks sample from sigmoid(s) (φ = sigmoid), edge-popup's code ranks |s| (φ = |·|).
   * @default φ(s) = s: the factor 1 of spec section 4
   */
  straightThroughScale?(scores: tf.Tensor): tf.Tensor;
  /**
   * The initial scores `[...S, K]` this strategy's method prescribes, instead of the network's
   * `init` scheme (spec section 2). Draw every random number from `request.seed`. The caller owns
   * the result. @default U(0, scoreBound) of the network's `init` scheme
   */
  initialScores?(request: ScoreRequest): tf.Tensor;
  /**
   * The network settings the strategy only works with, checked when a slot layer is built (a
   * `SlotConfigError` names the field). Pruning strategies, for example, need K = 2 with the zero
   * option: one weight per connection and the zero that prunes it.
   */
  readonly requires?: { readonly k?: number; readonly zeroOption?: boolean };
}

/** What `SelectionStrategy.initialScores` is asked for: one slot layer's scores. */
export interface ScoreRequest {
  /** `[...S, K]`. */
  readonly shape: readonly number[];
  /** Dense or conv2d. */
  readonly op: 'dense' | 'conv2d';
  /** cin·kh·kw (dense: inputs). */
  readonly fanIn: number;
  /** cout·kh·kw (dense: units). */
  readonly fanOut: number;
  /** Derived from (network seed, 'scores', layer index): the only source of randomness. */
  readonly seed: number;
  /** Position among the network's weight layers. */
  readonly layerIndex: number;
}

/** See `SelectionStrategy.fused`. */
export type FusedSelection =
  | { readonly rule: 'argmax' }
  | {
      readonly rule: 'softmax' | 'proportional';
      /** One U(0, 1) per connection, `[...S]`, exactly as `select(scores, ctx)` draws them. The caller owns it. */
      uniforms(shape: readonly number[], ctx: SelectionContext): tf.Tensor;
    };

/**
 * A selection strategy's recommended training defaults for the scores. The rest of the recipe
 * (momentum, batch size, schedule) is the trainer's. For example greedy selection (GS): learning
 * rate 0.2 if K <= 8 else 0.1, weight decay 1e-4; probabilistic selection (PS): 25 and 0.
 */
export interface SelectionRecipe {
  /** The base learning rate of the scores for a network with `k` options per connection. */
  learningRate(ctx: { readonly k: number }): number;
  /** The coupled L2 weight decay on the scores (0: none). */
  readonly weightDecay: number;
}

/**
 * Greedy choice: index of the largest score per connection, ties to the lowest index.
 * The caller owns the returned int32 tensor.
 */
export function argmaxSelection(scores: tf.Tensor): tf.Tensor {
  return tf.argMax(scores, -1);
}
