import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as WasmBackend from '@tensorflow/tfjs-backend-wasm';

/** The part of `@tensorflow/tfjs-backend-wasm` the runtime uses. */
export type WasmBackendModule = Pick<typeof WasmBackend, 'setWasmPaths' | 'setThreadsCount' | 'getThreadsCount'>;

/**
 * Everything `initRuntime` reaches outside tfjs-core: package lookups and backend imports. Tests
 * replace parts of it to play a broken native install or a wasm backend that will not start.
 */
export interface RuntimeHost {
  /** The installed `@tensorflow/tfjs-node` version, or `undefined` when it is not installed. */
  tensorflowVersion(): string | undefined;
  /** Imports `@tensorflow/tfjs-node`, which registers the `tensorflow` backend; rejects if it cannot load. */
  importTensorflow(): Promise<unknown>;
  /** How to build tfjs-node's native part offline: the command running this package's install-native.sh. */
  installNativeCommand(): string;
  /** Imports `@tensorflow/tfjs-backend-wasm`, which registers the `wasm` backend. */
  importWasm(): Promise<WasmBackendModule>;
  /** The folder holding tfjs-backend-wasm's `.wasm` binaries, ending in `/`. */
  wasmDirectory(): string;
  /** Imports `@tensorflow/tfjs-backend-cpu`, which registers the `cpu` backend. */
  importCpu(): Promise<unknown>;
  /** Logical cores of this machine. */
  cores(): number;
}

export const TFJS_NODE = '@tensorflow/tfjs-node';

const require = createRequire(import.meta.url);

/** A path relative to the current folder when it lies inside it, else absolute. */
function shown(path: string): string {
  const near = relative(process.cwd(), path) || '.';
  return near.startsWith('..') ? path : near;
}

/** The `@tensorflow/tfjs-node` Node finds from `dir` through node_modules folders (not NODE_PATH, as install-native.sh), or `undefined`. */
function tfjsNodeFrom(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const found = join(at, 'node_modules', TFJS_NODE, 'package.json');
    if (existsSync(found)) return realpathSync(found);
    if (dirname(at) === at) return undefined;
  }
}

/** The real host: packages resolved from runtime-node's own location, as Node would. */
export const nodeRuntimeHost: RuntimeHost = {
  tensorflowVersion() {
    try {
      return (require(`${TFJS_NODE}/package.json`) as { version: string }).version;
    } catch {
      return undefined;
    }
  },
  importTensorflow() {
    // libtensorflow logs every CPU feature it was not compiled for; keep our one line the only one
    // unless the user asked for TensorFlow's own logging.
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    // A name in a variable: an optional peer, never bundled or resolved at build time.
    const name: string = TFJS_NODE;
    // Under a bundler or vitest, tfjs-node's CommonJS tfjs-core meets an ES module copy of it; both
    // register the same node platform in the one shared environment and the second says so.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!/^Platform node has already been set/.test(String(args[0]))) warn(...args);
    };
    return import(/* @vite-ignore */ name).finally(() => {
      console.warn = warn;
    });
  },
  installNativeCommand() {
    // scripts/ sits beside dist/ (published) and src/ (the repository)
    const script = fileURLToPath(new URL('../scripts/install-native.sh', import.meta.url));
    const packageDir = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
    // install-native.sh builds the tfjs-node found from its --project (default: the current folder);
    // name this package's folder when that finds another one or none (a workspace, as in this repository)
    const project = tfjsNodeFrom(process.cwd()) === tfjsNodeFrom(packageDir) ? '' : ` --project ${shown(packageDir)}`;
    return `bash ${shown(script)}${project}`;
  },
  importWasm: () => import('@tensorflow/tfjs-backend-wasm'),
  wasmDirectory: () => `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`,
  importCpu: () => import('@tensorflow/tfjs-backend-cpu'),
  cores: () => availableParallelism(),
};
