import * as tf from '@tensorflow/tfjs-core';
import { gatherOptions } from '../straightThrough';

/** The tfjs kernel name of the fused slot update (registered per backend: cpu, wasm, tensorflow). */
export const SLOT_UPDATE_KERNEL = 'SlotMachinesSlotUpdate';
/**
 * The same update written into the scores' and velocity's own buffers (cpu, wasm): one output, the
 * indices. Only run on buffers no other tensor shares (`slotUpdateInPlace` checks).
 */
export const SLOT_UPDATE_IN_PLACE_KERNEL = 'SlotMachinesSlotUpdateInPlace';

/**
 * How the fused update picks each connection's next option from its updated scores:
 * `argmax` (GS; ties to the lowest index), or inverse-CDF sampling of `softmax(s)` or of
 * `p ∝ max(s, 0)` (PS) with one uniform number per connection.
 */
export type FusedRule = 'argmax' | 'softmax' | 'proportional';
export const FUSED_RULE_CODES: Record<FusedRule, number> = { argmax: 0, softmax: 1, proportional: 2 };

/** The scalars of one fused update. */
export interface SlotUpdateAttrs {
  /** Learning rate. */
  readonly lr: number;
  /** Momentum μ; 0 with a zero velocity for the first step (PyTorch's v = g). */
  readonly momentum: number;
  /** Coupled L2 added to the gradient. */
  readonly weightDecay: number;
  readonly rule: FusedRule;
}

/** The tensors of one fused update. None is disposed. */
export interface SlotUpdateInputs {
  /** `[...S, K]`. */
  readonly scores: tf.Tensor;
  /** `[...S, K]` (zeros before the first step). */
  readonly velocity: tf.Tensor;
  /** `[...S, K]`, or `[K]` shared by every connection. */
  readonly options: tf.Tensor;
  /** dL/dW_eff, `[...S]`. */
  readonly grad: tf.Tensor;
  /** One U(0, 1) per connection, `[...S]`, for the sampling rules; omit for argmax. */
  readonly uniforms?: tf.Tensor;
}

/**
 * New scores and velocity `[...S, K]`, the next choice per connection (int32 `[...S]`) and the option
 * it chose (`[...S]`: the next forward pass's weight, so no separate gather is needed). The caller owns them.
 */
export interface SlotUpdateOutputs {
  readonly scores: tf.Tensor;
  readonly velocity: tf.Tensor;
  readonly indices: tf.Tensor;
  readonly weights: tf.Tensor;
}

/** The next choice per connection and the option it chose, as `slotUpdateInPlace` returns them. The caller owns them. */
export interface SlotChoice {
  readonly indices: tf.Tensor;
  readonly weights: tf.Tensor;
}

/**
 * One pass over a slot layer's scores: the straight-through gradient `g_k = grad · W_k`, coupled L2,
 * momentum and the SGD update, as the unfused path computes them (PyTorch order, float32 after
 * every operation):
 *
 *     g ← grad·W_k + wd·s;   v ← μ·v + g;   s ← s − lr·v
 *
 * and, in the same pass, each connection's next option from its new scores by `rule` and its
 * value (the next effective weight). Runs the
 * `SlotMachinesSlotUpdate` kernel where the active backend has one, the reference composite of
 * tfjs ops otherwise (`slotUpdateReference`).
 */
export function slotUpdate(inputs: SlotUpdateInputs, attrs: SlotUpdateAttrs): SlotUpdateOutputs {
  checkInputs(inputs, attrs);
  if (tf.getKernel(SLOT_UPDATE_KERNEL, tf.getBackend()) == null) return slotUpdateReference(inputs, attrs);
  const { scores, velocity, options, grad } = inputs;
  const uniforms = inputs.uniforms ?? tf.zeros([0]);
  try {
    const out = tf.engine().runKernel(
      SLOT_UPDATE_KERNEL,
      { scores, velocity, options, grad, uniforms } as unknown as tf.NamedTensorMap,
      { lr: attrs.lr, momentum: attrs.momentum, weightDecay: attrs.weightDecay, rule: FUSED_RULE_CODES[attrs.rule] } as unknown as tf.NamedAttrMap,
    ) as unknown as tf.Tensor[];
    return { scores: out[0]!, velocity: out[1]!, indices: out[2]!, weights: out[3]! };
  } finally {
    if (uniforms !== inputs.uniforms) uniforms.dispose();
  }
}

