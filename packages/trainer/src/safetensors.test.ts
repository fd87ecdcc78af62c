import * as tf from '@tensorflow/tfjs-core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { decodeTensorFile, encodeTensorFile } from './safetensors';

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
      /^run\/last\.safetensors: not a readable checkpoint: tensor 'a' ends at byte \d+, file has \d+ \(truncated\?\)$/,
    );
    expect(() => decodeTensorFile(new Uint8Array(4), 'f')).toThrow('f: not a readable checkpoint: 4 bytes, shorter than the 8-byte header length');
    expect(() => decodeTensorFile(new TextEncoder().encode('{"hello": 1}'), 'g')).toThrow(/^g: not a readable checkpoint: header of \d+ bytes announced/);
  });
});
