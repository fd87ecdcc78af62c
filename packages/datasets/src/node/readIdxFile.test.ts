import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../DatasetError';
import { encodeIdx } from '../encodeIdx';
import { bundledMnistDir } from './loadBundledMnist';
import { readIdxFile } from './readIdxFile';

async function rejection(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('readIdxFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sm-idx-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a gzip-compressed copy of a real MNIST file identically (detected by magic, not name)', async () => {
    const raw = join(bundledMnistDir(), 't10k-labels-idx1-ubyte');
    const gz = join(dir, 'labels.bin'); // no .gz suffix on purpose
    await writeFile(gz, gzipSync(await readFile(raw)));
    const [a, b] = await Promise.all([readIdxFile(raw), readIdxFile(gz)]);
    expect(b.dtype).toBe('uint8');
    expect(b.shape).toEqual([10_000]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(Array.from(b.data.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('round-trips float32 data through a .gz file', async () => {
    const path = join(dir, 'floats.idx.gz');
    await writeFile(path, gzipSync(encodeIdx({ dtype: 'float32', shape: [2, 2], data: Float32Array.from([1, -2.5, 0.25, 1e-3]) })));
    const idx = await readIdxFile(path);
    expect(idx.dtype).toBe('float32');
    expect(idx.shape).toEqual([2, 2]);
    expect(Array.from(idx.data)).toEqual(Array.from(Float32Array.from([1, -2.5, 0.25, 1e-3])));
  });

  it('names the file on a truncated real file, with expected and actual sizes', async () => {
    const path = join(dir, 'train-labels-idx1-ubyte');
    const bytes = await readFile(join(bundledMnistDir(), 'train-labels-idx1-ubyte'));
    await writeFile(path, bytes.subarray(0, 1000));
    const error = await rejection(readIdxFile(path));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain(path);
    expect(error.message).toContain('promises 60008 bytes, the file has 1000');
  });

  it('names the file on a wrong magic', async () => {
    const path = join(dir, 'not-idx');
    await writeFile(path, Buffer.from('P5\n28 28\n255\n'));
    const error = await rejection(readIdxFile(path));
    expect(error.code).toBe('bad-magic');
    expect(error.message).toContain(path);
    expect(error.message).toContain('found 0x50 0x35 0x0a 0x32');
  });

  it('says a cut-off gzip file is corrupt', async () => {
    const path = join(dir, 'cut.gz');
    const gz = gzipSync(encodeIdx({ dtype: 'uint8', shape: [5000], data: new Uint8Array(5000).fill(3) }));
    await writeFile(path, gz.subarray(0, gz.length - 10));
    const error = await rejection(readIdxFile(path));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(path);
  });

  it('says a missing file is missing', async () => {
    const error = await rejection(readIdxFile(join(dir, 'nope')));
    expect(error.code).toBe('missing-file');
    expect(error.message).toContain(join(dir, 'nope'));
  });
});
