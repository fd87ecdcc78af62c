import * as tf from '@tensorflow/tfjs-core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { CHECKSUM_KEY, CheckpointError, crc32, decodeTensorFile, encodeTensorFile } from './safetensors';

describe('tensor files (safetensors layout)', () => {
  it('round-trips float32 and int32 tensors and the metadata', async () => {
    await expectNoTensorLeak(() => {
      const a = tf.tensor2d([[1.5, -2], [3, 4.25]]);
      const b = tf.tensor1d([7, -1, 0], 'int32');
      const bytes = encodeTensorFile({ a, b }, { note: 'hello' });
      const view = new DataView(bytes.buffer);
      const headerLength = Number(view.getBigUint64(0, true));
      expect((8 + headerLength) % 8).toBe(0);
      expect(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))).a).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
      const file = decodeTensorFile(bytes, 'x.safetensors');
      expect(file.metadata).toEqual({ note: 'hello' });
      expect(file.tensors.a!.arraySync()).toEqual([[1.5, -2], [3, 4.25]]);
      expect(file.tensors.b!.dtype).toBe('int32');
      expect(file.tensors.b!.arraySync()).toEqual([7, -1, 0]);
      tf.dispose([a, b, ...Object.values(file.tensors)]);
    });
  });

  it('names the file and the problem for truncated or foreign bytes', () => {
    const a = tf.ones([100]);
    const bytes = encodeTensorFile({ a }, {});
    a.dispose();
    expect(() => decodeTensorFile(bytes.subarray(0, bytes.length - 10), 'run/last.safetensors')).toThrow(
      /^run\/last\.safetensors: tensor 'a': ends at byte \d+, file has \d+ \(truncated\?\)$/,
    );
    expect(() => decodeTensorFile(new Uint8Array(4), 'f')).toThrow('f: not a readable checkpoint: 4 bytes, shorter than the 8-byte header length');
    expect(() => decodeTensorFile(new TextEncoder().encode('{"hello": 1}'), 'g')).toThrow(/^g: not a readable checkpoint: header of \d+ bytes announced/);
  });
});

describe('tensor file integrity', () => {
  const encoded = () => {
    const a = tf.tensor1d([1, 2, 3, 4]);
    const b = tf.tensor1d([5, 6], 'int32');
    const bytes = encodeTensorFile({ a, b }, { note: 'x' });
    tf.dispose([a, b]);
    return bytes;
  };
  const headerOf = (bytes: Uint8Array) => {
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    return { n, json: new TextDecoder().decode(bytes.subarray(8, 8 + n)) };
  };
  /** The file with its header text replaced (padded to the same length). */
  const withHeader = (bytes: Uint8Array, edit: (json: string) => string) => {
    const { n, json } = headerOf(bytes);
    const edited = edit(json.trimEnd());
    expect(edited.length).toBeLessThanOrEqual(n);
    const out = bytes.slice();
    out.set(new TextEncoder().encode(edited.padEnd(n, ' ')), 8);
    return out;
  };

  it('stores a CRC-32 per tensor (zlib checksum) in the metadata', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe('cbf43926'); // the standard check value
    const meta = JSON.parse(headerOf(encoded()).json).__metadata__;
    expect(JSON.parse(meta[CHECKSUM_KEY])).toEqual({
      a: crc32(new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer)),
      b: crc32(new Uint8Array(new Int32Array([5, 6]).buffer)),
    });
  });

  it('refuses a flipped byte in tensor data, naming the file and the tensor', async () => {
    await expectNoTensorLeak(() => {
      const bytes = encoded();
      bytes[bytes.length - 1]! ^= 0x01; // last byte of b
      expect(() => decodeTensorFile(bytes, 'run/best.safetensors')).toThrow(/^run\/best\.safetensors: tensor 'b': data damaged: CRC-32 [0-9a-f]{8}, the header records [0-9a-f]{8}$/);
      const err = (() => {
        try {
          decodeTensorFile(bytes, 'f');
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as CheckpointError).tensor).toBe('b');
    });
  });

  it('names the file and the tensor for each kind of damaged header, never a raw error', () => {
    const bytes = encoded();
    const cases: Array<[(json: string) => string, RegExp]> = [
      [(j) => j.replace('"F32"', '"F16"'), /^f: tensor 'a': dtype "F16"; expected F32 or I32/],
      [(j) => j.replace('"shape":[4]', '"shape":[5]'), /^f: tensor 'a': shape \[5\] needs 20 bytes, data_offsets give 16/],
      [(j) => j.replace('"shape":[4]', '"shape":"4"'), /^f: tensor 'a': shape "4" is not a list of sizes/],
      [(j) => j.replace('"data_offsets":[0,16]', '"data_offsets":16'), /^f: tensor 'a': data_offsets 16 are not \[begin, end\]/],
      [(j) => j.replace('"data_offsets":[0,16]', '"data_offsets":[0,9999]'), /^f: tensor 'a': ends at byte \d+, file has \d+/],
      [(j) => j.replace('{"dtype":"I32"', '{"dtypf":"I32"'), /^f: tensor 'b': dtype undefined/],
      [(j) => j.replace('"b":{', '"c":{'), /^f: not a readable checkpoint: the header lists no tensor 'b', which the checksums name/],
      [(j) => j.replace('{"__metadata__"', '["__metadata__"'), /^f: not a readable checkpoint: header is not JSON/],
      [() => '[1, 2]', /^f: not a readable checkpoint: header is not a JSON object/],
    ];
    for (const [edit, expected] of cases) {
      const damaged = withHeader(bytes, edit);
      expect(() => decodeTensorFile(damaged, 'f'), edit.toString()).toThrow(expected);
    }
    // a length field pointing past the end
    const long = bytes.slice();
    new DataView(long.buffer).setBigUint64(0, 1n << 40n, true);
    expect(() => decodeTensorFile(long, 'f')).toThrow(/^f: not a readable checkpoint: header of \d+ bytes announced/);
  });
});
