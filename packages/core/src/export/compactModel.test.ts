import * as tf from '@tensorflow/tfjs-core';
import { expectNoTensorLeak } from '@slot-machines/test-utils';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from '../crc32';
import { deriveSeed } from '../seeds';
import { seededUniform } from '../init';
import { createNetwork } from '../network/Network';
import type { NetworkOptions } from '../network/NetworkConfig';
import { createRegistry } from '../registry';
import { argmaxStrategy } from '../testStrategies.test-helpers';
import type { WeightSharingPolicy } from '../weightSharing';
import { noSharing } from '../weightSharing';
import { compactModelSize, encodeCompactModel, loadCompactModel, readCompactModel } from './compactModel';
import { CompactModelChecksumError, CompactModelCorruptedError, CompactModelError, CompactModelTruncatedError, CompactModelVersionError } from './compactModelErrors';

// slot and learned weight layers, batch-norm state, pooling, dropout; K = 5 takes 3 bits, not a power of two
const mixed: NetworkOptions = {
  inputShape: [6, 6, 2],
  layers: [
    { type: 'slotConv2d', filters: 3 },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'maxPool2d' },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.5 },
    { type: 'slotDense', units: 7 },
    { type: 'relu' },
    { type: 'dense', units: 4 },
  ],
  k: 5,
  seed: 11,
  strategy: argmaxStrategy,
};

/** A network as after training: scores far from their initial draw, batch-norm statistics moved. */
function trained(options: NetworkOptions) {
  const net = createNetwork(options);
  tf.tidy(() => {
    for (const [name, v] of Object.entries(net.namedVariables())) {
      v.assign(name.endsWith('movingVariance') ? tf.randomUniform(v.shape, 0.5, 2, 'float32', 3) : tf.randomNormal(v.shape, 0, 1, 'float32', name.length));
    }
  });
  return net;
}

const bitsEqual = (a: tf.Tensor, b: tf.Tensor) => crc32Hex(new Uint8Array(a.dataSync().buffer.slice(0))) === crc32Hex(new Uint8Array(b.dataSync().buffer.slice(0)));

