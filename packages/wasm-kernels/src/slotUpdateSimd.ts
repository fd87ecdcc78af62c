import { getKernel, registerKernel, unregisterKernel, util, type DataId, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { SLOT_UPDATE_WASM, SLOT_UPDATE_WASM_SHARED } from './slotUpdateWasmBinary';

/** The fused slot update's tfjs kernel names: `SLOT_UPDATE_KERNEL` and `SLOT_UPDATE_IN_PLACE_KERNEL` of `@slot-machines/core`. */
export const SLOT_UPDATE_KERNEL = 'SlotMachinesSlotUpdate';
export const SLOT_UPDATE_IN_PLACE_KERNEL = 'SlotMachinesSlotUpdateInPlace';

/** What this file uses of tfjs-backend-wasm 4.22's `BackendWasm` and the Emscripten module it wraps. */
interface WasmBackend {
  readonly wasm: { readonly wasmMemory?: unknown; readonly asm?: { readonly memory?: unknown } } | null;
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  getMemoryOffset(dataId: DataId): number;
  disposeData(dataId: DataId): boolean;
}

type SlotUpdateExport = (
  scores: number,
  velocity: number,
  options: number,
  shared: number,
  grad: number,
  uniforms: number,
  scratch: number,
  lr: number,
  momentum: number,
  weightDecay: number,
  rule: number,
  outScores: number,
  outVelocity: number,
  outIndices: number,
  outWeights: number,
  n: number,
  k: number,
) => void;

const decode = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const compiled: { plain?: WebAssembly.Module; shared?: WebAssembly.Module } = {};
/** One instance per tfjs heap (a new wasm backend has a new memory). */
const instances = new WeakMap<WebAssembly.Memory, SlotUpdateExport>();
let simd: boolean | undefined;

/**
 * Whether this engine runs the SIMD module (WebAssembly SIMD: Chrome 91, Firefox 89, Safari 16.4,
 * Node 16.4 on). Where it does not, the slot kernels are not registered and core's JS loop serves.
 */
export function slotUpdateSimdSupported(): boolean {
  simd ??= typeof WebAssembly === 'object' && WebAssembly.validate(decode(SLOT_UPDATE_WASM));
  return simd;
}

/** The tfjs heap: `Module.wasmMemory` in the threaded build, `Module.asm.memory` in the others. */
function heapMemory(backend: WasmBackend): WebAssembly.Memory {
  const memory = backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error(
      `${SLOT_UPDATE_KERNEL} on wasm: expected the tfjs-backend-wasm module to expose its WebAssembly.Memory as wasmMemory or asm.memory (tfjs-backend-wasm 4.22), found neither`,
    );
  }
  return memory;
}

/** The module instantiated over `backend`'s heap (compiled once per memory kind, instantiated once per heap). */
function slotUpdateFor(backend: WasmBackend): SlotUpdateExport {
  const memory = heapMemory(backend);
  let run = instances.get(memory);
  if (run === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const kind = shared ? 'shared' : 'plain';
    // under 4 KB, so synchronous compilation is allowed on a browser's main thread too
    const module = (compiled[kind] ??= new WebAssembly.Module(decode(shared ? SLOT_UPDATE_WASM_SHARED : SLOT_UPDATE_WASM)));
    run = new WebAssembly.Instance(module, { env: { memory } }).exports.slotUpdate as SlotUpdateExport;
    instances.set(memory, run);
  }
  return run;
}

interface SlotUpdateAttrs {
  lr: number;
  momentum: number;
  weightDecay: number;
  rule: number;
}

/**
 * Checks what the module will read: it addresses tfjs's heap directly, so a wrong size would read
 * (or, for the in-place kernel, write) another tensor's memory rather than fail.
 */
