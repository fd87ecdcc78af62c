import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeIdx } from '@slot-machines/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, checkpointHeader, checksums, cli } from './faults.test-helpers';

// Faults a user meets, each through the built CLI in a child process: the exit code, a message
// naming the file or flag, and every file that existed before left byte for byte as it was.
// The child runs on wasm whatever this project's backend: the file runs once (tools/vitest/backendIndependent.ts).
const quick = ['--k', '2', '--epochs', '1', '--train-subset', '1280', '--seed', '3'];

let root = '';
/** A finished 1-epoch run, copied by the cases that damage or reuse one. */
let finished = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sm-faults-'));
  finished = join(root, 'finished');
  const r = cli(['train', ...quick, '--out', finished]);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

/** A fresh copy of the finished run. */
function copyOfFinished(name: string): string {
  const dir = join(root, name);
  cpSync(finished, dir, { recursive: true });
  return dir;
}

/** Runs `args` and checks it failed with `code`, said `message`, and changed nothing under `root`. */
function refused(args: readonly string[], code: number, message: RegExp, options: { cwd?: string } = {}) {
  const before = checksums(root);
  const r = cli(args, options);
  expect(r.status, r.all).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(checksums(root)).toEqual(before);
  return r;
}

describe('a diverged run (non-finite scores or weights)', () => {
  it('GS with lr 1e30: exit 3, the error names the tensors and the kept finite checkpoint, which loads and is finite', async () => {
    const out = join(root, 'diverged');
    const r = cli(['train', ...quick, '--lr', '1e30', '--checkpoint-every', '1', '--out', out]);
    expect(r.status, r.all).toBe(3);
    expect(r.stderr).toMatch(/training diverged in epoch 1 by step 2: variable\/slotDense_0\/scores.* not finite/);
    expect(r.stderr).toContain(`the last finite state (step 1) is kept in ${join(out, 'last.safetensors')}`);
    expect(r.stdout).not.toMatch(/test accuracy/);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    expect(existsSync(join(out, 'best.safetensors'))).toBe(false);
    expect(checkpointHeader(join(out, 'last.safetensors')).state.progress.step).toBe(1);
    // the kept checkpoint evaluates (its CRCs check out), i.e. it is a real, finite state
    const e = cli(['eval', '--run', out, '--checkpoint', 'last']);
    expect(e.status, e.all).toBe(0);
    expect(e.stdout).toMatch(/test accuracy: \d+\.\d\d%/);
  });

  it('learned weights with lr 1e30: exit 3 before any checkpoint', () => {
    const out = join(root, 'diverged-learned');
    const r = cli(['train', '--flavour', 'learned', '--epochs', '1', '--train-subset', '1280', '--lr', '1e30', '--out', out]);
    expect(r.status, r.all).toBe(3);
    expect(r.stderr).toMatch(/training diverged in epoch 1 by step \d+: (loss|variable\/dense_\d\/weight)/);
    expect(r.stderr).toContain('no checkpoint had been saved yet');
    expect(existsSync(join(out, 'last.safetensors'))).toBe(false);
  });

  it('finetuning with lr 1e30: exit 3, the source run unchanged', () => {
    const before = checksums(finished);
    const r = cli(['finetune', '--run', finished, '--epochs', '1', '--train-subset', '1280', '--lr', '1e30', '--out', join(root, 'diverged-finetune')]);
    expect(r.status, r.all).toBe(3);
    expect(r.stderr).toMatch(/training diverged/);
    expect(checksums(finished)).toEqual(before);
  });
});

