/** A backend runtime-node can run on. */
export type NodeBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Which backend `initRuntime` should start: one by name, or `'auto'` for the fastest that works. */
export type NodeBackendPreference = 'auto' | NodeBackendName;

/** Options of `initRuntime` (Node). Every field is optional. */
export interface NodeRuntimeOptions {
  /**
   * `'auto'` tries native TensorFlow (`@tensorflow/tfjs-node`, when installed and loadable), then
   * wasm, then cpu, and says why it skipped each. A backend asked for by name is that backend or an
   * error, never a silent substitute.
   * @default 'auto'
   */
  readonly backend?: NodeBackendPreference;
  /**
   * Threads for the wasm backend's thread pool (XNNPACK), passed to `setThreadsCount`. tfjs 4.22 runs
   * the single-threaded wasm binary in Node (its threaded binary needs browser workers), so today the
   * wasm backend reports 1 thread whatever this says; the tensorflow backend sizes its own pools and
   * the cpu backend is single-threaded, so both ignore it. Must be an integer >= 1.
   * @default undefined (tfjs-backend-wasm's default: one per logical core, where threads exist)
   */
  readonly threads?: number;
  /**
   * Receives the one line that says which backend runs and why, e.g.
   * `slot-machines: backend wasm (SIMD, 1 thread): @tensorflow/tfjs-node is not installed`.
   * Pass `() => {}` to stay silent.
   * @default (line) => console.error(line) (stderr, so stdout stays free for a program's output)
   */
  readonly log?: (line: string) => void;
}

/** What `initRuntime` started. Plain data: log it, put it in reports and benchmark results. */
export interface RuntimeInfo {
  /** The backend now active (`tf.getBackend()`). */
  readonly backend: NodeBackendName;
  /** Whether WebAssembly SIMD is in use: only ever true on the wasm backend. */
  readonly simd: boolean;
  /**
   * Threads the backend computes on: wasm, the XNNPACK pool size it reports; cpu, 1; tensorflow, the
   * logical cores libtensorflow sizes its thread pools from.
   */
  readonly threads: number;
  /** Why this backend: `'requested'`, or what ruled out the faster ones. */
  readonly reason: string;
}

/** `NodeRuntimeOptions` after validation and defaults. */
export interface ResolvedNodeRuntimeOptions {
  readonly backend: NodeBackendPreference;
  readonly threads: number | undefined;
  readonly log: (line: string) => void;
}
