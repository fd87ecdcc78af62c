/** A backend runtime-web can run on. */
export type WebBackendName = 'wasm' | 'cpu';

/** Which backend `initRuntime` should start: one by name, or `'auto'` for wasm with a cpu fallback. */
export type WebBackendPreference = 'auto' | WebBackendName;

/** The three binaries `@tensorflow/tfjs-backend-wasm` 4.22 loads one of, by name. */
export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

/**
 * Where the app serves the wasm binaries: a URL prefix ending in `/` that holds all three, or each
 * binary's own URL (what bundlers hand out, e.g. Vite's `?url` imports).
 */
export type WasmPaths = string | Readonly<Record<WasmBinaryName, string>>;

/** Options of `initRuntime` (browser). Every field is optional. */
export interface WebRuntimeOptions {
  /**
   * Where the `.wasm` binaries are served from; see `WasmPaths` and the README for Vite.
   * @default undefined (tfjs-backend-wasm looks next to its own script, which suits a CDN script tag but rarely a bundle)
   */
  readonly wasmPaths?: WasmPaths;
  /**
   * `true`: use WebAssembly threads when the page is cross-origin isolated (served with
   * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`), one
   * per logical core (`navigator.hardwareConcurrency`, at most 8, the threaded binary's worker pool);
   * a number: that many threads, on the same condition; `false`: one thread.
   * @default true
   */
  readonly threads?: boolean | number;
  /**
   * `'auto'` starts wasm and falls back to cpu with a `notice`; a backend asked for by name is that
   * backend or an error.
   * @default 'auto'
   */
  readonly backend?: WebBackendPreference;
}

/** What `initRuntime` started. Plain data: show it, log it, put it in reports. */
export interface RuntimeInfo {
  /** The backend now active (`tf.getBackend()`). */
  readonly backend: WebBackendName;
  /** Whether WebAssembly SIMD is in use: only ever true on the wasm backend. */
  readonly simd: boolean;
  /** Threads the backend computes on: wasm, the thread pool size it reports; cpu, 1. */
  readonly threads: number;
  /** Why this backend and thread count: `'requested'`, or what ruled out the faster options. */
  readonly reason: string;
}

/** `RuntimeInfo` plus, when training will be slow, a sentence to show the user. */
export interface WebRuntimeInfo extends RuntimeInfo {
  /**
   * Set when `'auto'` fell back to cpu, e.g. `'WebAssembly is unavailable in this browser: training
   * runs on the much slower cpu backend'`. Show it in the page; absent when all is well.
   */
  readonly notice?: string;
}

/** `WebRuntimeOptions` after validation and defaults. */
export interface ResolvedWebRuntimeOptions {
  readonly wasmPaths: WasmPaths | undefined;
  readonly threads: boolean | number;
  readonly backend: WebBackendPreference;
}
