import * as tf from '@tensorflow/tfjs-core';
import { createNetwork, type LayerSpec, type SelectionStrategy, type WeightSharingPolicy } from '@slot-machines/core';
import { describe, expect, it } from 'vitest';

/** Options of `describeSelectionStrategy`. */
export interface SelectionConformanceOptions {
  /**
   * Whether `select` samples (then another `ctx.seed` must give other draws; the core derives that
   * seed from the run's seed, the layer and the step). Either way the same (scores, ctx) must give
   * the same indices.
   * @default false
   */
  readonly stochastic?: boolean;
  /** Training accuracy the teacher task must reach. @default 0.85 */
  readonly teacherAccuracy?: number;
  /** Learning rate of the scores on the teacher task (plain SGD). @default 0.5 */
  readonly learningRate?: number;
  /** Steps on the teacher task. @default 120 */
  readonly steps?: number;
}

const ctxAt = (step: number, seed = 3, layerIndex = 0) => ({ training: true, seed, layerIndex, step });

/** Counts tensors around `fn` (sync or async) and fails when any is left behind. */
export async function expectNoTensorLeak(fn: () => unknown): Promise<void> {
  const before = tf.memory().numTensors;
  const out = await fn();
  if (out instanceof tf.Tensor) out.dispose();
  else if (Array.isArray(out)) tf.dispose(out.filter((t): t is tf.Tensor => t instanceof tf.Tensor));
  expect(tf.memory().numTensors - before, 'tensors left behind').toBe(0);
}

/**
 * A seeded classification task: inputs N(0, 1) and labels from a fixed random dense teacher. The
 * caller owns (and disposes) `x` and `labels` (one-hot).
 */
export function teacherTask(options: { readonly examples?: number; readonly features?: number; readonly classes?: number; readonly seed?: number } = {}): { x: tf.Tensor2D; labels: tf.Tensor2D } {
  const { examples = 256, features = 12, classes = 3, seed = 8 } = options;
  const teacher = createNetwork({ inputShape: [features], layers: [{ type: 'dense', units: classes }], seed });
  const x = tf.randomNormal([examples, features], 0, 1, 'float32', seed + 1) as tf.Tensor2D;
  const labels = tf.tidy(() => tf.oneHot(tf.argMax(teacher.apply(x), -1), classes)) as tf.Tensor2D;
  teacher.dispose();
  return { x, labels };
}

/**
 * K and the zero option of the networks the suites build for `strategy`: what its `requires`
 * asks for, else `k` without the zero option.
 */
export function networkSettings(strategy: SelectionStrategy, k: number): { k: number; zeroOption: boolean } {
  return { k: strategy.requires?.k ?? k, zeroOption: strategy.requires?.zeroOption ?? false };
}

/**
 * Trains a two-layer slot network on `teacherTask()` with plain SGD on the scores; returns the
 * training accuracy of its evaluation network. K = 8 unless the strategy `requires` another K (or
 * the zero option); `sharing` may also draw the options.
 */
export function teacherAccuracy(build: { strategy: SelectionStrategy; sharing?: WeightSharingPolicy }, learningRate: number, steps: number): number {
  const { x, labels } = teacherTask();
  const layers: LayerSpec[] = [{ type: 'slotDense', units: 32 }, { type: 'relu' }, { type: 'slotDense', units: 3 }];
  const net = createNetwork({ inputShape: [12], layers, ...networkSettings(build.strategy, 8), seed: 5, ...build });
  const optimizer = tf.train.sgd(learningRate);
  for (let step = 0; step < steps; step++) {
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, net.apply(x, { training: true, step })) as tf.Scalar);
  }
  const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(net.apply(x), -1), tf.argMax(labels, -1)), 'float32')).dataSync()[0]!);
  tf.dispose([x, labels]);
  optimizer.dispose();
  net.dispose();
  return accuracy;
}

/**
 * The conformance suite of a selection strategy: call it at the top level of a vitest file with a
 * factory (`() => createMyStrategy(...)`). It checks the plugin contract of `@slot-machines/core`:
 * int32 indices of shape `[...S]` within `[0, K)`; the same (scores, ctx) give the same indices;
 * `select` leaks no tensor and leaves `scores` alive; the straight-through gradient reaches every
 * score of a network using it; and a small network learns a teacher task with it.
 */
