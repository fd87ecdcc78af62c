import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bin } from './faults.test-helpers';

const hide = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-fixtures', 'withoutTfjsNode.cjs');

// The default user path: no --backend, and @tensorflow/tfjs-node absent. CI has the native backend
// built, so the child process hides it (withoutTfjsNode.cjs) instead of the test being skipped there.
describe('the CLI where @tensorflow/tfjs-node cannot load', () => {
  it('falls back to wasm by itself, says why on stderr, and trains', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'sm-fallback-')), 'run');
    const run = (extra: string[]) =>
      spawnSync(process.execPath, ['--require', hide, bin, 'train', '--k', '2', '--epochs', '1', '--train-subset', '640', ...extra], { encoding: 'utf8' });
    const r = run(['--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/slot-machines: backend wasm \(SIMD[^)]*\): @tensorflow\/tfjs-node is not installed/);
    expect(r.stdout).toMatch(/test accuracy: \d+\.\d\d% \(wasm backend/);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    // and asking for the native backend by name says how to get it, exit code 1
    const native = run(['--out', `${out}-native`, '--backend', 'tensorflow']);
    expect(native.status).not.toBe(0);
    expect(native.stderr).toMatch(/backend 'tensorflow' was requested but @tensorflow\/tfjs-node is not installed/);
  });
});