/**
 * `slotUpdate` into the variables themselves: `scores` and `velocity` get the new values and the
 * int32 choices `[...S]` are returned (the caller owns them). Where the backend has the in-place
 * kernel and no other tensor shares either buffer, nothing of size [connections x K] is allocated
 * (VGG-19 with K=8 then fits the 4 GB wasm heap); otherwise `slotUpdate` and two assigns.
 */
export function slotUpdateInPlace(scores: tf.Variable, velocity: tf.Variable, inputs: Omit<SlotUpdateInputs, 'scores' | 'velocity'>, attrs: SlotUpdateAttrs): SlotChoice {
  const full = { ...inputs, scores, velocity };
  checkInputs(full, attrs);
  const backend = tf.backend() as unknown as { refCount?(dataId: object): number };
  const unshared = (t: tf.Tensor) => typeof backend.refCount === 'function' && backend.refCount(t.dataId) === 1;
  if (tf.getKernel(SLOT_UPDATE_IN_PLACE_KERNEL, tf.getBackend()) != null && scores !== velocity && unshared(scores) && unshared(velocity)) {
    const uniforms = inputs.uniforms ?? tf.zeros([0]);
    try {
      const out = tf.engine().runKernel(
        SLOT_UPDATE_IN_PLACE_KERNEL,
        { scores, velocity, options: inputs.options, grad: inputs.grad, uniforms } as unknown as tf.NamedTensorMap,
        { lr: attrs.lr, momentum: attrs.momentum, weightDecay: attrs.weightDecay, rule: FUSED_RULE_CODES[attrs.rule] } as unknown as tf.NamedAttrMap,
      ) as unknown as tf.Tensor[];
      return { indices: out[0]!, weights: out[1]! };
    } finally {
      if (uniforms !== inputs.uniforms) uniforms.dispose();
    }
  }
  const out = slotUpdate(full, attrs);
  scores.assign(out.scores);
  velocity.assign(out.velocity);
  tf.dispose([out.scores, out.velocity]);
  return { indices: out.indices, weights: out.weights };
}

/** The unfused reference: the same update and choice as tfjs ops, one pass each. The caller owns the outputs. */
export function slotUpdateReference(inputs: SlotUpdateInputs, attrs: SlotUpdateAttrs): SlotUpdateOutputs {
  return tf.tidy(() => {
    const { scores, velocity, options, grad } = inputs;
    let g = tf.mul(tf.expandDims(grad, -1), options);
    if (attrs.weightDecay !== 0) g = tf.add(g, tf.mul(scores, attrs.weightDecay));
    const v = tf.add(tf.mul(velocity, attrs.momentum), g);
    const s = tf.sub(scores, tf.mul(v, attrs.lr));
    const k = s.shape[s.rank - 1]!;
    let indices: tf.Tensor;
    if (attrs.rule === 'argmax') indices = tf.argMax(s, -1);
    else {
      const p = attrs.rule === 'softmax' ? tf.softmax(s) : proportional(s);
      const cdf = tf.cumsum(p, s.rank - 1);
      const below = tf.sum(tf.cast(tf.less(cdf, tf.expandDims(inputs.uniforms!, -1)), 'int32'), -1);
      indices = tf.minimum(below, tf.scalar(k - 1, 'int32'));
    }
    return { scores: s, velocity: v, indices, weights: gatherOptions(options, indices) };
  });
}

function proportional(scores: tf.Tensor): tf.Tensor {
  const positive = tf.relu(scores);
  const total = tf.sum(positive, -1, true);
  const k = scores.shape[scores.rank - 1]!;
  return tf.where(tf.greater(tf.broadcastTo(total, positive.shape), 0), tf.div(positive, tf.maximum(total, 1e-30)), tf.fill(positive.shape, 1 / k));
}

function checkInputs(inputs: SlotUpdateInputs, attrs: SlotUpdateAttrs): void {
  const { scores, velocity, options, grad, uniforms } = inputs;
  const k = scores.shape[scores.rank - 1]!;
  const n = scores.size / k;
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (!same(velocity.shape, scores.shape)) throw new Error(`slotUpdate: velocity: expected shape [${scores.shape}], got [${velocity.shape}]`);
  if (!same(options.shape, scores.shape) && !(options.rank === 1 && options.shape[0] === k)) {
    throw new Error(`slotUpdate: options: expected shape [${scores.shape}] or [${k}], got [${options.shape}]`);
  }
  if (grad.size !== n) throw new Error(`slotUpdate: grad: expected ${n} values (one per connection), got [${grad.shape}]`);
  if (attrs.rule !== 'argmax' && (!uniforms || uniforms.size !== n)) throw new Error(`slotUpdate: uniforms: expected ${n} values for rule '${attrs.rule}'`);
}

