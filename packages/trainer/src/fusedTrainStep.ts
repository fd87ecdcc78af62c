import * as tf from '@tensorflow/tfjs-core';
import { SLOT_UPDATE_KERNEL, deriveSeed, gatherOptions, slotUpdate, slotUpdateInPlace, type SelectionContext, type SlotLayer } from '@slot-machines/core';
import type { Batch } from './BatchProvider';
import { recordStep, type StepResult } from './trainStep';
import { clearFusedIndices, type FusedChoices, type TrainingState } from './TrainingState';

/**
 * Whether `state` can take the fused path: it asks for it, the strategy declares how the kernels
 * reproduce its choice, the active backend has the `SlotMachinesSlotUpdate` kernel (cpu and wasm
 * always, tensorflow with the native op), and every trained variable is a slot layer's scores (a
 * learned or finetuned network takes the ordinary path).
 */
export function canFuse(state: TrainingState): boolean {
  const { network } = state;
  if (!state.fused || !network.strategy?.fused) return false;
  // without a kernel the fused step runs the reference composite, slower than the unfused step
  // (measured on tensorflow without the native op): take the unfused path there
  if (tf.getKernel(SLOT_UPDATE_KERNEL, tf.getBackend()) == null) return false;
  const slotScores = new Set(network.slotLayers.map((l) => `${l.name}/scores`));
  return state.trainableNames.length > 0 && state.trainableNames.every((n) => slotScores.has(n));
}

/**
 * One training step on the fused path. The forward pass gathers one option per connection from the
 * choices the previous update made (`SlotUpdate`'s third output), the backward pass stops at the
 * effective weights (dL/dW_eff, one value per connection), and one kernel per layer applies
 * `dL/ds_k = dL/dW_eff · W_k`, coupled L2, momentum and the SGD update, and picks the next step's
 * options in the same pass over the [connections x K] scores. Same results as `unfusedTrainStep`
 * within float tolerance; the batch is not disposed.
 */
export function fusedTrainStep(state: TrainingState, batch: Batch, learningRate: number): StepResult {
  const { network, optimizer, progress } = state;
  const step = progress.step;
  const labels = batch.y;
  const strategy = network.strategy!;
  const fused = strategy.fused!;
  const layers = network.slotLayers;
  const slot = (layer: SlotLayer) => optimizer.variables.indexOf(layer.source.scores);
  if (labels.rank !== 1 || labels.shape[0] !== batch.x.shape[0]) {
    throw new Error(`trainStep: labels of shape [${labels.shape}] for a batch of ${batch.x.shape[0]}; expected [${batch.x.shape[0]}]`);
  }
  const current = currentChoices(state, step);
  const weights = layers.map((l) => current.weights[l.name]!);
  const names = layers.map((l) => l.name);
  let hits: tf.Tensor | undefined;
  let value: tf.Scalar | undefined;
  let grads: tf.Tensor[] = [];
  const next: Record<string, tf.Tensor> = {};
  const nextWeights: Record<string, tf.Tensor> = {};
  try {
    ({ value, grads } = tf.valueAndGrads((...w: tf.Tensor[]) => {
      const logits = network.apply(batch.x, { training: true, step, weights: Object.fromEntries(names.map((n, i) => [n, w[i]!])) });
      hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'int32')));
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1]!), logits) as tf.Scalar;
    })(weights) as { value: tf.Scalar; grads: tf.Tensor[] });
    layers.forEach((layer, i) => {
      const at = slot(layer);
      const { scores, options } = layer.source;
      const uniforms = fused.rule === 'argmax' ? undefined : fused.uniforms(scores.shape.slice(0, -1), selectionContext(layer, step + 1));
      const inputs = { options, grad: grads[i]!, ...(uniforms ? { uniforms } : {}) };
      const attrs = { lr: learningRate, weightDecay: optimizer.weightDecay, rule: fused.rule };
      try {
        if (optimizer.momentum === 0) {
          // plain SGD keeps no velocity: a zero one, μ = 0
          const zeros = tf.zerosLike(scores);
          const out = slotUpdate({ ...inputs, scores, velocity: zeros }, { ...attrs, momentum: 0 });
          scores.assign(out.scores);
          tf.dispose([zeros, out.scores, out.velocity]);
          next[layer.name] = out.indices;
          nextWeights[layer.name] = out.weights;
        } else {
          const first = optimizer.velocityAt(at) === null;
          if (first) {
            const zeros = tf.zerosLike(scores);
            optimizer.setVelocity(at, zeros);
            zeros.dispose();
          }
          // the first step: zero velocity and μ = 0 give PyTorch's v = g; the update is written in place
          const choice = slotUpdateInPlace(scores, optimizer.velocityAt(at)!, inputs, { ...attrs, momentum: first ? 0 : optimizer.momentum });
          next[layer.name] = choice.indices;
          nextWeights[layer.name] = choice.weights;
        }
      } finally {
        if (uniforms) uniforms.dispose();
      }
    });
    clearFusedIndices(state);
    state.fusedIndices = { step: step + 1, indices: next, weights: nextWeights };
    return recordStep(progress, value, hits!, labels.shape[0]!);
  } catch (error) {
    if (state.fusedIndices?.indices !== next) tf.dispose([...Object.values(next), ...Object.values(nextWeights)]);
    throw error;
  } finally {
    tf.dispose([...grads, ...(value ? [value] : []), ...(hits ? [hits] : [])]);
  }
}

/**
 * The choices for `step` and their weights: the ones the last fused update made for it, or the
 * strategy's own `select` and a gather (the first step, after a restore).
 */
function currentChoices(state: TrainingState, step: number): FusedChoices {
  if (state.fusedIndices?.step === step) return state.fusedIndices;
  clearFusedIndices(state);
  const strategy = state.network.strategy!;
  const layers = state.network.slotLayers;
  const indices = Object.fromEntries(layers.map((layer) => [layer.name, tf.tidy(() => strategy.select(layer.source.scores, selectionContext(layer, step)))]));
  const weights = Object.fromEntries(layers.map((layer) => [layer.name, gatherOptions(layer.source.options, indices[layer.name]!)]));
  state.fusedIndices = { step, indices, weights };
  return state.fusedIndices;
}

/** What the strategy is told for `step`, exactly as `SlotWeights.weight` tells it. */
function selectionContext(layer: SlotLayer, step: number): SelectionContext {
  const { seed, layerIndex } = layer.source;
  return { training: true, seed: deriveSeed(seed, 'select', layerIndex, step), layerIndex, step };
}
