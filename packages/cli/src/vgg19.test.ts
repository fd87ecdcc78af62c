import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { architecture, architectureRecipe, type Flavour } from '@slot-machines/architectures';
import { createNetwork, toLayersModelArtifacts, type Network } from '@slot-machines/core';
import { CIFAR10_STANDARDIZE, createBatchIterator, type ImageDataset } from '@slot-machines/datasets';
import { loadCifar10 } from '@slot-machines/datasets/node';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createMemoryCheckpointStore, decodeCheckpoint, evaluate, recipeDefaults, train, type TrainConfig } from '@slot-machines/trainer';
import { expectNoTensorLeak, testBackend } from '@slot-machines/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * VGG-19 (20M weights; GS K=8 holds 160M options and 160M scores) trains on every backend: 20 steps
 * of batch 2 over 8 CIFAR-10 images (the official files in ../shared), a killed run resumes
 * bit-identically, and the export reloads with the same accuracy.
 */
const dir = fileURLToPath(new URL('../../../../shared/datasets/cifar-10-batches-bin', import.meta.url));
const haveCifar = existsSync(dir);
let cifar: ImageDataset;
beforeAll(async () => {
  if (haveCifar) cifar = await loadCifar10(dir);
}, 120_000);

const IMAGES = Uint32Array.from({ length: 8 }, (_, i) => i);
const data = () => createBatchIterator(cifar, { batchSize: 2, indices: IMAGES, seed: 0, normalization: CIFAR10_STANDARDIZE });
const testData = () => createBatchIterator(cifar, { batchSize: 8, part: 'test', shuffle: false, indices: IMAGES, normalization: CIFAR10_STANDARDIZE });

/**
 * VGG-19 with the paper's recipe, except that the learned weights take lr 0.01 instead of 0.1:
 * with batches of 2 instead of 128, lr 0.1 diverges (measured: loss 4.4 -> 14.3 over 20 steps).
 */
function vgg(flavour: Flavour, k = 8): { network: Network; config: TrainConfig } {
  const spec = architecture('vgg-19', flavour);
  const strategy = createGreedyStrategy();
  const network = flavour === 'learned' ? createNetwork({ ...spec, seed: 0 }) : createNetwork({ ...spec, seed: 0, k, strategy });
  const recipe = { ...recipeDefaults(flavour === 'learned' ? { flavour } : { flavour: 'slot', strategy, k }), ...architectureRecipe('vgg-19', flavour) };
  const learningRate = flavour === 'learned' ? 0.01 : recipe.learningRate;
  return { network, config: { epochs: 5, learningRate, weightDecay: recipe.weightDecay, schedule: { type: 'constant' } } };
}

// The pure-JavaScript cpu backend takes 75 s per VGG-19 step of batch 2 (docs/benchmarks.md:
// vggBench.mjs --backend cpu --batch 2), so 20 steps would take 25 minutes of CI: skipped there, said
// in their names. The kill-and-resume test runs on tensorflow only, for CI time (it also passed on
// wasm, in 222 s on the loaded 2-core machine).
const onCpu = () => testBackend() === 'cpu';
const cpuNote = ' (not on the cpu backend: 75 s a step)';