describe('compact slot models', () => {
  it('rebuild the selected network bit for bit: the same weights, statistics and outputs as extract()', () => {
    const net = trained(mixed);
    const extracted = net.extract();
    const bytes = encodeCompactModel(net, { metadata: { note: 'test' } });
    const { network, metadata } = loadCompactModel(bytes, { source: 'mixed.slot' });
    expect(metadata).toEqual({ note: 'test' });
    const want = extracted.namedVariables();
    const got = network.namedVariables();
    expect(Object.keys(got)).toEqual(Object.keys(want));
    for (const name of Object.keys(want)) {
      expect(got[name]!.shape, name).toEqual(want[name]!.shape);
      expect(bitsEqual(got[name]!, want[name]!), name).toBe(true);
    }
    const x = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 5);
    const [a, b] = [extracted.apply(x), network.apply(x)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    network.dispose();
    extracted.dispose();
    net.dispose();
  });

  it('pack every index in ceil(log2 K) bits and learned weights as float32', () => {
    const net = trained(mixed);
    const bytes = encodeCompactModel(net);
    const size = compactModelSize(bytes);
    const { header } = readCompactModel(bytes);
    // slotConv2d 3x3x2x3 = 54 and slotDense 27x7 = 189 connections, 3 bits each
    expect(header.sections.filter((s) => s.encoding === 'indices').map((s) => s.byteLength)).toEqual([Math.ceil((54 * 3) / 8), Math.ceil((189 * 3) / 8)]);
    // batch norm's two statistics of 3 channels and the learned dense weight 7x4
    expect(size.float32).toBe(4 * (3 + 3 + 28));
    expect(size.total).toBe(bytes.byteLength);
    net.dispose();
  });

  it('regenerate the same options on every backend (golden checksums, same on cpu, wasm and native)', () => {
    // the options, the initial scores (hence these argmax choices) are drawn in JavaScript from the seed:
    // these checksums were computed once and must hold on every backend and machine
    const net = createNetwork({ inputShape: [12], layers: [{ type: 'slotDense', units: 10 }, { type: 'relu' }, { type: 'slotDense', units: 3 }], k: 8, seed: 2024, strategy: argmaxStrategy });
    const { header } = readCompactModel(encodeCompactModel(net));
    expect(header.sections.map((s) => (s.encoding === 'indices' ? s.weightCrc32 : null))).toEqual(GOLDEN_WEIGHT_CRCS);
    const { network } = loadCompactModel(encodeCompactModel(net));
    network.dispose();
    net.dispose();
  });

  it('support the zero option: index K-1 selects an exact 0', () => {
    const net = trained({ ...mixed, k: 4, zeroOption: true });
    const layer = net.slotLayers[1]!;
    // make a third of the dense connections pick the zero option
    tf.tidy(() => {
      const bonus = tf.mul(tf.reshape(tf.oneHot(tf.fill([layer.weightShape.reduce((a, b) => a * b)], 3, 'int32'), 4), layer.source.scores.shape), 100);
      const mask = tf.cast(tf.less(tf.randomUniform([...layer.weightShape, 1], 0, 1, 'float32', 9), 1 / 3), 'float32');
      layer.source.scores.assign(tf.add(layer.source.scores, tf.mul(bonus, mask)));
    });
    const { network } = loadCompactModel(encodeCompactModel(net));
    const w = network.namedVariables()[`${layer.name}/weight`]!;
    const zeros = Array.from(w.dataSync()).filter((v) => Object.is(v, 0)).length;
    expect(zeros).toBe(net.sparsity().zero - zeroChoices(net, 0));
    expect(zeros).toBeGreaterThan(0);
    network.dispose();
    net.dispose();
  });

  it('regenerate options through the weight-sharing policy the registry gives', () => {
    const shared: WeightSharingPolicy = {
      id: 'test-layer-shared',
      options: {},
      createOptions: (requests, ctx) => requests.map((r) => seededUniform([ctx.k], -r.bound, r.bound, deriveSeed(ctx.seed, 'test-shared', r.layerIndex))),
    };
    const net = trained({ ...mixed, sharing: shared });
    const extracted = net.extract();
    const bytes = encodeCompactModel(net);
    expect(() => loadCompactModel(bytes, { source: 'shared.slot' })).toThrow(/shared.slot: its options were drawn by the weight-sharing policy 'test-layer-shared': pass a registry/);
    const { network } = loadCompactModel(bytes, { registry: createRegistry().registerSharing('test-layer-shared', () => shared) });
    const name = `${net.slotLayers[0]!.name}/weight`;
    expect(bitsEqual(network.namedVariables()[name]!, extracted.namedVariables()[name]!)).toBe(true);
    network.dispose();
    extracted.dispose();
    net.dispose();
  });

  it('refuse weights that do not regenerate: CompactModelChecksumError names the layer and both checksums', () => {
    const net = trained(mixed);
    const bytes = encodeCompactModel(net);
    // another option generator under the same id, as another version of a sharing plugin would be
    const other: WeightSharingPolicy = { id: 'none', createOptions: (requests, ctx) => requests.map((r) => seededUniform(r.shape, -r.bound, r.bound, deriveSeed(ctx.seed, 'other', r.layerIndex))) };
    const before = tf.memory().numTensors;
    const error = catchError(() => loadCompactModel(bytes, { source: 'm.slot', registry: createRegistry().registerSharing('none', () => other) }));
    expect(tf.memory().numTensors).toBe(before);
    expect(error).toBeInstanceOf(CompactModelChecksumError);
    const { header } = readCompactModel(bytes);
    const first = header.sections[0]!;
    expect(error.message).toContain(`m.slot: layer '${first.name}'`);
    expect(error.message).toContain(`the file records ${first.encoding === 'indices' ? first.weightCrc32 : ''}`);
    expect(error.message).toContain("seed 11, K 5, init 'paper', sharing 'none'");
    // core's own generator still loads it
    loadCompactModel(bytes, { registry: createRegistry().registerSharing('none', () => noSharing) }).network.dispose();
    net.dispose();
  });

  it('name a truncated, a corrupted, a foreign file and an unknown version', () => {
    const net = trained(mixed);
    const bytes = encodeCompactModel(net);
    net.dispose();
    for (const cut of [0, 5, 19, 100, bytes.byteLength - 1]) {
      const error = catchError(() => loadCompactModel(bytes.slice(0, cut), { source: 'm.slot' }));
      expect(error, `cut at ${cut}`).toBeInstanceOf(CompactModelTruncatedError);
      expect(error.message).toBe(`m.slot: truncated: ${cut} bytes, expected ${cut < 20 ? 24 : bytes.byteLength}`);
    }
    for (const at of [30, bytes.byteLength - 40, bytes.byteLength - 2]) {
      const damaged = bytes.slice();
      damaged[at]! ^= 0x10;
      const error = catchError(() => loadCompactModel(damaged, { source: 'm.slot' }));
      expect(error, `byte ${at}`).toBeInstanceOf(CompactModelCorruptedError);
      expect(error.message).toMatch(/^m.slot: corrupted: CRC-32 of the file is [0-9a-f]{8}, its last 4 bytes record [0-9a-f]{8}$/);
    }
    const longer = new Uint8Array(bytes.byteLength + 3);
    longer.set(bytes);
    expect(() => loadCompactModel(longer, { source: 'm.slot' })).toThrow(CompactModelCorruptedError);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint16(8, 2, true);
    const error = catchError(() => loadCompactModel(newer, { source: 'm.slot' }));
    expect(error).toBeInstanceOf(CompactModelVersionError);
    expect(error.message).toBe('m.slot: compact model format version 2; this reader knows version 1 (a newer @slot-machines/core may read it)');
    const json = new TextEncoder().encode('{"modelTopology": {}}');
    expect(() => loadCompactModel(json, { source: 'model.json' })).toThrow(/^model.json: not a compact slot model: it starts with 7b 22 6d 6f 64 65 6c 54, a compact model with 89 53 4c 4f 54 0d 0a 1a$/);
    expect(catchError(() => loadCompactModel(json))).toBeInstanceOf(CompactModelError);
  });

  it('refuse a header that lies about the payload, even with a valid CRC', () => {
    const net = trained(mixed);
    const { header } = readCompactModel(encodeCompactModel(net));
    net.dispose();
    const lying = { ...header, sections: header.sections.map((s, i) => (i === 0 ? { ...s, byteLength: s.byteLength + 4 } : s)) };
    expect(() => loadCompactModel(frame(lying, new Uint8Array(header.payloadBytes)), { source: 'm.slot' })).toThrow(
      /^m.slot: corrupted: header.sections\[0\].byteLength: expected 21 for its shape, got 25$/,
    );
  });

  it('leak no tensor', async () => {
    const net = trained(mixed);
    await expectNoTensorLeak(() => {
      loadCompactModel(encodeCompactModel(net)).network.dispose();
    });
    net.dispose();
  });
});

/** Filled in from a first run on the cpu backend; every backend must reproduce them. */
const GOLDEN_WEIGHT_CRCS = ['0b56f96d', '833a1dfa'];

function zeroChoices(net: ReturnType<typeof createNetwork>, layer: number): number {
  const source = net.slotLayers[layer]!.source;
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(source.selectedIndices(), source.k - 1), 'int32')).dataSync()[0]!);
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** A file around `header` and `payload` with correct framing and CRC (what a buggy writer could produce). */
function frame(header: object, payload: Uint8Array): Uint8Array {
  let json = JSON.stringify(header);
  while ((20 + json.length) % 4) json += ' ';
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(20 + h.byteLength + payload.byteLength + 4);
  const view = new DataView(out.buffer);
  out.set([0x89, 0x53, 0x4c, 0x4f, 0x54, 0x0d, 0x0a, 0x1a]);
  view.setUint16(8, 1, true);
  view.setUint32(12, out.byteLength, true);
  view.setUint32(16, h.byteLength, true);
  out.set(h, 20);
  out.set(payload, 20 + h.byteLength);
  view.setUint32(out.byteLength - 4, crc32(out.subarray(0, out.byteLength - 4)), true);
  return out;
}
