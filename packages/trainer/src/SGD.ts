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
 * Velocities are named after the variables, so they can be checkpointed and restored.
 * Owns its velocity tensors: call `dispose()`.
 */
export class SGD {
  readonly momentum: number;
  readonly weightDecay: number;
  private readonly velocity = new Map<string, tf.Variable>();

  constructor(options: SGDOptions = {}) {
    this.momentum = options.momentum ?? 0.9;
    this.weightDecay = options.weightDecay ?? 0;
  }

  /** One update of every variable in `grads` (by name) with learning rate `lr`. `grads` is not disposed. */
  step(variables: Readonly<Record<string, tf.Variable>>, grads: Readonly<Record<string, tf.Tensor>>, lr: number): void {
    tf.tidy(() => {
      for (const [name, grad] of Object.entries(grads)) {
        const p = variables[name];
        if (!p) throw new Error(`SGD: no variable named '${name}'`);
        const g = this.weightDecay === 0 ? grad : tf.add(grad, tf.mul(p, this.weightDecay));
        let v = this.velocity.get(name);
        if (this.momentum === 0) {
          p.assign(tf.sub(p, tf.mul(g, lr)));
          continue;
        }
        if (!v) {
          v = tf.variable(g, false);
          this.velocity.set(name, v);
        } else {
          v.assign(tf.add(tf.mul(v, this.momentum), g));
        }
        p.assign(tf.sub(p, tf.mul(v, lr)));
      }
    });
  }

  /** The velocities by variable name (the optimizer's own tensors: do not dispose). */
  state(): Record<string, tf.Variable> {
    return Object.fromEntries(this.velocity);
  }

  /** Restores velocities (values copied). */
  loadState(state: Readonly<Record<string, tf.Tensor>>): void {
    for (const [name, value] of Object.entries(state)) {
      const v = this.velocity.get(name);
      if (v) v.assign(value);
      else this.velocity.set(name, tf.variable(value, false));
    }
  }

  dispose(): void {
    for (const v of this.velocity.values()) v.dispose();
    this.velocity.clear();
  }
}