describe('a damaged checkpoint', () => {
  it('a flipped byte in best.safetensors: eval exits 2 naming the file, the tensor and the checksum', () => {
    const run = copyOfFinished('flipped-best');
    const path = join(run, 'best.safetensors');
    const bytes = readFileSync(path);
    const { header, dataStart } = checkpointHeader(path);
    const [begin] = header['variable/slotDense_1/scores']!.data_offsets;
    bytes[dataStart + begin + 100]! ^= 0x10;
    writeFileSync(path, bytes);
    refused(['eval', '--run', run], 2, new RegExp(`${path.replace(/[.\\/]/g, '\\$&')}: tensor 'variable/slotDense_1/scores': data damaged: CRC-32 [0-9a-f]{8}, the header records [0-9a-f]{8}`));
  });

  it('a flipped byte in last.safetensors: --resume exits 2 naming it, nothing written', () => {
    const run = copyOfFinished('flipped-last');
    rmSync(join(run, 'summary.json')); // as if killed before the end
    const path = join(run, 'last.safetensors');
    const bytes = readFileSync(path);
    bytes[bytes.length - 5]! ^= 0x01;
    writeFileSync(path, bytes);
    refused(['train', '--resume', '--out', run], 2, /last\.safetensors: tensor '[^']+': data damaged/);
  });

  it('a damaged header: exit 2 naming the file and the tensor, no raw JS error', () => {
    const run = copyOfFinished('bad-header');
    const path = join(run, 'best.safetensors');
    const original = readFileSync(path, 'latin1');
    const text = original.replace('"shape":[784,300,2]', '"shape":[784,300,3]');
    expect(text).not.toBe(original);
    writeFileSync(path, Buffer.from(text, 'latin1'));
    refused(['eval', '--run', run], 2, /best\.safetensors: tensor 'variable\/slotDense_0\/scores': shape \[784,300,3\] needs \d+ bytes, data_offsets give \d+ \(damaged header\?\)/);
  });
});

describe('a run directory that already holds a run', () => {
  it('train into a finished run: exit 2, says --resume or another --out', () => {
    refused(['train', ...quick, '--out', finished], 2, new RegExp(`${finished.replace(/[.\\/]/g, '\\$&')} already holds a run \\(config\\.json, last\\.safetensors.*\\): continue it with --resume`));
  });

  it('train into a directory holding best.safetensors and metrics.jsonl but no last: exit 2', () => {
    const run = copyOfFinished('no-last');
    rmSync(join(run, 'last.safetensors'));
    rmSync(join(run, 'summary.json'));
    rmSync(join(run, 'config.json'));
    refused(['train', ...quick, '--out', run], 2, /already holds a run \(best\.safetensors, metrics\.jsonl\)/);
  });

  it('--resume without last.safetensors but with best: exit 2, names last.safetensors and what would be overwritten', () => {
    const run = copyOfFinished('resume-no-last');
    rmSync(join(run, 'last.safetensors'));
    rmSync(join(run, 'summary.json'));
    refused(['train', '--resume', '--out', run], 2, /last\.safetensors: no such checkpoint to resume from, but .* holds best\.safetensors, metrics\.jsonl/);
  });

  it('--resume of a finished run: exit 2, points to eval', () => {
    refused(['train', '--resume', '--out', finished], 2, /summary\.json: .* is a finished run, nothing to resume: evaluate it with 'slot-machines eval/);
  });
});

describe('empty data', () => {
  it('MNIST IDX files with 0 test images: exit 2 naming the file, nothing written', () => {
    const dir = join(root, 'empty-idx');
    mkdirSync(dir);
    const images = (n: number) => encodeIdx({ dtype: 'uint8', shape: [n, 28, 28], data: new Uint8Array(n * 784) });
    const labels = (n: number) => encodeIdx({ dtype: 'uint8', shape: [n], data: new Uint8Array(n) });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images(20));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels(20));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images(0));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels(0));
    refused(['train', '--data-dir', dir, '--epochs', '1', '--out', join(root, 'empty-idx-run')], 2, /t10k-images-idx3-ubyte: holds 0 images: an empty split/);
    expect(existsSync(join(root, 'empty-idx-run'))).toBe(false);
  });

  it('a 0-byte CIFAR-10 batch: exit 2 naming the file', () => {
    const dir = join(root, 'empty-cifar');
    mkdirSync(dir);
    const record = new Uint8Array(3073);
    for (const f of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) writeFileSync(join(dir, f), record);
    writeFileSync(join(dir, 'data_batch_3.bin'), new Uint8Array(0));
    refused(['train', '--arch', 'conv-2', '--data-dir', dir, '--epochs', '1', '--out', join(root, 'empty-cifar-run')], 2, /data_batch_3\.bin: 0 bytes: no records/);
  });
});

