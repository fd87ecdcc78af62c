import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from '../crc32';
import { bitsPerIndex, packIndices, packedByteLength, unpackIndices } from './bitPacking';

describe('index bit packing', () => {
  it('takes ceil(log2 K) bits per index', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 16, 64, 65, 2 ** 24].map(bitsPerIndex)).toEqual([0, 1, 2, 2, 3, 3, 4, 4, 6, 7, 24]);
    expect(() => bitsPerIndex(0)).toThrow('k: expected an integer in [1, 2^24], got 0');
    expect(() => bitsPerIndex(2 ** 24 + 1)).toThrow(/k: expected an integer in \[1, 2\^24\]/);
  });

  it('packs least significant bit first, in the bytes the format table gives', () => {
    // 3-bit values 1, 2, 7 -> stream bits 100 010 111 -> byte 0 = 0b11_010_001, byte 1 = 0b1
    expect(Array.from(packIndices([1, 2, 7], 3))).toEqual([0b11010001, 0b1]);
    expect(Array.from(packIndices([1, 0, 1, 1, 0, 0, 0, 1, 1], 1))).toEqual([0b10001101, 0b1]);
    expect(packIndices([0, 0, 0], 0).byteLength).toBe(0);
  });

  it('round-trips every width from 1 to 24 bits', () => {
    for (let bits = 1; bits <= 24; bits++) {
      const count = 37;
      const values = Array.from({ length: count }, (_, i) => (i * 2654435761) % 2 ** bits >>> 0);
      values[0] = 2 ** bits - 1;
      const packed = packIndices(values, bits);
      expect(packed.byteLength).toBe(packedByteLength(count, bits));
      expect(Array.from(unpackIndices(packed, count, bits)), `${bits} bits`).toEqual(values);
    }
  });

  it('refuses an index that does not fit', () => {
    expect(() => packIndices([0, 8], 3)).toThrow('indices[1]: expected an integer in [0, 8), got 8');
    expect(() => packIndices([1], 0)).toThrow('indices[0]: expected the index 0 (K = 1), got 1');
  });
});

describe('crc32', () => {
  it('is the IEEE CRC-32 of zlib and PNG', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32Hex(new Uint8Array(0))).toBe('00000000');
    expect(crc32Hex(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe('414fa339');
  });
});