function checked(inputs: Record<string, TensorInfo | undefined>, attrs: SlotUpdateAttrs, name: string) {
  const { scores, velocity, options, grad, uniforms } = inputs;
  const field = (key: string, t: TensorInfo | undefined): TensorInfo => {
    if (t === undefined) throw new Error(`${name} on wasm: ${key}: expected a tensor, got none`);
    if (t.dtype !== 'float32') throw new Error(`${name} on wasm: ${key}: expected float32, got ${t.dtype}`);
    return t;
  };
  const s = field('scores', scores);
  const k = s.shape[s.shape.length - 1] ?? 0;
  if (s.shape.length === 0 || k < 1) throw new Error(`${name} on wasm: scores: expected shape [...S, K] with K >= 1, got [${s.shape}]`);
  const size = util.sizeFromShape(s.shape);
  const n = size / k;
  const v = field('velocity', velocity);
  if (util.sizeFromShape(v.shape) !== size) throw new Error(`${name} on wasm: velocity: expected ${size} values, got [${v.shape}]`);
  const o = field('options', options);
  const optionCount = util.sizeFromShape(o.shape);
  const shared = o.shape.length === 1 && s.shape.length > 1;
  if (optionCount !== (shared ? k : size)) throw new Error(`${name} on wasm: options: expected shape [${s.shape}] or [${k}], got [${o.shape}]`);
  const g = field('grad', grad);
  if (util.sizeFromShape(g.shape) !== n) throw new Error(`${name} on wasm: grad: expected ${n} values (one per connection), got [${g.shape}]`);
  if (![0, 1, 2].includes(attrs.rule)) throw new Error(`${name} on wasm: rule: expected 0 (argmax), 1 (softmax) or 2 (proportional), got ${attrs.rule}`);
  const u = attrs.rule === 0 ? null : field('uniforms', uniforms);
  if (u !== null && util.sizeFromShape(u.shape) !== n) throw new Error(`${name} on wasm: uniforms: expected ${n} values, got [${u.shape}]`);
  return { s, v, o, g, u, k, n, shared };
}

/**
 * Runs the module: new scores and velocity into `outScores`/`outVelocity` (the inputs themselves for
 * the in-place kernel), the choices and their options into `indices`/`weights`. Outputs are made
 * before any offset is read; offsets stay valid when the heap grows (the module imports the memory
 * itself, so no view of it can go stale).
 */
function run(backend: WasmBackend, args: ReturnType<typeof checked>, attrs: SlotUpdateAttrs, outScores: TensorInfo, outVelocity: TensorInfo, indices: TensorInfo, weights: TensorInfo): void {
  const scratch = attrs.rule === 0 ? null : backend.makeOutput([args.k], 'float32');
  try {
    const at = (t: TensorInfo) => backend.getMemoryOffset(t.dataId);
    slotUpdateFor(backend)(
      at(args.s),
      at(args.v),
      at(args.o),
      args.shared ? 1 : 0,
      at(args.g),
      args.u === null ? 0 : at(args.u),
      scratch === null ? 0 : at(scratch),
      attrs.lr,
      attrs.momentum,
      attrs.weightDecay,
      attrs.rule,
      at(outScores),
      at(outVelocity),
      at(indices),
      at(weights),
      args.n,
      args.k,
    );
  } finally {
    if (scratch !== null) backend.disposeData(scratch.dataId);
  }
}

const connections = (scores: TensorInfo) => scores.shape.slice(0, -1);
const attrsOf = (attrs: NamedAttrMap | undefined) => attrs as unknown as SlotUpdateAttrs;

/**
 * `SlotMachinesSlotUpdate` on wasm: the SIMD module over the tfjs heap, new scores, velocity,
 * indices (int32) and chosen options out; the same bits as core's `slotUpdateLoop`.
 */
export const slotUpdateSimdKernel: KernelConfig = {
  kernelName: SLOT_UPDATE_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackend;
    const a = attrsOf(attrs);
    const args = checked(inputs, a, SLOT_UPDATE_KERNEL);
    const outScores = wasm.makeOutput([...args.s.shape], 'float32');
    const outVelocity = wasm.makeOutput([...args.s.shape], 'float32');
    const indices = wasm.makeOutput(connections(args.s), 'int32');
    const weights = wasm.makeOutput(connections(args.s), 'float32');
    run(wasm, args, a, outScores, outVelocity, indices, weights);
    return [outScores, outVelocity, indices, weights];
  },
};

/**
 * `SlotMachinesSlotUpdateInPlace` on wasm: the same, written into the scores' and velocity's own
 * memory (core's `slotUpdateInPlace` calls it only on buffers no other tensor shares); indices and
 * chosen options out.
 */
export const slotUpdateInPlaceSimdKernel: KernelConfig = {
  kernelName: SLOT_UPDATE_IN_PLACE_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackend;
    const a = attrsOf(attrs);
    const args = checked(inputs, a, SLOT_UPDATE_IN_PLACE_KERNEL);
    const indices = wasm.makeOutput(connections(args.s), 'int32');
    const weights = wasm.makeOutput(connections(args.s), 'float32');
    run(wasm, args, a, args.s, args.v, indices, weights);
    return [indices, weights];
  },
};

/**
 * Registers the SIMD slot kernels for wasm where the engine has WebAssembly SIMD, in place of
 * core's JS loop over the heap if that was registered first (core's `registerSlotKernels` leaves a
 * registered kernel alone, so either order ends with these). Idempotent.
 */
export function registerSlotUpdateSimd(): void {
  if (!slotUpdateSimdSupported()) return;
  for (const config of [slotUpdateSimdKernel, slotUpdateInPlaceSimdKernel]) {
    const existing = getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}
