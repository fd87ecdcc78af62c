import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'slot-machines.js');
const built = join(dirname(bin), '..', 'dist', 'main.js');

/** Runs the built CLI in a child process on wasm (or the given backend). */
export function cli(args: readonly string[], options: { cwd?: string; backend?: string; env?: NodeJS.ProcessEnv } = {}) {
  if (!existsSync(built)) throw new Error(`${built} is missing: build first (pnpm build)`);
  const r = spawnSync(process.execPath, [bin, ...args, '--backend', options.backend ?? 'wasm', '--quiet'], {
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...options.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

/** Every file under `dir` by relative path, with its SHA-256: what "unchanged" is checked against. */
export function checksums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** The JSON state and header of a checkpoint file. */
export function checkpointHeader(path: string): { header: Record<string, { data_offsets: [number, number] }>; dataStart: number; state: { progress: { epoch: number; batch: number; step: number } } } {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
  return { header, dataStart: 8 + length, state: JSON.parse(header.__metadata__['slot-machines']) };
}

/** The official CIFAR-10 binaries: CI keeps a copy of shared/ beside the clone (never copied into the repo). */
export const CIFAR10_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'datasets', 'cifar-10-batches-bin');

/**
 * A small CIFAR-10 directory in the official layout at `dir`: the first `batchOne` records of
 * data_batch_1, the first `otherBatches` of data_batch_2..5 and the first `test` of test_batch.
 */
export function smallCifar10(dir: string, records: { batchOne: number; otherBatches: number; test: number }): string {
  mkdirSync(dir, { recursive: true });
  const head = (file: string, count: number) => {
    const buffer = Buffer.alloc(count * 3073);
    const fd = openSync(join(CIFAR10_DIR, file), 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
    writeFileSync(join(dir, file), buffer);
  };
  head('data_batch_1.bin', records.batchOne);
  for (let i = 2; i <= 5; i++) head(`data_batch_${i}.bin`, records.otherBatches);
  head('test_batch.bin', records.test);
  return dir;
}