/**
 * The fused update over flat arrays: what the cpu kernel runs on tfjs's arrays (and the wasm
 * fallback on views of the wasm heap). Every operation is rounded to float32 as the unfused tfjs ops
 * round theirs, so the result matches them bit for bit; every backend's kernel (the SIMD module of
 * `@slot-machines/wasm-kernels`, the native op) gives these bits. `options` holds `K` values when `shared`.
 */
export function slotUpdateLoop(
  scores: Float32Array,
  velocity: Float32Array,
  options: Float32Array,
  shared: boolean,
  grad: Float32Array,
  uniforms: Float32Array | null,
  lr: number,
  momentum: number,
  weightDecay: number,
  rule: number,
  outScores: Float32Array,
  outVelocity: Float32Array,
  outIndices: Int32Array,
  outWeights: Float32Array,
  k: number,
): void {
  const f = Math.fround;
  const n = grad.length;
  const lr32 = f(lr);
  const mu32 = f(momentum);
  const wd32 = f(weightDecay);
  const probabilities = rule === 0 ? null : new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const gi = grad[i]!;
    const base = i * k;
    let best = -Infinity;
    let bestK = 0;
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      const at = base + j;
      const s = scores[at]!;
      let g = f(gi * options[shared ? j : at]!);
      if (wd32 !== 0) g = f(g + f(s * wd32));
      const v = f(f(velocity[at]! * mu32) + g);
      const next = f(s - f(v * lr32));
      outVelocity[at] = v;
      outScores[at] = next;
      if (next > best) {
        best = next;
        bestK = j;
      }
      if (next > max) max = next;
    }
    if (rule === 0) {
      outIndices[i] = bestK;
      outWeights[i] = options[shared ? bestK : base + bestK]!;
      continue;
    }
    // inverse CDF over p = softmax(s) or p ∝ max(s, 0), as the unfused strategy draws it
    let total = 0;
    for (let j = 0; j < k; j++) {
      const s = outScores[base + j]!;
      const p = rule === 1 ? f(Math.exp(f(s - max))) : Math.max(s, 0);
      probabilities![j] = p;
      total += p;
    }
    const u = uniforms![i]!;
    let below = 0;
    let cdf = 0;
    const total32 = f(total);
    const uniform = rule === 2 && !(total32 > 0);
    const divisor = rule === 2 ? Math.max(total32, f(1e-30)) : total32;
    for (let j = 0; j < k; j++) {
      cdf = f(cdf + (uniform ? f(1 / k) : f(probabilities![j]! / divisor)));
      if (cdf < u) below++;
    }
    const chosen = Math.min(below, k - 1);
    outIndices[i] = chosen;
    outWeights[i] = options[shared ? chosen : base + chosen]!;
  }
}

/** The fused update for the `cpu` backend: `slotUpdateLoop` on tfjs's own arrays. */
export const slotUpdateCpuKernel: tf.KernelConfig = {
  kernelName: SLOT_UPDATE_KERNEL,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const args = { inputs, attrs } as unknown as KernelArgs;
    const { cpu, values } = cpuArrays(backend);
    const scores = args.inputs.scores!;
    const size = values(scores).length;
    const n = size / scores.shape[scores.shape.length - 1]!;
    const out = { scores: new Float32Array(size), velocity: new Float32Array(size), indices: new Int32Array(n), weights: new Float32Array(n) };
    runLoop(args, values, out);
    return [
      cpu.makeTensorInfo([...scores.shape], 'float32', out.scores),
      cpu.makeTensorInfo([...scores.shape], 'float32', out.velocity),
      cpu.makeTensorInfo(connectionsShape(scores), 'int32', out.indices),
      cpu.makeTensorInfo(connectionsShape(scores), 'float32', out.weights),
    ];
  },
};

/**
 * The fused update for the `wasm` backend where `@slot-machines/wasm-kernels`' SIMD module is not
 * registered (an engine without WebAssembly SIMD, or no runtime started the backend):
 * `slotUpdateLoop` on Float32Array views of the tfjs-backend-wasm heap, so no tensor is copied in or
 * out. `registerWasmKernels()` puts the SIMD module in its place (docs/decisions.md). Outputs are
 * allocated first: growing the heap detaches older views.
 */
