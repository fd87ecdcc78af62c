let table: Uint32Array | undefined;

/**
 * CRC-32 (IEEE 802.3, the one zlib, PNG and gzip use) of `bytes`, as an unsigned 32-bit integer.
 * `crc32(new TextEncoder().encode('123456789')) === 0xcbf43926`.
 */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  const t = table;
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A CRC-32 as the 8 lowercase hex digits files store and messages print, e.g. `cbf43926`. */
export function crc32Hex(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}
