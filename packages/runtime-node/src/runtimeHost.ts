import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeHost } from '@slot-machines/core/runtime';
import { registerWasmKernels } from '@slot-machines/wasm-kernels';

export type { WasmBackendModule } from '@slot-machines/core/runtime';

/**
 * Node's side of the shared start-up (`RuntimeHost` of `@slot-machines/core/runtime`): package
 * lookups, backend imports and tfjs-core's gradients, plus what only Node has, native TensorFlow.
 * Tests replace parts of it to play a broken native install or a wasm backend that will not start.
 */
export interface NodeRuntimeHost extends RuntimeHost {
  /** The installed `@tensorflow/tfjs-node` version, or `undefined` when it is not installed. */
  tensorflowVersion(): string | undefined;
  /** Imports `@tensorflow/tfjs-node`, which registers the `tensorflow` backend; rejects if it cannot load. */
  importTensorflow(): Promise<unknown>;
  /** How to build tfjs-node's native part offline: the command running this package's install-native.sh. */
  installNativeCommand(): string;
  /** The folder holding tfjs-backend-wasm's `.wasm` binaries, ending in `/`. */
  wasmDirectory(): string;
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

/**
 * Imports a tfjs package without tfjs's notice that the node platform is set twice. Under a bundler
 * or vitest, the packages' CommonJS bundles load tfjs-core's CommonJS copy beside the ES modules
 * of the app; both register the same node platform in the one shared environment and the second
 * says so. Plain Node loads one copy and never prints it.
 */
function withoutPlatformNotice<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!/^Platform node has already been set/.test(String(args[0]))) warn(...args);
  };
  return load().finally(() => {
    console.warn = warn;
  });
}

/** The real host: packages resolved from runtime-node's own location, as Node would. */
export const nodeRuntimeHost: NodeRuntimeHost = {
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
    return withoutPlatformNotice(() => import(/* @vite-ignore */ name));
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
  importWasm: () => withoutPlatformNotice(() => import('@tensorflow/tfjs-backend-wasm')),
  wasmDirectory: () => `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`,
  importCpu: () => withoutPlatformNotice(() => import('@tensorflow/tfjs-backend-cpu')),
  registerWasmKernels,
  cores: () => availableParallelism(),
  // tfjs-core's gradients exist only as ES modules inside a CommonJS package, which plain Node
  // cannot import: this package's build bundles the module into a chunk of its dist (tsup.config.ts).
  // Under vitest and bundlers the same import resolves to tfjs-core's own ES modules.
  importGradients: () => import('@tensorflow/tfjs-core/dist/register_all_gradients.js'),
  // Only runtime-node's source, run by plain Node (e.g. tsx), fails the import: its build bundles the module.
  gradientsImportAdvice: 'plain Node cannot import them from @tensorflow/tfjs-core; use the built @slot-machines/runtime-node (its dist bundles them), not its source',
  singleCoreAdvice: 'more than one tfjs-core is installed; install exactly one version (npm ls @tensorflow/tfjs-core)',
};
