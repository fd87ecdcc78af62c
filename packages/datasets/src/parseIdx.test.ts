import { describe, expect, it } from 'vitest';
import { DatasetError } from './DatasetError';
import { encodeIdx } from './encodeIdx';
import { parseIdx, type IdxArray } from './parseIdx';

function thrown(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError, nothing was thrown');
}

describe('parseIdx', () => {
  it('reads a hand-written big-endian int32 file', () => {
    // magic 00 00 0C 02, dims 2 x 1, then -2 and 258 big-endian
    const bytes = Uint8Array.from([0, 0, 0x0c, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 2]);
    const idx = parseIdx(bytes, 'x.idx');
    expect(idx.dtype).toBe('int32');
    expect(idx.shape).toEqual([2, 1]);
    expect(idx.data).toBeInstanceOf(Int32Array);
    expect(Array.from(idx.data)).toEqual([-2, 258]);
  });

  it('reads a hand-written ubyte file as a Uint8Array', () => {
    const bytes = Uint8Array.from([0, 0, 0x08, 1, 0, 0, 0, 3, 5, 0, 255]);
    const idx = parseIdx(bytes);
    expect(idx.dtype).toBe('uint8');
    expect(idx.shape).toEqual([3]);
    expect(idx.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(idx.data)).toEqual([5, 0, 255]);
  });

  const samples: IdxArray[] = [
    { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([0, 1, 2, 128, 254, 255]) },
    { dtype: 'int8', shape: [4], data: Int8Array.from([-128, -1, 0, 127]) },
    { dtype: 'int16', shape: [2, 2], data: Int16Array.from([-32768, -1, 258, 32767]) },
    { dtype: 'int32', shape: [3], data: Int32Array.from([-(2 ** 31), 65536 + 7, 2 ** 31 - 1]) },
    { dtype: 'float32', shape: [1, 3], data: Float32Array.from([-1.5, 0.1, 3.4e38]) },
    { dtype: 'float64', shape: [2, 1, 1], data: Float64Array.from([Math.PI, -1e-300]) },
  ];
  it.each(samples.map((s) => [s.dtype, s] as const))('round-trips %s through encodeIdx', (dtype, sample) => {
    const idx = parseIdx(encodeIdx(sample));
    expect(idx.dtype).toBe(dtype);
    expect(idx.shape).toEqual(sample.shape);
    expect(idx.data.constructor).toBe(sample.data.constructor);
    expect(Array.from(idx.data)).toEqual(Array.from(sample.data));
  });

  it('names the file and the bytes found on a wrong magic', () => {
    const error = thrown(() => parseIdx(Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]), 'bad.idx'));
    expect(error.code).toBe('bad-magic');
    expect(error.message).toContain('bad.idx');
    expect(error.message).toContain('0x00 0x00 <type> <ndims>');
    expect(error.message).toContain('found 0x01 0x02 0x08 0x01');
  });

  it('says gzip data must be decompressed first', () => {
    const error = thrown(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), 'f.gz'));
    expect(error.code).toBe('bad-magic');
    expect(error.message).toMatch(/gzip-compressed/);
  });

  it('rejects an unknown type code, naming it', () => {
    const error = thrown(() => parseIdx(Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'odd.idx'));
    expect(error.code).toBe('unknown-type');
    expect(error.message).toContain('odd.idx');
    expect(error.message).toContain('0x0a');
  });

  it('reports a truncated header', () => {
    const error = thrown(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]), 'short.idx'));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain('needs 16 bytes, the file has 8');
  });

  it('reports truncated data with expected and actual sizes', () => {
    const full = encodeIdx({ dtype: 'int16', shape: [10, 2], data: new Int16Array(20) });
    expect(full.length).toBe(12 + 40);
    const error = thrown(() => parseIdx(full.subarray(0, 50), 'cut.idx'));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain('cut.idx');
    expect(error.message).toContain('promises 52 bytes, the file has 50');
  });

  it('rejects bytes beyond what the header accounts for', () => {
    const full = encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) });
    const longer = new Uint8Array(full.length + 2);
    longer.set(full);
    const error = thrown(() => parseIdx(longer, 'long.idx'));
    expect(error.code).toBe('trailing-bytes');
    expect(error.message).toContain('2 too many');
  });
});