describe.skipIf(!haveCifar)('VGG-19 on CIFAR-10', () => {
  it.for(['slot', 'learned'] as const)(`%s: 20 training steps lower the loss and leak no tensor${cpuNote}`, { timeout: 900_000 }, async (flavour, ctx) => {
    if (onCpu()) ctx.skip();
    await expectNoTensorLeak(async () => {
      const { network, config } = vgg(flavour);
      try {
        const result = await train({ network, data: { train: data() }, config });
        expect(result.steps).toBe(20);
        const losses = result.history.map((m) => m.trainLoss);
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(losses.at(-1)!, `train loss per epoch: ${losses.map((l) => l.toFixed(3))}`).toBeLessThan(losses[0]! * 0.9);
      } finally {
        network.dispose();
      }
    });
  });

  // K=2 here: the mechanics are K's, not its size, and K=8 would triple this test's time (160M
  // options; each checkpoint 1.4 GB)
  it('GS K=2: a run killed mid-epoch resumes to bit-identical scores, velocities and running statistics; the export reloads with the same accuracy (tensorflow only)', { timeout: 900_000 }, async (ctx) => {
    if (testBackend() !== 'tensorflow') ctx.skip();
    const K = 2;
    const build = () => vgg('slot', K);
    const config: TrainConfig = { ...build().config, epochs: 1, checkpointEverySteps: 2 };
    // built one at a time (the wasm heap holds 4 GB)
    const uninterruptedStore = createMemoryCheckpointStore();
    {
      const { network } = build();
      await train({ network, data: { train: data() }, config, checkpoints: uninterruptedStore });
      network.dispose();
    }
    const store = createMemoryCheckpointStore();
    {
      const { network } = build();
      const controller = new AbortController();
      const killed = await train({
        network,
        data: { train: data() },
        config,
        checkpoints: store,
        signal: controller.signal,
        onStep: (p) => {
          if (p.step === 3) controller.abort(); // batch 3 of 4: one step after the checkpoint at step 2
        },
      });
      expect(killed.aborted).toBe(true);
      network.dispose();
    }
    const { network } = build();
    try {
      const resumed = await train({ network, data: { train: data() }, config, checkpoints: store, resume: true });
      expect(resumed.resumedFrom).toEqual({ epoch: 0, batch: 2 });
      expect(resumed.steps).toBe(4);
      const a = decodeCheckpoint(uninterruptedStore.files.get('last')!, 'uninterrupted');
      const b = decodeCheckpoint(store.files.get('last')!, 'resumed');
      try {
        expect(Object.keys(b.variables)).toEqual(Object.keys(a.variables));
        expect(Object.keys(b.variables).filter((n) => n.endsWith('/movingVariance'))).toHaveLength(16);
        expect(Object.keys(b.velocities)).toHaveLength(17);
        const differing = (x: Record<string, tf.Tensor>, y: Record<string, tf.Tensor>) =>
          Object.keys(x).filter((n) => {
            const p = x[n]!.dataSync();
            const q = y[n]!.dataSync();
            return p.length !== q.length || p.some((v, i) => v !== q[i]);
          });
        expect(differing(a.variables, b.variables)).toEqual([]);
        expect(differing(a.velocities, b.velocities)).toEqual([]);
        expect(differing(a.selections, b.selections)).toEqual([]);
        expect(b.state.progress).toEqual({ ...a.state.progress, seconds: b.state.progress.seconds });
      } finally {
        a.dispose();
        b.dispose();
      }
      // the selected network as a plain tfjs-layers model: the same predictions and accuracy
      const artifacts = toLayersModelArtifacts(network);
      const model = await tfl.loadLayersModel(tf.io.fromMemory(JSON.parse(JSON.stringify(artifacts.modelTopology)), artifacts.weightSpecs, artifacts.weightData));
      const test = testData();
      const ours = evaluate(network, test);
      const { x, y } = test.batch(0, 0);
      const theirs = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.predict(x) as tf.Tensor, -1), y), 'int32')).dataSync()[0]! / 8);
      expect(theirs).toBe(ours.accuracy);
      const logitsOurs = tf.tidy(() => network.apply(x));
      const logitsTheirs = model.predict(x) as tf.Tensor;
      const scale = Math.max(...Array.from(logitsOurs.dataSync(), Math.abs));
      const diff = Math.max(...Array.from(logitsOurs.dataSync(), (v, i) => Math.abs(v - logitsTheirs.dataSync()[i]!)));
      expect(diff / scale, `on ${testBackend()}`).toBeLessThan(1e-3);
      tf.dispose([x, y, logitsOurs, logitsTheirs]);
      model.dispose();
    } finally {
      network.dispose();
    }
  });
});
