import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorflowAvailable } from '@slot-machines/test-utils';

/**
 * What users get: runtime-node built by its own tsup config, imported by plain `node` (no vitest, no
 * bundler, so tfjs-core is its CommonJS bundle without gradients). Builds into a temporary folder
 * inside the package (so Node resolves the package's dependencies), then trains in a child process
 * per backend with scripts/gradient-smoke.mjs. Run once, in the wasm project: it starts its own
 * processes, whatever the project's backend.
 */
const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const smokeScript = join(packageDir, 'scripts', 'gradient-smoke.mjs');
const wasmKernelsDir = join(packageDir, '..', 'wasm-kernels');
/** Whether @tensorflow/tfjs-node (runtime-node's devDependency here) loads: 'auto' then picks it. */
const native = tensorflowAvailable();

/** Runs the package's tsup build (its tsup.config.ts, overridden here) in `cwd`. */
async function tsupBuild(cwd: string, overrides: Record<string, unknown>): Promise<void> {
  const code = `const { build } = await import('tsup'); await build(${JSON.stringify(overrides)});`;
  await run(process.execPath, ['--input-type=module', '--eval', code], { cwd });
}

describe.runIf(process.env.SM_TEST_BACKEND === 'wasm')('built dist in plain node', () => {
  let outDir: string;

  beforeAll(async () => {
    // runtime-node imports @slot-machines/wasm-kernels, which plain Node reads from its dist.
    if (!existsSync(join(wasmKernelsDir, 'dist', 'index.js'))) await tsupBuild(wasmKernelsDir, { silent: true });
    mkdirSync(join(packageDir, '.tmp'), { recursive: true });
    outDir = mkdtempSync(join(packageDir, '.tmp', 'dist-test-'));
    await tsupBuild(packageDir, { outDir, dts: false, sourcemap: false, silent: true });
  }, 120_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    if (readdirSync(join(packageDir, '.tmp')).length === 0) rmSync(join(packageDir, '.tmp'), { recursive: true });
  });

  it('bundles the gradients into a chunk of their own, imported on demand, and keeps tfjs itself external', () => {
    const chunk = readdirSync(outDir).find((file) => /^register_all_gradients-.*\.js$/.test(file));
    expect(chunk).toBeDefined();
    const index = readFileSync(join(outDir, 'index.js'), 'utf8');
    // esbuild's quotes vary with its output (single or double): match either
    const escaped = chunk!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(index).toMatch(new RegExp(`import\\((['"])\\./${escaped}\\1\\)`));
    expect(index).not.toMatch(new RegExp(`^import .*${escaped}`, 'm'));
    expect(index).toMatch(/^import .* from (['"])@tensorflow\/tfjs-core\1;$/m);
    expect(readFileSync(join(outDir, chunk!), 'utf8')).not.toMatch(/from ['"]@tensorflow\//);
  });

  it.each(['auto', ...(native ? ['tensorflow'] : []), 'wasm', 'cpu'])("trains with tfjs-core's gradients on '%s'", async (backend) => {
    const { stdout, stderr } = await run(process.execPath, [smokeScript, join(outDir, 'index.js'), backend]);
    const result = JSON.parse(stdout) as { ok: boolean; checks: Record<string, boolean>; info: { backend: string } };
    expect(result.checks).toEqual({
      noGradientsBeforeInit: true,
      oneLine: true,
      noTensorsLeftByInit: true,
      gradientsRegistered: true,
      oneEngine: true,
      denseGradient: true,
      convGradient: true,
      trainingLowersLoss: true,
      noTensorsLeftByTraining: true,
    });
    expect(result.info.backend).toBe(backend === 'auto' ? (native ? 'tensorflow' : 'wasm') : backend);
    // The one line, and nothing else: no tfjs banners or warnings, no libtensorflow start-up logging.
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^slot-machines: backend (tensorflow|wasm|cpu) \(/)]);
  });

  it.runIf(!native)("rejects 'tensorflow' with how to install it", async () => {
    const attempt = run(process.execPath, [smokeScript, join(outDir, 'index.js'), 'tensorflow']);
    await expect(attempt).rejects.toMatchObject({
      stderr: expect.stringMatching(/@tensorflow\/tfjs-node (is not installed|4\.22\.0 is installed without its native part|4\.22\.0 is installed but failed to load).*install-native\.sh.*docs\/guide\/native\.md/),
    });
  });
});
