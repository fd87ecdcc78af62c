import type { ResolvedWebRuntimeOptions, WebBackendPreference, WebRuntimeOptions } from './types';
import { WASM_BINARY_NAMES } from './wasmBinaryNames';

const PREFERENCES: readonly WebBackendPreference[] = ['auto', 'wasm', 'cpu'];

/** Validates user options at the edge (plain JavaScript callers too) and fills in the defaults. */
export function resolveWebRuntimeOptions(options: WebRuntimeOptions | undefined = {}): ResolvedWebRuntimeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`initRuntime: options: expected an object or undefined, got ${show(options)}`);
  }
  const { wasmPaths, threads = true, backend = 'auto' } = options;
  if (!PREFERENCES.includes(backend)) {
    throw new TypeError(`initRuntime: backend: expected one of ${PREFERENCES.map(show).join(', ')}, got ${show(backend)}`);
  }
  if (typeof threads !== 'boolean' && !(Number.isInteger(threads) && threads >= 1)) {
    throw new TypeError(`initRuntime: threads: expected true, false or an integer >= 1, got ${show(threads)}`);
  }
  if (typeof wasmPaths === 'string') {
    if (!wasmPaths.endsWith('/')) {
      throw new TypeError(`initRuntime: wasmPaths: expected a URL prefix ending in '/' (the binaries' names are appended), got ${show(wasmPaths)}`);
    }
  } else if (wasmPaths !== undefined) {
    const names = typeof wasmPaths === 'object' && wasmPaths !== null ? Object.keys(wasmPaths) : [];
    const missing = WASM_BINARY_NAMES.filter((name) => typeof (wasmPaths as Record<string, unknown>)[name] !== 'string');
    const unknown = names.filter((name) => !(WASM_BINARY_NAMES as readonly string[]).includes(name));
    if (names.length === 0 || missing.length > 0 || unknown.length > 0) {
      throw new TypeError(
        `initRuntime: wasmPaths: expected a URL prefix ending in '/' or a URL for each of ${WASM_BINARY_NAMES.map(show).join(', ')}` +
          (missing.length > 0 ? `; missing ${missing.map(show).join(', ')}` : '') +
          (unknown.length > 0 ? `; unknown ${unknown.map(show).join(', ')}` : ''),
      );
    }
  }
  return { wasmPaths, threads, backend };
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