export function describeSelectionStrategy(name: string, create: () => SelectionStrategy, options: SelectionConformanceOptions = {}): void {
  const { stochastic = false, teacherAccuracy: minAccuracy = 0.85, learningRate = 0.5, steps = 120 } = options;
  describe(`selection strategy conformance: ${name}`, () => {
    it('has a non-empty string id', () => {
      const strategy = create();
      expect(typeof strategy.id).toBe('string');
      expect(strategy.id.length).toBeGreaterThan(0);
    });

    it('returns int32 indices [...S] within [0, K) for dense and conv score shapes', () => {
      const strategy = create();
      for (const shape of [[7, 5, 4], [3, 3, 2, 4, 6], [1, 1, 1], [10, 2]]) {
        const scores = tf.randomNormal(shape, 0, 1, 'float32', 11);
        const indices = tf.tidy(() => strategy.select(scores, ctxAt(0)));
        expect(indices.dtype).toBe('int32');
        expect(indices.shape).toEqual(shape.slice(0, -1));
        const values = indices.dataSync();
        const k = shape[shape.length - 1]!;
        expect(Array.from(values).every((v) => Number.isInteger(v) && v >= 0 && v < k)).toBe(true);
        expect(scores.isDisposed).toBe(false);
        tf.dispose([scores, indices]);
      }
    });

    it(`is deterministic for the same scores and context${stochastic ? ' (seeded by ctx.seed and ctx.step)' : ''}`, () => {
      const strategy = create();
      const scores = tf.randomNormal([40, 30, 8], 0, 1, 'float32', 12);
      const pick = (step: number, seed: number) => tf.tidy(() => strategy.select(scores, ctxAt(step, seed))).arraySync();
      expect(pick(4, 9)).toEqual(pick(4, 9));
      // a second instance from the factory agrees too: no hidden state between calls or instances
      expect(tf.tidy(() => create().select(scores, ctxAt(4, 9))).arraySync()).toEqual(pick(4, 9));
      if (stochastic) expect(pick(4, 10), 'another ctx.seed gave the same draws').not.toEqual(pick(4, 9));
      scores.dispose();
    });

    it('leaks no tensor', async () => {
      const strategy = create();
      const scores = tf.randomUniform([6, 5, 4], 0, 1, 'float32', 13);
      await expectNoTensorLeak(() => tf.tidy(() => strategy.select(scores, ctxAt(1))));
      await expectNoTensorLeak(() => strategy.select(scores, ctxAt(2)));
      scores.dispose();
    });

    it('lets the straight-through gradient reach every score of a network (but the zero option\'s)', () => {
      const strategy = create();
      const { k, zeroOption } = networkSettings(strategy, 4);
      const net = createNetwork({
        inputShape: [6],
        layers: [{ type: 'slotDense', units: 5 }, { type: 'relu' }, { type: 'slotDense', units: 4 }],
        k,
        zeroOption,
        seed: 17,
        strategy,
      });
      const x = tf.randomNormal([16, 6], 0, 1, 'float32', 18);
      const target = tf.randomNormal([16, 4], 0, 1, 'float32', 19);
      const { grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(net.apply(x, { training: true, step: 0 }), target))) as tf.Scalar);
      const scores = net.scores();
      for (const [layer, s] of Object.entries(scores)) {
        const g = Object.values(grads).find((t) => t.shape.join() === s.shape.join());
        expect(g, `no gradient for the scores of ${layer}`).toBeDefined();
        // straight-through: every score of the layer gets the gradient of its option's weight times
        // the option value; the zero option's is g · 0 = 0, so only the other K - 1 are counted
        const counted = zeroOption ? tf.slice(g!, Array(g!.rank).fill(0), [...g!.shape.slice(0, -1), k - 1]) : g!;
        const zero = tf.tidy(() => tf.sum(tf.cast(tf.equal(counted, 0), 'int32')).dataSync()[0]!);
        if (counted !== g) counted.dispose();
        expect(zero, `${layer}: scores without gradient`).toBeLessThan(counted.size * 0.05);
      }
      tf.dispose([x, target, grads]);
      net.dispose();
    });

    it(`learns a small teacher task (training accuracy > ${minAccuracy})`, () => {
      expect(teacherAccuracy({ strategy: create() }, learningRate, steps)).toBeGreaterThan(minAccuracy);
    });
  });
}

/**
 * The conformance suite of a weight-sharing policy: one option tensor per request, float32, either
 * the request's `[...S, K]` (per connection) or `[K]` (shared), values within the layer's bound (a shared vector: the widest), the same
 * draws for the same seed, no tensor leak beyond the returned options, and a network built with it
 * still learns the teacher task with greedy selection.
 */
export function describeWeightSharingPolicy(name: string, create: () => WeightSharingPolicy): void {
  describe(`weight-sharing policy conformance: ${name}`, () => {
    const k = 6;
    // request shapes are the scores' shapes, [...S, K]
    const requests = [
      { layerIndex: 0, shape: [3, 3, 2, 4, k], bound: 0.5 },
      { layerIndex: 1, shape: [36, 10, k], bound: 0.2 },
      { layerIndex: 2, shape: [10, 3, k], bound: 0.3 },
    ];

    it('creates one float32 option tensor per request, [...S, K] or [K], within the bound', () => {
      const options = create().createOptions(requests, { k, seed: 4 });
      expect(options).toHaveLength(requests.length);
      const widest = Math.max(...requests.map((r) => r.bound));
      options.forEach((t, i) => {
        const r = requests[i]!;
        expect(t.dtype).toBe('float32');
        expect([r.shape.join(), String(k)]).toContain(t.shape.join());
        // per-connection options keep their layer's bound; a shared vector may pool the layers' bounds
        const bound = t.shape.length === 1 ? widest : r.bound;
        expect(Math.max(...Array.from(t.dataSync(), Math.abs))).toBeLessThanOrEqual(bound + 1e-6);
      });
      tf.dispose(options);
    });

    it('draws the same options for the same seed', () => {
      const a = create().createOptions(requests, { k, seed: 4 });
      const b = create().createOptions(requests, { k, seed: 4 });
      a.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(b[i]!.dataSync())));
      tf.dispose([...a, ...b]);
    });

    it('leaks no tensor beyond the options it returns', async () => {
      await expectNoTensorLeak(() => create().createOptions(requests, { k, seed: 4 }));
    });

    it('lets a slot network learn the teacher task (greedy selection)', () => {
      const greedy: SelectionStrategy = { id: 'argmax', select: (scores) => tf.argMax(scores, -1) };
      expect(teacherAccuracy({ strategy: greedy, sharing: create() }, 0.5, 120)).toBeGreaterThan(0.75);
    });
  });
}