export const slotUpdateWasmKernel: tf.KernelConfig = {
  kernelName: SLOT_UPDATE_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const args = { inputs, attrs } as unknown as KernelArgs;
    const wasm = backend as unknown as { makeOutput(shape: number[], dtype: string): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array };
    const scores = args.inputs.scores!;
    const outScores = wasm.makeOutput([...scores.shape], 'float32');
    const outVelocity = wasm.makeOutput([...scores.shape], 'float32');
    const outIndices = wasm.makeOutput(connectionsShape(scores), 'int32');
    const outWeights = wasm.makeOutput(connectionsShape(scores), 'float32');
    const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
    runLoop(args, view, { scores: view(outScores), velocity: view(outVelocity), indices: wasm.typedArrayFromHeap(outIndices) as Int32Array, weights: view(outWeights) });
    return [outScores, outVelocity, outIndices, outWeights];
  },
};

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>;
  attrs: { lr: number; momentum: number; weightDecay: number; rule: number };
}

/** Runs `slotUpdateLoop` with `arrays` reading a tensor's values (a view, for in-place writes). */
function runLoop(
  { inputs, attrs: a }: KernelArgs,
  arrays: (t: tf.TensorInfo) => Float32Array,
  out: { scores: Float32Array; velocity: Float32Array; indices: Int32Array; weights: Float32Array },
): void {
  const { scores, velocity, options, grad, uniforms } = inputs;
  const k = scores!.shape[scores!.shape.length - 1]!;
  slotUpdateLoop(
    arrays(scores!),
    arrays(velocity!),
    arrays(options!),
    options!.shape.length === 1 && scores!.shape.length > 1,
    arrays(grad!),
    a.rule === 0 ? null : arrays(uniforms!),
    a.lr,
    a.momentum,
    a.weightDecay,
    a.rule,
    out.scores,
    out.velocity,
    out.indices,
    out.weights,
    k,
  );
}

const connectionsShape = (scores: tf.TensorInfo) => scores.shape.slice(0, -1);

/** The cpu backend's own arrays of a tensor, and the backend to make outputs with. */
function cpuArrays(backend: unknown) {
  const cpu = backend as { data: { get(id: object): { values: unknown } }; makeTensorInfo(shape: number[], dtype: string, values: unknown): tf.TensorInfo };
  return { cpu, values: (t: tf.TensorInfo) => cpu.data.get(t.dataId).values as Float32Array };
}

/** In place on `cpu`: the loop writes into the scores' and velocity's own arrays. */
export const slotUpdateInPlaceCpuKernel: tf.KernelConfig = {
  kernelName: SLOT_UPDATE_IN_PLACE_KERNEL,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const args = { inputs, attrs } as unknown as KernelArgs;
    const { cpu, values } = cpuArrays(backend);
    const { scores, velocity } = args.inputs;
    const n = values(scores!).length / scores!.shape[scores!.shape.length - 1]!;
    const indices = new Int32Array(n);
    const weights = new Float32Array(n);
    runLoop(args, values, { scores: values(scores!), velocity: values(velocity!), indices, weights });
    return [cpu.makeTensorInfo(connectionsShape(scores!), 'int32', indices), cpu.makeTensorInfo(connectionsShape(scores!), 'float32', weights)];
  },
};

/** In place on `wasm`: the loop writes into the scores' and velocity's own heap memory. */
export const slotUpdateInPlaceWasmKernel: tf.KernelConfig = {
  kernelName: SLOT_UPDATE_IN_PLACE_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const args = { inputs, attrs } as unknown as KernelArgs;
    const wasm = backend as unknown as { makeOutput(shape: number[], dtype: string): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array };
    const { scores, velocity } = args.inputs;
    const indices = wasm.makeOutput(connectionsShape(scores!), 'int32');
    const weights = wasm.makeOutput(connectionsShape(scores!), 'float32');
    const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t) as Float32Array;
    runLoop(args, view, { scores: view(scores!), velocity: view(velocity!), indices: wasm.typedArrayFromHeap(indices) as Int32Array, weights: view(weights) });
    return [indices, weights];
  },
};

/**
 * Registers the fused slot kernels core ships: `cpu` (JS) and `wasm` (JS over the wasm heap); the
 * wasm SIMD one comes from `@slot-machines/wasm-kernels` and the native one from
 * `@slot-machines/runtime-node`. A kernel already registered is left alone. Registering for a
 * backend that is not loaded is harmless. Idempotent.
 */
export function registerSlotKernels(): void {
  for (const config of [slotUpdateCpuKernel, slotUpdateWasmKernel, slotUpdateInPlaceCpuKernel, slotUpdateInPlaceWasmKernel]) {
    if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  }
}
