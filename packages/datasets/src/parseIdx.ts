import { DatasetError } from './DatasetError';
import { isGzip } from './isGzip';

/** The element types an IDX file can hold, named like tfjs / typed-array dtypes. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array each IDX dtype is returned as. */
export interface IdxDataTypes {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** A parsed IDX file: the element type, the dims and the data, row-major. Narrow on `dtype` to get the typed array. */
export type IdxArray = {
  [D in IdxDtype]: { readonly dtype: D; readonly shape: readonly number[]; readonly data: IdxDataTypes[D] };
}[IdxDtype];

/** The IDX type codes (third magic byte) with their dtype, element size and the name the format's spec gives them. */
export const IDX_TYPE_CODES: Readonly<Record<number, { dtype: IdxDtype; bytes: number; name: string }>> = {
  0x08: { dtype: 'uint8', bytes: 1, name: 'unsigned byte' },
  0x09: { dtype: 'int8', bytes: 1, name: 'signed byte' },
  0x0b: { dtype: 'int16', bytes: 2, name: 'short' },
  0x0c: { dtype: 'int32', bytes: 4, name: 'int' },
  0x0d: { dtype: 'float32', bytes: 4, name: 'float' },
  0x0e: { dtype: 'float64', bytes: 8, name: 'double' },
};

const hex = (b: number | undefined): string => (b === undefined ? '--' : `0x${b.toString(16).padStart(2, '0')}`);

/**
 * Parses an IDX file (MNIST, Fashion-MNIST, EMNIST, ...): magic `00 00 <type> <ndims>`, `ndims`
 * big-endian uint32 dims, then the data big-endian, row-major. `source` names the file in errors.
 *
 * Pure: no I/O, no node: imports. Gzip-compressed input is rejected with a hint; decompress first
 * (`readIdxFile` from `@slot-machines/datasets/node` does it).
 *
 * Memory: returns no tensors. For 8-bit types `data` is a view over `bytes` (no copy); wider types
 * are copied into a fresh native-endian typed array.
 *
 * @throws DatasetError `bad-magic`, `unknown-type`, `truncated` or `trailing-bytes`, naming `source`.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    const found = [0, 1, 2, 3].map((i) => hex(bytes[i])).join(' ');
    const hint = isGzip(bytes) ? ' (this is gzip-compressed data: decompress it first, e.g. with readIdxFile)' : '';
    throw new DatasetError(
      'bad-magic',
      source,
      `not an IDX file: expected the magic 0x00 0x00 <type> <ndims>, found ${found}${bytes.length < 4 ? ` (only ${bytes.length} bytes)` : ''}${hint}`,
    );
  }
  const code = bytes[2]!;
  const type = IDX_TYPE_CODES[code];
  if (!type) {
    const known = Object.entries(IDX_TYPE_CODES)
      .map(([c, t]) => `${hex(Number(c))} ${t.name}`)
      .join(', ');
    throw new DatasetError('unknown-type', source, `unknown IDX type code ${hex(code)} at byte 2 (known: ${known})`);
  }
  const ndims = bytes[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DatasetError(
      'truncated',
      source,
      `truncated: the header of ${ndims} dims needs ${headerBytes} bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + count * type.bytes;
  const what = `the header (${type.name}, dims ${shape.join('x')})`;
  if (bytes.length < expectedBytes) {
    throw new DatasetError('truncated', source, `truncated: ${what} promises ${expectedBytes} bytes, the file has ${bytes.length}`);
  }
  if (bytes.length > expectedBytes) {
    throw new DatasetError(
      'trailing-bytes',
      source,
      `${what} promises ${expectedBytes} bytes, the file has ${bytes.length} (${bytes.length - expectedBytes} too many)`,
    );
  }
  return { dtype: type.dtype, shape, data: readData(type.dtype, bytes, view, headerBytes, count) } as IdxArray;
}

function readData(dtype: IdxDtype, bytes: Uint8Array, view: DataView, at: number, count: number): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(at, at + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + at, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

