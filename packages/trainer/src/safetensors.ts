import * as tf from '@tensorflow/tfjs-core';
import { crc32Hex } from '@slot-machines/core';

/**
 * Tensors and a JSON state in the safetensors layout (8-byte little-endian header length, a JSON
 * header, then the raw little-endian data), so a checkpoint is also readable from Python.
 * Supports float32 and int32 tensors. Every file carries a CRC-32 of each tensor's bytes in its
 * metadata (`CHECKSUM_KEY`), checked on every decode.
 */
export interface TensorFile {
  /** The metadata written, without the checksums. */
  readonly metadata: Record<string, string>;
  /** The caller owns these tensors. */
  readonly tensors: Record<string, tf.Tensor>;
}

/**
 * A tensor file that cannot be read as written: the message names the file, the tensor when one
 * is at fault, and what is wrong (`run/last.safetensors: tensor 'variable/x' is damaged: ...`).
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    readonly file: string,
    readonly tensor: string | null,
    readonly problem: string,
  ) {
    super(`${file}: ${tensor === null ? '' : `tensor '${tensor}': `}${problem}`);
  }
}

/** The metadata key holding `{ [tensor]: crc32 as 8 hex digits }` (JSON). */
export const CHECKSUM_KEY = 'slot-machines.crc32';

const DTYPES = { float32: 'F32', int32: 'I32' } as const;

/** CRC-32 (IEEE 802.3, as zlib and PNG) of `bytes`, as 8 lowercase hex digits (core's `crc32Hex`). */
export const crc32 = crc32Hex;

/** Encodes tensors (not disposed) and string metadata, with a CRC-32 per tensor. Reads the tensors' data synchronously. */
export function encodeTensorFile(tensors: Readonly<Record<string, tf.Tensor>>, metadata: Readonly<Record<string, string>>): Uint8Array {
  const entries: Record<string, unknown> = {};
  const checksums: Record<string, string> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const dtype = DTYPES[t.dtype as keyof typeof DTYPES];
    if (!dtype) throw new Error(`checkpoint: tensor '${name}' has dtype ${t.dtype}; expected float32 or int32`);
    const data = t.dataSync();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    entries[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    checksums[name] = crc32(bytes);
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const header = { __metadata__: { ...metadata, [CHECKSUM_KEY]: JSON.stringify(checksums) }, ...entries };
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

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * Decodes a file written by `encodeTensorFile`. `source` names the file in errors. Every entry of
 * the header is checked (dtype, shape, offsets inside the data and matching the shape) and every
 * tensor's bytes against its CRC-32; a file without checksums (written before they existed) is
 * read unchecked.
 * @throws CheckpointError naming the file, the tensor and the problem
 */
export function decodeTensorFile(bytes: Uint8Array, source: string): TensorFile {
  const fail = (problem: string, tensor: string | null = null): never => {
    throw new CheckpointError(source, tensor, tensor === null ? `not a readable checkpoint: ${problem}` : problem);
  };
  if (bytes.byteLength < 8) fail(`${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) fail(`header of ${headerLength} bytes announced, only ${bytes.byteLength - 8} present (truncated?)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    return fail(`header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('header is not a JSON object');
  const record = header as Record<string, unknown>;
  const rawMetadata = record.__metadata__ ?? {};
  if (typeof rawMetadata !== 'object' || rawMetadata === null || Object.values(rawMetadata).some((v) => typeof v !== 'string')) {
    fail('header __metadata__ is not an object of strings');
  }
  const { [CHECKSUM_KEY]: checksumJson, ...metadata } = rawMetadata as Record<string, string>;
  let checksums: Record<string, unknown> | null = null;
  if (checksumJson !== undefined) {
    try {
      checksums = JSON.parse(checksumJson) as Record<string, unknown>;
    } catch {
      fail(`header ${CHECKSUM_KEY} is not JSON`);
    }
    if (typeof checksums !== 'object' || checksums === null) fail(`header ${CHECKSUM_KEY} is not a JSON object`);
  }
  const names = Object.keys(record).filter((k) => k !== '__metadata__');
  if (checksums) {
    const missing = Object.keys(checksums).filter((n) => !names.includes(n));
    if (missing.length) fail(`the header lists no tensor '${missing[0]}', which the checksums name (damaged header?)`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const name of names) {
      const entry = record[name] as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
      if (typeof entry !== 'object' || entry === null) fail('header entry is not an object (damaged header?)', name);
      const { dtype, shape, data_offsets: offsets } = entry!;
      if (dtype !== 'F32' && dtype !== 'I32') fail(`dtype ${JSON.stringify(dtype)}; expected F32 or I32 (damaged header?)`, name);
      if (!Array.isArray(shape) || !shape.every(isCount)) fail(`shape ${JSON.stringify(shape)} is not a list of sizes (damaged header?)`, name);
      if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0]! > offsets[1]!) {
        fail(`data_offsets ${JSON.stringify(offsets)} are not [begin, end] (damaged header?)`, name);
      }
      const [begin, end] = offsets as [number, number];
      if (end > dataLength) fail(`ends at byte ${dataStart + end}, file has ${bytes.byteLength} (truncated?)`, name);
      const size = (shape as number[]).reduce((a, b) => a * b, 1);
      if (end - begin !== size * 4) fail(`shape [${shape}] needs ${size * 4} bytes, data_offsets give ${end - begin} (damaged header?)`, name);
      const raw = bytes.slice(dataStart + begin, dataStart + end);
      if (checksums) {
        const expected = checksums[name];
        if (typeof expected !== 'string') fail('no checksum recorded for it (damaged header?)', name);
        const actual = crc32(raw);
        if (actual !== expected) fail(`data damaged: CRC-32 ${actual}, the header records ${String(expected)}`, name);
      }
      tensors[name] = dtype === 'F32' ? tf.tensor(new Float32Array(raw.buffer), shape as number[], 'float32') : tf.tensor(new Int32Array(raw.buffer), shape as number[], 'int32');
    }
  } catch (e) {
    tf.dispose(Object.values(tensors));
    throw e;
  }
  return { metadata, tensors };
}
