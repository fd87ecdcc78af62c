import { SlotConfigError } from '../errors';

/** The most bits an index may take (K up to 2^24): the packer's 32-bit accumulator holds 8 more. */
export const MAX_INDEX_BITS = 24;

/** Bits that hold one index among K options: ceil(log2 K), 0 when K = 1. */
export function bitsPerIndex(k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > 2 ** MAX_INDEX_BITS) throw new SlotConfigError('k', `an integer in [1, 2^${MAX_INDEX_BITS}]`, k);
  return 32 - Math.clz32(k - 1);
}

/** Bytes that `count` indices of `bits` bits take: ceil(count · bits / 8). */
export function packedByteLength(count: number, bits: number): number {
  return Math.ceil((count * bits) / 8);
}

/**
 * Packs integers in [0, 2^bits) into a bit stream, least significant bit first: value i occupies
 * stream bits [i·bits, (i+1)·bits), and stream bit j is bit (j mod 8) of byte floor(j / 8). Unused
 * high bits of the last byte are 0. Throws a `SlotConfigError` for a value that does not fit.
 */
export function packIndices(values: ArrayLike<number>, bits: number): Uint8Array {
  const out = new Uint8Array(packedByteLength(values.length, bits));
  if (bits === 0) {
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) throw new SlotConfigError(`indices[${i}]`, 'the index 0 (K = 1)', values[i]);
    return out;
  }
  const limit = 2 ** bits;
  let acc = 0;
  let accBits = 0;
  let o = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v < limit && Number.isInteger(v))) throw new SlotConfigError(`indices[${i}]`, `an integer in [0, ${limit})`, v);
    acc |= v << accBits;
    accBits += bits;
    while (accBits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      accBits -= 8;
    }
  }
  if (accBits > 0) out[o] = acc & 0xff;
  return out;
}

/** The `count` indices `packIndices` packed into `bytes` (which must hold `packedByteLength(count, bits)` bytes). */
export function unpackIndices(bytes: Uint8Array, count: number, bits: number): Int32Array {
  const out = new Int32Array(count);
  if (bits === 0) return out;
  const mask = bits === 32 ? -1 : (1 << bits) - 1;
  let acc = 0;
  let accBits = 0;
  let p = 0;
  for (let i = 0; i < count; i++) {
    while (accBits < bits) {
      acc |= bytes[p++]! << accBits;
      accBits += 8;
    }
    out[i] = acc & mask;
    acc >>>= bits;
    accBits -= bits;
  }
  return out;
}
