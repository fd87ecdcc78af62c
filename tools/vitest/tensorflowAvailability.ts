import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether this machine has the native backend, whether this run tests on it, and why (not). */
export interface TensorflowAvailability {
  /** `@tensorflow/tfjs-node` loads and runs on libtensorflow. */
  readonly available: boolean;
  /** The `tensorflow` project runs: available, and not turned off with `SM_TEST_TENSORFLOW=0`. */
  readonly enabled: boolean;
  /** `SM_TEST_TENSORFLOW=1`: its absence is an error, not a missing project (CI sets it). */
  readonly required: boolean;
  /** `libtensorflow 2.18.1` when available, else what is missing. */
  readonly detail: string;
}

/** The way tests load tfjs-node: from runtime-node, whose initRuntime `setTestBackend('tensorflow')` calls. */
const runtimeNodeDir = fileURLToPath(new URL('../../packages/runtime-node/', import.meta.url));
const INSTALL_HINT = 'bash packages/runtime-node/scripts/install-native.sh --project packages/runtime-node';

/**
 * Decides whether the `tensorflow` test project runs. `SM_TEST_TENSORFLOW`: `1` requires it (CI:
 * a native backend that does not load fails the run), `0` leaves it out, unset runs it when
 * `@tensorflow/tfjs-node` loads here. Loading is checked in a child process (about half a second)
 * so a crashing addon cannot take the test runner down. Availability is probed in every case:
 * tests of `initRuntime('auto')` expect what this machine has.
 */
export function tensorflowAvailability(env: NodeJS.ProcessEnv = process.env): TensorflowAvailability {
  const setting = env.SM_TEST_TENSORFLOW ?? '';
  if (!['', '0', '1'].includes(setting)) throw new Error(`SM_TEST_TENSORFLOW: expected 1 (required), 0 (off) or unset (when built), got '${setting}'`);
  const required = setting === '1';
  const probe = probeTensorflow();
  return { ...probe, enabled: probe.available && setting !== '0', required };
}

function probeTensorflow(): { available: boolean; detail: string } {
  const missing = (detail: string) => ({ available: false, detail });
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(runtimeNodeDir).resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return missing('@tensorflow/tfjs-node is not installed (npx pnpm@10.34.8 install)');
  }
  const addons = existsSync(join(packageDir, 'lib')) ? readdirSync(join(packageDir, 'lib')).filter((d) => existsSync(join(packageDir, 'lib', d, 'tfjs_binding.node'))) : [];
  if (addons.length === 0) return missing(`@tensorflow/tfjs-node's addon is not built (${INSTALL_HINT})`);

  const probe = spawnSync(
    process.execPath,
    ['-e', "const tf = require('@tensorflow/tfjs-node'); if (tf.getBackend() !== 'tensorflow') throw new Error('backend ' + tf.getBackend()); console.log(tf.backend().binding.TF_Version)"],
    { cwd: runtimeNodeDir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  if (probe.status !== 0) {
    const why = `${probe.stderr ?? ''}${probe.error?.message ?? ''}`.split('\n').find((line) => /error/i.test(line)) ?? `exit ${probe.status ?? probe.signal}`;
    return missing(`@tensorflow/tfjs-node does not load: ${why.trim()} (${INSTALL_HINT})`);
  }
  return { available: true, detail: `libtensorflow ${probe.stdout.trim()}` };
}
