import type { RuntimeInfo } from './types';

/** The one line `initRuntime` logs, e.g. `slot-machines: backend wasm (SIMD, 1 thread): @tensorflow/tfjs-node is not installed`. */
export function formatRuntimeLine(info: RuntimeInfo): string {
  const threads = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  const details = {
    tensorflow: `native, ${threads}`,
    wasm: `${info.simd ? 'SIMD' : 'no SIMD'}, ${threads}`,
    cpu: `plain JavaScript, ${threads}`,
  }[info.backend];
  return `slot-machines: backend ${info.backend} (${details}): ${info.reason}`;
}
