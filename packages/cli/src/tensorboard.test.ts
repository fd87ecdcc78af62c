import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, checksums } from './faults.test-helpers';

/** Reads a protobuf message into its fields: number -> list of (varint | bytes | fixed32/64 bytes). */
function fields(buf: Buffer): Map<number, Array<bigint | Buffer>> {
  const out = new Map<number, Array<bigint | Buffer>>();
  let at = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >> 3, key & 7];
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const n = Number(varint());
      value = buf.subarray(at, at + n);
      at += n;
    } else if (wire === 5) value = buf.subarray(at, (at += 4));
    else if (wire === 1) value = buf.subarray(at, (at += 8));
    else throw new Error(`wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

/** The (tag, step, values) of every summary value in a TFRecord file of `Event` protos. */
function readEvents(path: string): Array<{ tag: string; step: number; values: number[] }> {
  const bytes = readFileSync(path);
  const out: Array<{ tag: string; step: number; values: number[] }> = [];
  for (let at = 0; at < bytes.length; ) {
    const length = Number(bytes.readBigUInt64LE(at));
    const event = fields(bytes.subarray(at + 12, at + 12 + length)); // 8 length + 4 crc, data, 4 crc
    at += 12 + length + 4;
    const step = Number((event.get(2)?.[0] as bigint | undefined) ?? 0n);
    for (const summary of (event.get(5) ?? []) as Buffer[]) {
      for (const value of (fields(summary).get(1) ?? []) as Buffer[]) {
        const v = fields(value);
        const tag = (v.get(1)![0] as Buffer).toString('utf8');
        const values: number[] = [];
        if (v.get(2)) values.push((v.get(2)![0] as Buffer).readFloatLE(0)); // simple_value
        const tensor = v.get(8)?.[0] as Buffer | undefined; // TensorProto
        if (tensor) {
          const t = fields(tensor);
          const dtype = Number(t.get(1)?.[0] ?? 0n); // 1 float, 2 double
          const content = t.get(4)?.[0] as Buffer | undefined;
          const packed = (t.get(dtype === 2 ? 6 : 5) ?? []) as Array<Buffer | bigint>;
          const width = dtype === 2 ? 8 : 4;
          const read = (b: Buffer) => Array.from({ length: b.length / width }, (_, i) => (width === 8 ? b.readDoubleLE(i * width) : b.readFloatLE(i * width)));
          if (content) values.push(...read(content));
          for (const p of packed) if (Buffer.isBuffer(p)) values.push(...read(p));
        }
        out.push({ tag, step, values });
      }
    }
  }
  return out;
}

describe('--tensorboard', () => {
  it.runIf(process.env.SM_TENSORFLOW_AVAILABLE === '1')('writes event files each epoch that read back to the metrics, with histograms of scores and selected weights', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sm-tb-'));
    const r = cli(['train', '--k', '2', '--epochs', '2', '--train-subset', '640', '--out', join(root, 'run'), '--tensorboard', join(root, 'tb')], { backend: 'tensorflow' });
    expect(r.status, r.all).toBe(0);
    const files = readdirSync(join(root, 'tb')).filter((f) => f.startsWith('events.out.tfevents'));
    expect(files).toHaveLength(1);
    const events = readEvents(join(root, 'tb', files[0]!));
    const metrics = readFileSync(join(root, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    for (const [tag, key] of [['accuracy/test', 'testAccuracy'], ['loss/train', 'trainLoss'], ['learning_rate', 'learningRate'], ['selection_change', 'selectionChange']] as const) {
      const points = events.filter((e) => e.tag === tag);
      expect(points.map((p) => p.step), tag).toEqual([1, 2]);
      points.forEach((p, i) => expect(p.values[0], `${tag} at epoch ${i + 1}`).toBeCloseTo(metrics[i][key], 5));
    }
    // histograms: [buckets, 3] of (left, right, count); counts add up to the tensor's size
    const scores = events.filter((e) => e.tag === 'scores/slotDense_2');
    expect(scores.map((e) => e.step)).toEqual([1, 2]);
    const count = (values: number[]) => values.filter((_, i) => i % 3 === 2).reduce((a, b) => a + b, 0);
    expect(count(scores[0]!.values)).toBe(100 * 10 * 2);
    const selected = events.filter((e) => e.tag === 'selected_weights/slotDense_0');
    expect(selected).toHaveLength(2);
    expect(count(selected[0]!.values)).toBe(784 * 300);
  }, 120_000);

  it('on another backend: exit 2, says it needs the native one, writes nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sm-tb-'));
    const before = checksums(root);
    const r = cli(['train', '--k', '2', '--epochs', '1', '--out', join(root, 'run'), '--tensorboard', join(root, 'tb')], { backend: 'wasm' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--tensorboard needs the native backend \(tensorflow\), this run uses wasm/);
    expect(existsSync(join(root, 'run'))).toBe(false);
    expect(checksums(root)).toEqual(before);
  });
});
