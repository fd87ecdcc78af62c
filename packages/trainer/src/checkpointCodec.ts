import * as tf from '@tensorflow/tfjs-core';
import type { Network } from '@slot-machines/core';
import type { BestEpoch, EpochMetrics } from './metrics';
import { CheckpointError, decodeTensorFile, encodeTensorFile } from './safetensors';
import { clearFusedIndices, type TrainingProgress, type TrainingState } from './TrainingState';

/** What a checkpoint's metadata holds besides the tensors (the `slot-machines` key, JSON). */
export interface CheckpointState {
  readonly format: 'slot-machines-checkpoint';
  readonly version: 1;
  /** The network's identity (`networkDescription`): a resume into another network is refused. */
  readonly network: unknown;
  /** The trainer's config (`TrainConfig`). */
  readonly config: unknown;
  readonly runInfo: unknown;
  readonly progress: Readonly<TrainingProgress>;
  readonly history: readonly EpochMetrics[];
  readonly best: BestEpoch | null;
}

/** A decoded checkpoint: its JSON state and tensors by group. `dispose()` frees the tensors not taken. */
export interface DecodedCheckpoint {
  readonly state: CheckpointState;
  /** Every network variable (trainable and layer state) by `namedVariables()` name. */
  readonly variables: Record<string, tf.Tensor>;
  /** Optimizer velocities by the name of their variable. */
  readonly velocities: Record<string, tf.Tensor>;
  /** The last epoch's argmax selections by slot layer. */
  readonly selections: Record<string, tf.Tensor>;
  dispose(): void;
}

/** A network's identity for checkpoints: its JSON config and plugin ids/options. */
export function networkDescription(network: Network): unknown {
  return {
    ...network.config,
    strategy: network.strategy ? { id: network.strategy.id, options: network.strategy.options ?? {} } : null,
    sharing: { id: network.sharing.id, options: network.sharing.options ?? {} },
  };
}

const GROUPS = { variables: 'variable/', velocities: 'velocity/', selections: 'selection/' } as const;

/**
 * The one checkpoint layout (safetensors): `variable/<name>` for every network variable (scores,
 * weights, batch-norm statistics), `velocity/<name>` for the optimizer, `selection/<layer>` for the
 * last epoch's selections, and the JSON state under the `slot-machines` metadata key.
 */
export function encodeCheckpoint(state: TrainingState, info: { readonly config: unknown; readonly runInfo?: unknown }): Uint8Array {
  const meta: CheckpointState = {
    format: 'slot-machines-checkpoint',
    version: 1,
    network: networkDescription(state.network),
    config: info.config,
    runInfo: info.runInfo ?? null,
    progress: { ...state.progress },
    history: state.history,
    best: state.best,
  };
  const tensors: Record<string, tf.Tensor> = {};
  for (const [n, v] of Object.entries(state.network.namedVariables())) tensors[`${GROUPS.variables}${n}`] = v;
  state.optimizer.velocities().forEach((v, i) => {
    if (v) tensors[`${GROUPS.velocities}${state.trainableNames[i]}`] = v;
  });
  for (const [n, v] of Object.entries(state.selections)) tensors[`${GROUPS.selections}${n}`] = v;
  return encodeTensorFile(tensors, { 'slot-machines': JSON.stringify(meta) });
}

/** Reads a checkpoint written by `encodeCheckpoint`; `source` names it in errors. The caller disposes the result. */
export function decodeCheckpoint(bytes: Uint8Array, source: string): DecodedCheckpoint {
  const file = decodeTensorFile(bytes, source);
  const taken = new Set<tf.Tensor>();
  const dispose = () => tf.dispose(Object.values(file.tensors).filter((t) => !taken.has(t)));
  try {
    const raw = file.metadata['slot-machines'];
    if (!raw) throw new CheckpointError(source, null, "not a slot-machines checkpoint (no 'slot-machines' metadata)");
    let state: CheckpointState;
    try {
      state = JSON.parse(raw) as CheckpointState;
    } catch (e) {
      throw new CheckpointError(source, null, `the 'slot-machines' metadata is not JSON (${(e as Error).message})`);
    }
    if (state?.format !== 'slot-machines-checkpoint' || state.version !== 1) {
      throw new CheckpointError(source, null, `checkpoint format ${state?.format} v${state?.version}; expected slot-machines-checkpoint v1`);
    }
    const group = (prefix: string) =>
      Object.fromEntries(
        Object.entries(file.tensors)
          .filter(([k]) => k.startsWith(prefix))
          .map(([k, v]) => [k.slice(prefix.length), v]),
      );
    return {
      state,
      variables: group(GROUPS.variables),
      velocities: group(GROUPS.velocities),
      selections: group(GROUPS.selections),
      dispose,
    };
  } catch (e) {
    dispose();
    throw e;
  }
}

/**
 * Puts a decoded checkpoint into `state`: network variables, velocities, progress (the step
 * counter: the random streams), history, best and selections. Refuses a checkpoint of another
 * network, naming the first difference. Takes the selections; the caller still disposes `decoded`.
 */
export function restoreTrainingState(state: TrainingState, decoded: DecodedCheckpoint, source: string): void {
  const mismatch = firstDifference(decoded.state.network, networkDescription(state.network), 'network');
  if (mismatch) throw new CheckpointError(source, null, `written for another network: ${mismatch}`);
  loadInto(state.network, decoded.variables, source);
  state.optimizer.loadVelocities(state.trainableNames.map((n) => decoded.velocities[n] ?? null));
  const p = decoded.state.progress;
  state.progress = { epoch: p.epoch, batch: p.batch, step: p.step, lossSum: p.lossSum, correct: p.correct, seen: p.seen, seconds: p.seconds };
  state.history = [...decoded.state.history];
  state.best = decoded.state.best;
  tf.dispose(Object.values(state.selections));
  state.selections = Object.fromEntries(Object.entries(decoded.selections).map(([n, t]) => [n, tf.clone(t)]));
}

/** Loads a checkpoint's network variables into `network` (eval, export, finetuning); returns its JSON state. */
export function loadCheckpointVariables(network: Network, bytes: Uint8Array, source: string): CheckpointState {
  const decoded = decodeCheckpoint(bytes, source);
  try {
    loadInto(network, decoded.variables, source);
    return decoded.state;
  } finally {
    decoded.dispose();
  }
}

/** `network.loadVariables`, with a failure (a missing or misshapen tensor) named by the checkpoint. */
function loadInto(network: Network, variables: Record<string, tf.Tensor>, source: string): void {
  try {
    network.loadVariables(variables);
  } catch (e) {
    throw new CheckpointError(source, null, `does not fit the network: ${(e as Error).message}`);
  }
}

/** The first path where two JSON values differ, e.g. `network.k: 8 in the checkpoint, 4 now`. */
function firstDifference(saved: unknown, now: unknown, path: string): string | null {
  if (typeof saved !== typeof now || Array.isArray(saved) !== Array.isArray(now) || saved === null || now === null || typeof saved !== 'object') {
    return JSON.stringify(saved) === JSON.stringify(now) ? null : `${path}: ${JSON.stringify(saved)} in the checkpoint, ${JSON.stringify(now)} now`;
  }
  const keys = new Set([...Object.keys(saved as object), ...Object.keys(now as object)]);
  for (const key of keys) {
    const d = firstDifference((saved as Record<string, unknown>)[key], (now as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return null;
}
