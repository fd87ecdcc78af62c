import * as tf from '@tensorflow/tfjs-core';
import type { TrainingState } from './TrainingState';

/**
 * Thrown when training produced a value that is not a finite number: a loss, a score, a weight or
 * a velocity that is NaN or ±Infinity (a learning rate far too large, typically). The trainer checks
 * before every checkpoint it writes, so the checkpoints on disk are the last finite state.
 */
export class TrainingDivergedError extends Error {
  override readonly name = 'TrainingDivergedError';
  constructor(
    /** 0-based epoch in which it was found. */
    readonly epoch: number,
    /** Training steps taken when it was found. */
    readonly step: number,
    /** What is not finite: `loss`, or tensor names such as `variable/dense_1/scores`. */
    readonly tensors: readonly string[],
    /** Where the last finite state is (a checkpoint's location), or null when none was saved. */
    readonly lastFinite: string | null,
    /** Step of that state. */
    readonly lastFiniteStep: number | null,
  ) {
    const what = tensors.length > 3 ? `${tensors.slice(0, 3).join(', ')} and ${tensors.length - 3} more` : tensors.join(', ');
    super(
      `training diverged in epoch ${epoch + 1} by step ${step}: ${what} ${tensors.length === 1 ? 'is' : 'are'} not finite (NaN or Infinity); ` +
        (lastFinite ? `the last finite state (step ${lastFiniteStep}) is kept in ${lastFinite}` : 'no checkpoint had been saved yet') +
        '; lower the learning rate',
    );
  }
}

/**
 * Names of the state's tensors (network variables, optimizer velocities) holding a NaN or an
 * Infinity; empty when all are finite. Cheap on every backend: `sum(x * 0)` is 0 for finite `x`
 * and NaN otherwise, so one scalar over all tensors is read back; only when it is not finite are
 * the tensors looked at one by one.
 */
export function nonFiniteTensors(state: TrainingState): string[] {
  const named: Array<[string, tf.Tensor]> = [
    ...Object.entries(state.network.namedVariables()).map(([n, v]) => [`variable/${n}`, v] as [string, tf.Tensor]),
    ...state.optimizer
      .velocities()
      .flatMap((v, i) => (v ? [[`velocity/${state.trainableNames[i]}`, v] as [string, tf.Tensor]] : [])),
  ].filter(([, t]) => t.dtype === 'float32');
  if (named.length === 0) return [];
  const probe = (ts: readonly tf.Tensor[]) => tf.tidy(() => tf.addN(ts.map((t) => tf.sum(tf.mul(t, 0)))).dataSync()[0]!);
  if (Number.isFinite(probe(named.map(([, t]) => t)))) return [];
  return named.filter(([, t]) => !Number.isFinite(probe([t]))).map(([n]) => n);
}