describe('metrics while a run is going', () => {
  it('metrics.jsonl holds each finished epoch before the run ends; a killed write\'s *.tmp is removed on the next start', async () => {
    const out = join(root, 'live');
    const child = spawn(process.execPath, [bin, 'train', ...quick, '--epochs', '3', '--out', out, '--backend', 'wasm', '--quiet'], { stdio: 'ignore' });
    let exited = false;
    const done = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
    let lines: string[] = [];
    for (let i = 0; i < 6000 && lines.length === 0 && !exited; i++) {
      await new Promise((r) => setTimeout(r, 10));
      if (existsSync(join(out, 'metrics.jsonl'))) lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
    }
    child.kill('SIGKILL');
    await done;
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ epoch: 1, testAccuracy: expect.any(Number) });
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    const leftover = join(out, '.metrics.jsonl.12345.0123abcd.tmp');
    writeFileSync(leftover, 'half a line');
    const r = cli(['train', '--resume', '--out', out]);
    expect(r.status, r.all).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch)).toEqual([1, 2, 3]);
  }, 120_000);
});

describe('flags that would be recorded but not used, and values checked before anything is written', () => {
  const out = () => join(root, 'never-written');
  it.each([
    [['--flavour', 'learned', '--sharing', 'layer'], /--sharing: the learned flavour trains ordinary weights/],
    [['--normalize', 'proportional'], /--normalize: it sets how PS/],
    [['--flavour', 'random', '--k', '4', '--zero-option'], /--k, --zero-option: the random flavour is one fixed random weight/],
    [['--momentum', '1'], /--momentum: expected a number in \[0, 1\), got '1'/],
    [['--k', '1e9'], /--k 1000000000: lenet-300-100 GS K=1000000000 needs [\d.e+]+ GiB for its options, scores and momentum alone; this machine has [\d.]+ GiB/],
    [['--data-dir='], /--data-dir: expected a directory, got ''/],
    [['--arch', 'conv-2'], /--data-dir DIR is required for CIFAR-10 \(--arch conv-2\): .*data_batch_1\.bin/],
    [['--train-subset', '100000'], /--train-subset 100000: the training split of mnist holds 51000 examples/],
  ])('train %j: exit 2 naming the flag', (args, message) => {
    refused(['train', ...args, '--epochs', '1', '--out', out()], 2, message);
    expect(existsSync(out())).toBe(false);
  });

  it('finetune --run A --finetune-from B and finetune --k: exit 2', () => {
    refused(['finetune', '--run', finished, '--finetune-from', finished, '--out', out()], 2, /finetune-from/);
    refused(['finetune', '--run', finished, '--k', '4', '--out', out()], 2, /--k: finetuning trains the network of the source run/);
  });

  it('config.json records --data-dir resolved, so eval works from another directory', () => {
    const dir = join(root, 'tiny-idx');
    mkdirSync(dir);
    const images = (n: number) => encodeIdx({ dtype: 'uint8', shape: [n, 28, 28], data: Uint8Array.from({ length: n * 784 }, (_, i) => (i * 37) % 256) });
    const labels = (n: number) => encodeIdx({ dtype: 'uint8', shape: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images(200));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels(200));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images(50));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels(50));
    const r = cli(['train', '--data-dir', 'tiny-idx', '--k', '2', '--epochs', '1', '--out', 'tiny-run'], { cwd: root });
    expect(r.status, r.all).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'tiny-run', 'config.json'), 'utf8')).data).toEqual({ kind: 'directory', path: dir });
    const e = cli(['eval', '--run', join(root, 'tiny-run')], { cwd: tmpdir() });
    expect(e.status, e.all).toBe(0);
    expect(e.stdout).toMatch(/\(50 images, best checkpoint/);
  });
});
