import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'slot-machines.js');
const built = join(dirname(bin), '..', 'dist', 'main.js');
const args = ['train', '--epochs', '2', '--train-subset', '2560', '--k', '4', '--seed', '5', '--checkpoint-every', '3', '--backend', 'wasm', '--quiet'];

/** The JSON state in a checkpoint's safetensors header. */
async function checkpointState(path: string): Promise<{ progress: { epoch: number; batch: number; step: number } } | null> {
  try {
    const bytes = await readFile(path);
    const length = Number(bytes.readBigUInt64LE(0));
    return JSON.parse(JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')).__metadata__['slot-machines']);
  } catch {
    return null;
  }
}

/** Variables of a checkpoint as raw bytes by name. */
async function variables(path: string): Promise<Record<string, string>> {
  const bytes = await readFile(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header) as Array<[string, { data_offsets: [number, number] }]>) {
    if (!name.startsWith('variable/')) continue;
    out[name] = bytes.subarray(8 + length + entry.data_offsets[0], 8 + length + entry.data_offsets[1]).toString('base64');
  }
  return out;
}

const withoutTime = (text: string) => text.trim().split('\n').map((l) => ({ ...JSON.parse(l), seconds: 0 }));

describe('a training process killed with SIGKILL mid-epoch', () => {
  // One child-process run is enough: it runs the built CLI on wasm whatever the test project's backend.
  it.skipIf(process.env.SM_TEST_BACKEND !== 'wasm')('resumes to exactly the selection of an uninterrupted run', async () => {
    if (!existsSync(built)) throw new Error(`${built} is missing: build first (pnpm build)`);
    const dir = await mkdtemp(join(tmpdir(), 'sm-kill-'));
    const full = spawnSync(process.execPath, [bin, ...args, '--out', join(dir, 'full')], { encoding: 'utf8' });
    expect(full.status, full.stderr).toBe(0);

    const killedDir = join(dir, 'killed');
    const child = spawn(process.execPath, [bin, ...args, '--out', killedDir], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let killedAt: { epoch: number; batch: number; step: number } | null = null;
    for (let i = 0; i < 6000 && !killedAt; i++) {
      const state = await checkpointState(join(killedDir, 'last.safetensors'));
      // wait for a checkpoint inside the second epoch, then kill at once, between checkpoints
      if (state && state.progress.epoch === 1 && state.progress.batch > 0) {
        child.kill('SIGKILL');
        killedAt = state.progress;
      } else {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    expect(await exited).toBe('SIGKILL');
    expect(killedAt).not.toBeNull();
    expect(existsSync(join(killedDir, 'summary.json'))).toBe(false); // it really died before the end

    const resumed = spawnSync(process.execPath, [bin, 'train', '--resume', '--out', killedDir, '--backend', 'wasm', '--quiet'], { encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await variables(join(killedDir, 'last.safetensors'))).toEqual(await variables(join(dir, 'full', 'last.safetensors')));
    expect(await variables(join(killedDir, 'best.safetensors'))).toEqual(await variables(join(dir, 'full', 'best.safetensors')));
    expect(withoutTime(await readFile(join(killedDir, 'metrics.jsonl'), 'utf8'))).toEqual(
      withoutTime(await readFile(join(dir, 'full', 'metrics.jsonl'), 'utf8')),
    );
  });
});
