import * as tf from '@tensorflow/tfjs-core';
import { createNetwork, registerSlotKernels, slotUpdate, slotUpdateInPlace, slotUpdateReference, SLOT_UPDATE_KERNEL, type LayerSpec, type Network, type SelectionStrategy } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createProbabilisticStrategy } from '@slot-machines/selection-probabilistic';
import { expectNoTensorLeak, testBackend } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { teacherData } from './syntheticData.test-helpers';
import { createTrainingState, disposeTrainingState } from './TrainingState';
import { trainStep } from './trainStep';
import { canFuse } from './fusedTrainStep';

const mlp: LayerSpec[] = [{ type: 'slotDense', units: 24 }, { type: 'relu' }, { type: 'dropout', rate: 0.1 }, { type: 'slotDense', units: 4 }];

/** `steps` steps from one seed on the fused or the unfused path: the final scores and argmax selections. */
function run(strategy: () => SelectionStrategy, fused: boolean, extra: { zeroOption?: boolean; k?: number } = {}, steps = 6, lr = 0.2) {
  const net = createNetwork({ inputShape: [16], layers: mlp, k: extra.k ?? 8, seed: 3, strategy: strategy(), zeroOption: extra.zeroOption ?? false });
  const data = teacherData({ n: 96, features: 16, classes: 4, batchSize: 32, seed: 1 });
  const state = createTrainingState(net, { momentum: 0.9, weightDecay: 1e-4, fused });
  expect(canFuse(state)).toBe(fused && tf.getKernel(SLOT_UPDATE_KERNEL, testBackend()) != null);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = data.batch(Math.floor(s / 3), s % 3);
    losses.push(trainStep(state, batch, lr).loss);
    tf.dispose([batch.x, batch.y]);
  }
  const scores = net.slotLayers.map((l) => Float32Array.from(l.source.scores.dataSync()));
  disposeTrainingState(state);
  data.dispose();
  net.dispose();
  return { scores, losses };
}

/** Compares two runs: scores within `rel` of their scale, argmax the same wherever the top-2 gap exceeds `gap`. */
function compare(a: Float32Array[], b: Float32Array[], k: number, rel = 1e-5, gap = 1e-5) {
  let worst = 0;
  let mismatched = 0;
  a.forEach((sa, layer) => {
    const sb = b[layer]!;
    const scale = Math.max(...Array.from(sa, Math.abs));
    for (let i = 0; i < sa.length; i++) worst = Math.max(worst, Math.abs(sa[i]! - sb[i]!) / scale);
    for (let c = 0; c < sa.length / k; c++) {
      const row = Array.from(sa.subarray(c * k, (c + 1) * k));
      const sorted = [...row].sort((x, y) => y - x);
      if (sorted[0]! - sorted[1]! <= gap * scale) continue;
      const argA = row.indexOf(sorted[0]!);
      const rowB = Array.from(sb.subarray(c * k, (c + 1) * k));
      if (rowB.indexOf(Math.max(...rowB)) !== argA) mismatched++;
    }
  });
  return { worst, mismatched };
}

