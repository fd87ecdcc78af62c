import { DatasetError } from './DatasetError';
import { IDX_TYPE_CODES, type IdxArray } from './parseIdx';

/**
 * Encodes an array as IDX bytes (big-endian), the inverse of `parseIdx`. Handy for tests and for
 * writing subsets of a data set. Memory: returns a fresh Uint8Array; no tensors.
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new DatasetError('mismatch', 'encodeIdx', `shape ${array.shape.join('x')} holds ${count} elements, data has ${array.data.length}`);
  }
  const entry = Object.entries(IDX_TYPE_CODES).find(([, t]) => t.dtype === array.dtype)!;
  const code = Number(entry[0]);
  const size = entry[1].bytes;
  const headerBytes = 4 + 4 * array.shape.length;
  const out = new Uint8Array(headerBytes + array.data.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = array.shape.length;
  array.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const data = array.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const at = headerBytes + i * size;
    if (array.dtype === 'uint8') view.setUint8(at, v);
    else if (array.dtype === 'int8') view.setInt8(at, v);
    else if (array.dtype === 'int16') view.setInt16(at, v, false);
    else if (array.dtype === 'int32') view.setInt32(at, v, false);
    else if (array.dtype === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
