import * as tf from '@tensorflow/tfjs-core';

/**
 * Tensors and a JSON state in the safetensors layout (8-byte little-endian header length, a JSON
 * header, then the raw little-endian data), so a checkpoint is also readable from Python.
 * Supports float32 and int32 tensors.
 */
export interface TensorFile {
  readonly metadata: Record<string, string>;
  /** The caller owns these tensors. */
  readonly tensors: Record<string, tf.Tensor>;
}

const DTYPES = { float32: 'F32', int32: 'I32' } as const;

/** Encodes tensors (not disposed) and string metadata. Reads the tensors' data synchronously. */
export function encodeTensorFile(tensors: Readonly<Record<string, tf.Tensor>>, metadata: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const dtype = DTYPES[t.dtype as keyof typeof DTYPES];
    if (!dtype) throw new Error(`checkpoint: tensor '${name}' has dtype ${t.dtype}; expected float32 or int32`);
    const data = t.dataSync();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Decodes a file written by `encodeTensorFile`. `source` names the file in errors. */
export function decodeTensorFile(bytes: Uint8Array, source: string): TensorFile {
  const fail = (problem: string): never => {
    throw new Error(`${source}: not a readable checkpoint: ${problem}`);
  };
  if (bytes.byteLength < 8) fail(`${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) fail(`header of ${headerLength} bytes announced, only ${bytes.byteLength - 8} present (truncated?)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    return fail(`header is not JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [name, entry] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const { dtype, shape, data_offsets: [begin, end] } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
      if (dataStart + end > bytes.byteLength) fail(`tensor '${name}' ends at byte ${dataStart + end}, file has ${bytes.byteLength} (truncated?)`);
      const raw = bytes.slice(dataStart + begin, dataStart + end);
      if (dtype === 'F32') tensors[name] = tf.tensor(new Float32Array(raw.buffer), shape, 'float32');
      else if (dtype === 'I32') tensors[name] = tf.tensor(new Int32Array(raw.buffer), shape, 'int32');
      else fail(`tensor '${name}' has dtype ${dtype}; expected F32 or I32`);
    }
  } catch (e) {
    tf.dispose(Object.values(tensors));
    throw e;
  }
  return { metadata: (header.__metadata__ as Record<string, string>) ?? {}, tensors };
}