describe('the fused slot training step', () => {
  it(`runs the ${SLOT_UPDATE_KERNEL} kernel where this backend has one, and matches the reference composite`, () => {
    registerSlotKernels();
    if (testBackend() !== 'tensorflow') expect(tf.getKernel(SLOT_UPDATE_KERNEL, testBackend())).not.toBeNull();
    for (const [rule, shared] of [['argmax', false], ['softmax', false], ['proportional', true]] as const) {
      const k = 5;
      const scores = tf.randomNormal([7, 3, k], 0, 1, 'float32', 1);
      const velocity = tf.randomNormal([7, 3, k], 0, 0.1, 'float32', 2);
      const options = shared ? tf.randomUniform([k], -1, 1, 'float32', 3) : tf.randomUniform([7, 3, k], -1, 1, 'float32', 3);
      const grad = tf.randomNormal([7, 3], 0, 1, 'float32', 4);
      const uniforms = rule === 'argmax' ? undefined : tf.randomUniform([7, 3], 0, 1, 'float32', 5);
      const inputs = { scores, velocity, options, grad, ...(uniforms ? { uniforms } : {}) };
      const attrs = { lr: 0.3, momentum: 0.9, weightDecay: 1e-3, rule };
      const fused = slotUpdate(inputs, attrs);
      const reference = slotUpdateReference(inputs, attrs);
      expect(fused.indices.dtype).toBe('int32');
      expect(fused.indices.shape).toEqual([7, 3]);
      expect(Array.from(fused.scores.dataSync())).toEqual(Array.from(reference.scores.dataSync()));
      expect(Array.from(fused.velocity.dataSync())).toEqual(Array.from(reference.velocity.dataSync()));
      expect(Array.from(fused.indices.dataSync()), rule).toEqual(Array.from(reference.indices.dataSync()));
      // the chosen option of every connection, W[i, index[i]]: the next forward's weight
      expect(Array.from(fused.weights.dataSync()), rule).toEqual(Array.from(reference.weights.dataSync()));
      expect(fused.weights.shape).toEqual([7, 3]);
      tf.dispose([scores, velocity, options, grad, ...(uniforms ? [uniforms] : []), ...Object.values(fused), ...Object.values(reference)]);
    }
  });

  it('writes the same update in place, and leaves a tensor that shares the buffer untouched', () => {
    registerSlotKernels();
    const make = () => ({
      scores: tf.variable(tf.randomNormal([6, 4, 3], 0, 1, 'float32', 1)),
      velocity: tf.variable(tf.randomNormal([6, 4, 3], 0, 0.1, 'float32', 2)),
    });
    const options = tf.randomUniform([6, 4, 3], -1, 1, 'float32', 3);
    const grad = tf.randomNormal([6, 4], 0, 1, 'float32', 4);
    const attrs = { lr: 0.2, momentum: 0.9, weightDecay: 1e-4, rule: 'argmax' } as const;
    const a = make();
    const copied = slotUpdate({ scores: a.scores, velocity: a.velocity, options, grad }, attrs);
    const b = make();
    const choice = slotUpdateInPlace(b.scores, b.velocity, { options, grad }, attrs);
    expect(Array.from(b.scores.dataSync())).toEqual(Array.from(copied.scores.dataSync()));
    expect(Array.from(b.velocity.dataSync())).toEqual(Array.from(copied.velocity.dataSync()));
    expect(Array.from(choice.indices.dataSync())).toEqual(Array.from(copied.indices.dataSync()));
    expect(Array.from(choice.weights.dataSync())).toEqual(Array.from(copied.weights.dataSync()));
    // a clone shares the scores' buffer: the update must not write through it
    const c = make();
    const clone = tf.clone(c.scores);
    const before = Array.from(clone.dataSync());
    const again = slotUpdateInPlace(c.scores, c.velocity, { options, grad }, attrs);
    expect(Array.from(clone.dataSync())).toEqual(before);
    expect(Array.from(c.scores.dataSync())).toEqual(Array.from(copied.scores.dataSync()));
    tf.dispose([options, grad, ...Object.values(choice), ...Object.values(again), clone, ...Object.values(copied), a.scores, a.velocity, b.scores, b.velocity, c.scores, c.velocity]);
  });

  it.each([
    ['GS K=8', () => createGreedyStrategy(), {}, 0.2],
    ['GS K=4 with the zero option', () => createGreedyStrategy(), { zeroOption: true, k: 4 }, 0.2],
    ['PS softmax K=8', () => createProbabilisticStrategy(), {}, 25],
    ['PS proportional K=8', () => createProbabilisticStrategy({ normalize: 'proportional' }), {}, 25],
  ] as const)('%s: six steps give the unfused path’s scores (1e-5 relative) and selections', (_name, strategy, extra, lr) => {
    const fused = run(strategy, true, extra, 6, lr);
    const unfused = run(strategy, false, extra, 6, lr);
    const { worst, mismatched } = compare(fused.scores, unfused.scores, (extra as { k?: number }).k ?? 8);
    expect(worst).toBeLessThan(1e-5);
    expect(mismatched).toBe(0);
    fused.losses.forEach((l, i) => expect(l).toBeCloseTo(unfused.losses[i]!, 4));
  });

  it('detects a wrong update: a run at another learning rate is far off', () => {
    const a = run(() => createGreedyStrategy(), true, {}, 3, 0.2);
    const b = run(() => createGreedyStrategy(), false, {}, 3, 0.21);
    expect(compare(a.scores, b.scores, 8).worst).toBeGreaterThan(1e-4);
  });

  it('leaks no tensor', async () => {
    await expectNoTensorLeak(() => {
      run(() => createProbabilisticStrategy(), true, {}, 3, 25);
      run(() => createGreedyStrategy(), true, { zeroOption: true, k: 4 }, 3);
    });
  });
});
