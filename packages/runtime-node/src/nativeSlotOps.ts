import * as tf from '@tensorflow/tfjs-core';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The tfjs kernel (and TensorFlow op) name of the fused slot update; `SLOT_UPDATE_KERNEL` of `@slot-machines/core`. */
export const NATIVE_SLOT_UPDATE = 'SlotMachinesSlotUpdate';

/** Whether the native fused slot op is loaded and registered as the `tensorflow` backend's kernel, and why not. */
export type NativeSlotOpsStatus = { readonly loaded: true; readonly library: string } | { readonly loaded: false; readonly why: string };

/** Where install-native.sh (build-native-ops.sh) puts the op and its loader, inside tfjs-node's folder. */
export const NATIVE_SLOT_OPS_DIR = join('deps', 'slot-machines-ops');

const require = createRequire(import.meta.url);
let status: NativeSlotOpsStatus | undefined;

/**
 * Loads the TensorFlow custom op `SlotMachinesSlotUpdate` (built by install-native.sh into
 * tfjs-node's `deps/slot-machines-ops/`) into the process's libtensorflow and registers it as the
 * tfjs kernel `SlotMachinesSlotUpdate` for backend `tensorflow`, so that core's `slotUpdate()` runs
 * it. Call once `@tensorflow/tfjs-node` is loaded. Never throws: without the op, `slotUpdate()`
 * keeps running its reference composite of tfjs ops, and the status says why. Idempotent.
 * `SLOT_MACHINES_NATIVE_OPS=0` in the environment leaves the op out.
 *
 * `tfjsNodeDir` defaults to the tfjs-node whose addon this process loaded (so the op goes into the
 * libtensorflow that runs), else the one resolved from this package.
 */
export function registerNativeSlotOps(tfjsNodeDir?: string): NativeSlotOpsStatus {
  if (status?.loaded) return status;
  if (tf.getKernel(NATIVE_SLOT_UPDATE, 'tensorflow') != null) return (status = { loaded: true, library: 'registered elsewhere' });
  // the escape hatch (and how the benchmark measures the reference composite on tensorflow)
  if (process.env.SLOT_MACHINES_NATIVE_OPS === '0') return (status = { loaded: false, why: 'SLOT_MACHINES_NATIVE_OPS=0' });
  status = load(tfjsNodeDir ?? loadedTfjsNodeDir());
  return status;
}

/**
 * `initRuntime`'s call once the `tensorflow` backend runs: registers the native fused op and, when it
 * does not load, says so in one line (training still works, on tfjs ops). Does nothing for a
 * `tensorflow` backend that is not tfjs-node's (tests play one).
 */
export function registerNativeSlotOpsFor(log: (line: string) => void): void {
  const binding = (tf.findBackend('tensorflow') as { binding?: { TF_Version?: unknown } } | null)?.binding;
  if (typeof binding?.TF_Version !== 'string') return;
  const result = registerNativeSlotOps();
  if (!result.loaded) log(`slot-machines: the fused slot op is not loaded, slotUpdate() runs tfjs ops on tensorflow (slower): ${result.why}`);
}

/** What the last `registerNativeSlotOps()` found (undefined before the first call). */
export function nativeSlotOpsStatus(): NativeSlotOpsStatus | undefined {
  return status;
}

function load(dir: string | undefined): NativeSlotOpsStatus {
  if (dir === undefined) return { loaded: false, why: '@tensorflow/tfjs-node is not loaded' };
  const opsDir = join(dir, NATIVE_SLOT_OPS_DIR);
  const library = join(opsDir, 'slot_ops.so');
  const loader = join(opsDir, 'slot_ops_loader.node');
  if (!existsSync(library) || !existsSync(loader)) return { loaded: false, why: `not built (no ${library}): run slot-machines native install` };
  try {
    (require(loader) as { loadLibrary(path: string): number }).loadLibrary(library);
  } catch (error) {
    return { loaded: false, why: `${library} does not load: ${firstLine(error)}` };
  }
  tf.registerKernel(nativeSlotUpdateKernel);
  return { loaded: true, library };
}

/** The tfjs-node package folder of the `tfjs_binding.node` this process loaded, else the one this package resolves. */
function loadedTfjsNodeDir(): string | undefined {
  const addon = Object.keys(require.cache).find((path) => /[\\/]@tensorflow[\\/]tfjs-node[\\/]lib[\\/][^\\/]+[\\/]tfjs_binding\.node$/.test(path));
  if (addon !== undefined) return dirname(dirname(dirname(addon)));
  try {
    return realpathSync(dirname(require.resolve('@tensorflow/tfjs-node/package.json')));
  } catch {
    return undefined;
  }
}

/** The part of tfjs-node's NodeJSKernelBackend the kernel uses. */
interface NodeBackend {
  readonly binding: { readonly TF_ATTR_FLOAT: number; readonly TF_ATTR_INT: number };
  executeMultipleOutputs(name: string, attrs: { name: string; type: number; value: number }[], inputs: tf.TensorInfo[], numOutputs: number): tf.TensorInfo[];
}

/** `SlotMachinesSlotUpdate` for backend `tensorflow`: the custom op, run through tfjs-node's eager op execution. */
export const nativeSlotUpdateKernel: tf.KernelConfig = {
  kernelName: NATIVE_SLOT_UPDATE,
  backendName: 'tensorflow',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { scores, velocity, options, grad, uniforms } = inputs as unknown as Record<string, tf.TensorInfo>;
    const a = attrs as unknown as { lr: number; momentum: number; weightDecay: number; rule: number };
    const node = backend as unknown as NodeBackend;
    const { TF_ATTR_FLOAT, TF_ATTR_INT } = node.binding;
    return node.executeMultipleOutputs(
      NATIVE_SLOT_UPDATE,
      [
        { name: 'lr', type: TF_ATTR_FLOAT, value: a.lr },
        { name: 'momentum', type: TF_ATTR_FLOAT, value: a.momentum },
        { name: 'weight_decay', type: TF_ATTR_FLOAT, value: a.weightDecay },
        { name: 'rule', type: TF_ATTR_INT, value: a.rule },
      ],
      [scores!, velocity!, options!, grad!, uniforms!],
      4,
    );
  },
};

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
