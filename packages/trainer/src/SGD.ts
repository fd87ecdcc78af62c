import * as tf from '@tensorflow/tfjs-core';

export interface SGDOptions {
  /** @default 0.9 */
  readonly momentum?: number;
  /** Coupled L2: `weightDecay · p` is added to the gradient before momentum (PyTorch's SGD). @default 0 */
  readonly weightDecay?: number;
}

/**
 * SGD with momentum and coupled L2, as PyTorch's `torch.optim.SGD` (dampening 0, no Nesterov):
 * g ← g + wd·p;  v ← μ·v + g (v = g on the first step);  p ← p − lr·v.
 * Keyed by an ordered list of variables (as PyTorch's parameter list), not by tfjs's variable
 * names: velocity `i` belongs to variable `i`, so a checkpoint can name them as it likes.
 * Owns its velocity tensors: call `dispose()`.
 */
export class SGD {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly variables: readonly tf.Variable[];
  private readonly velocity: Array<tf.Variable | null>;

  constructor(variables: readonly tf.Variable[], options: SGDOptions = {}) {
    this.variables = [...variables];
    this.momentum = options.momentum ?? 0.9;
    this.weightDecay = options.weightDecay ?? 0;
    this.velocity = this.variables.map(() => null);
  }

  /** One update with learning rate `lr`; `grads[i]` is the gradient of `variables[i]` (null: no update). Not disposed. */
  step(grads: ReadonlyArray<tf.Tensor | null | undefined>, lr: number): void {
    if (grads.length !== this.variables.length) {
      throw new Error(`SGD.step: expected ${this.variables.length} gradients, one per variable, got ${grads.length}`);
    }
    tf.tidy(() => {
      grads.forEach((grad, i) => {
        if (!grad) return;
        const p = this.variables[i]!;
        const g = this.weightDecay === 0 ? grad : tf.add(grad, tf.mul(p, this.weightDecay));
        if (this.momentum === 0) {
          p.assign(tf.sub(p, tf.mul(g, lr)));
          return;
        }
        let v = this.velocity[i];
        if (!v) {
          v = tf.variable(g, false);
          this.velocity[i] = v;
        } else {
          v.assign(tf.add(tf.mul(v, this.momentum), g));
        }
        p.assign(tf.sub(p, tf.mul(v, lr)));
      });
    });
  }

  /** The velocity of each variable in order, null before its first step (the optimizer's own tensors: do not dispose). */
  velocities(): ReadonlyArray<tf.Variable | null> {
    return [...this.velocity];
  }

  /** The velocity of variable `i`, null before its first step (the optimizer's own tensor: do not dispose). */
  velocityAt(i: number): tf.Variable | null {
    return this.velocity[i] ?? null;
  }

  /** Sets the velocity of variable `i` to `value` (copied; `value` stays the caller's). Used by fused kernels. */
  setVelocity(i: number, value: tf.Tensor): void {
    const v = this.velocity[i];
    if (v) v.assign(value);
    else this.velocity[i] = tf.variable(value, false);
  }

  /** Restores velocities in variable order (values copied; null leaves none). */
  loadVelocities(values: ReadonlyArray<tf.Tensor | null | undefined>): void {
    values.forEach((value, i) => {
      if (i >= this.variables.length) throw new Error(`SGD.loadVelocities: ${values.length} velocities for ${this.variables.length} variables`);
      const v = this.velocity[i];
      if (!value) {
        v?.dispose();
        this.velocity[i] = null;
      } else if (v) v.assign(value);
      else this.velocity[i] = tf.variable(value, false);
    });
  }

  dispose(): void {
    for (const v of this.velocity) v?.dispose();
    this.velocity.fill(null);
  }
}
