import { describe, expect, it } from 'vitest';
import { DatasetError } from './DatasetError';
import { CIFAR10_RECORD_BYTES, parseCifar10Batch } from './parseCifar10Batch';

/** A record whose pixel bytes encode (channel, y, x) so the layout can be checked exactly. */
function record(label: number, salt: number): Uint8Array {
  const r = new Uint8Array(CIFAR10_RECORD_BYTES);
  r[0] = label;
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) r[1 + c * 1024 + p] = (c * 50 + p * 7 + salt) % 256;
  return r;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('parseCifar10Batch', () => {
  it('decodes labels and interleaves the R, G, B planes into NHWC', () => {
    const batch = parseCifar10Batch(concat(record(3, 0), record(9, 11)), 'b.bin');
    expect(batch.count).toBe(2);
    expect(Array.from(batch.labels)).toEqual([3, 9]);
    expect(batch.images.length).toBe(2 * 32 * 32 * 3);
    for (const [i, salt] of [[0, 0], [1, 11]] as const) {
      for (const [y, x] of [[0, 0], [0, 31], [5, 17], [31, 0], [31, 31]] as const) {
        for (let c = 0; c < 3; c++) {
          const p = y * 32 + x;
          expect(batch.images[((i * 32 + y) * 32 + x) * 3 + c]).toBe((c * 50 + p * 7 + salt) % 256);
        }
      }
    }
  });

  it('rejects a size that is not a multiple of 3073, naming the file', () => {
    const bytes = concat(record(1, 0), new Uint8Array(100));
    const error = (() => {
      try {
        parseCifar10Batch(bytes, 'data_batch_9.bin');
      } catch (e) {
        return e as DatasetError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.code).toBe('truncated');
    expect(error.message).toContain('data_batch_9.bin');
    expect(error.message).toContain('3173');
    expect(error.message).toContain('1 whole records and 100 bytes left over');
  });

  it('rejects a 0-byte batch as empty, naming the file', () => {
    expect(() => parseCifar10Batch(new Uint8Array(0), 'data_batch_3.bin')).toThrow('data_batch_3.bin: 0 bytes: no records');
  });

  it('rejects a label above 9, naming the record', () => {
    expect(() => parseCifar10Batch(concat(record(2, 0), record(10, 0)), 't.bin')).toThrow(
      /t\.bin: record 1 \(byte 3073\) has label 10, expected 0\.\.9/,
    );
  });
});
