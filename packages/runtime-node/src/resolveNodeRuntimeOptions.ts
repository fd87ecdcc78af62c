import type { NodeBackendPreference, NodeRuntimeOptions, ResolvedNodeRuntimeOptions } from './types';

const PREFERENCES: readonly NodeBackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** Validates user options at the edge (plain JavaScript callers too) and fills in the defaults. */
export function resolveNodeRuntimeOptions(options: NodeRuntimeOptions | undefined = {}): ResolvedNodeRuntimeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`initRuntime: options: expected an object or undefined, got ${show(options)}`);
  }
  const { backend = 'auto', threads, log = defaultLog } = options;
  if (!PREFERENCES.includes(backend)) {
    throw new TypeError(`initRuntime: backend: expected one of ${PREFERENCES.map(show).join(', ')}, got ${show(backend)}`);
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new TypeError(`initRuntime: threads: expected an integer >= 1, got ${show(threads)}`);
  }
  if (typeof log !== 'function') {
    throw new TypeError(`initRuntime: log: expected a function (line: string) => void, got ${show(log)}`);
  }
  return { backend, threads, log };
}

function defaultLog(line: string): void {
  console.error(line);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
