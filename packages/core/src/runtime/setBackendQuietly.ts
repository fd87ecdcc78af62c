import * as tf from '@tensorflow/tfjs-core';

/** The outcome of `setBackendQuietly`: on failure, `why` is tfjs's own explanation in one line. */
export type SetBackendResult = { readonly ok: true } | { readonly ok: false; readonly why: string };

/**
 * `tf.setBackend(name)`, except that when the backend fails to start, the several warnings tfjs
 * prints about it are held back and returned as one short reason, so the caller can say it once.
 * On success anything tfjs warned about is passed on to `console.warn` unchanged.
 */
export async function setBackendQuietly(name: string): Promise<SetBackendResult> {
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } finally {
    console.warn = warn;
  }
  if (ok && tf.getBackend() === name) {
    for (const warning of warnings) warn(warning);
    return { ok: true };
  }
  return { ok: false, why: firstCause(warnings) ?? `tf.setBackend('${name}') returned false` };
}

/**
 * The root cause among tfjs's warnings: the first one that is not tfjs's "Initialization of backend
 * x failed", as one line without `Error: ` and Emscripten's `Aborted(...)` wrappers, e.g.
 * `ENOENT: no such file or directory, open '.../tfjs-backend-wasm-simd.wasm'`.
 */
function firstCause(warnings: readonly string[]): string | undefined {
  const cause = warnings.find((w) => !/^Initialization of backend \S+ failed$/.test(w.trim()));
  if (cause === undefined) return undefined;
  const line = oneLine(cause).replace(/^Error: /, '');
  return (/^Aborted\((.*)\)$/.exec(line)?.[1] ?? line).replace(/^Error: /, '');
}

/** The first non-empty line of an error's (or any rejection's) message, for one-line reasons. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'object' && error && 'message' in error ? String(error.message) : String(error);
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}
