import * as tf from '@tensorflow/tfjs-core';
import { crc32, crc32Hex } from '../crc32';
import { SlotConfigError, describe } from '../errors';
import { INIT_SCHEMES, type InitScheme } from '../init';
import { createLayerRegistry } from '../layers/kinds';
import type { LayerSpec } from '../layers/LayerKind';
import type { LayerRegistry } from '../layers/LayerRegistry';
import { withZeroOption } from '../layers/SlotWeights';
import { isSlotLayer } from '../layers/WeightLayer';
import { drawNetworkOptions } from '../network/drawOptions';
import { Network } from '../network/Network';
import { planLayers, selectedLayerSpecs } from '../network/planLayers';
import type { PluginRegistry } from '../registry';
import { gatherOptions } from '../straightThrough';
import { noSharing, type WeightSharingPolicy } from '../weightSharing';
import { bitsPerIndex, packIndices, packedByteLength, unpackIndices } from './bitPacking';
import { CompactModelChecksumError, CompactModelCorruptedError, CompactModelError, CompactModelTruncatedError, CompactModelVersionError } from './compactModelErrors';

/**
 * The compact slot model format (docs/guide/compact-models.md has the byte table). Little-endian:
 *
 *     0      8  magic  89 53 4C 4F 54 0D 0A 1A  ("\x89SLOT\r\n\x1a", after PNG's signature)
 *     8      2  u16    format version (1)
 *     10     2  u16    reserved, 0
 *     12     4  u32    length of the whole file in bytes, CRC included
 *     16     4  u32    H: length of the header (UTF-8 JSON, padded with spaces so 20 + H is a multiple of 4)
 *     20     H  JSON   CompactModelHeader
 *     20+H   P  bytes  the sections the header lists (offsets from here, each 4-byte aligned)
 *     end-4  4  u32    CRC-32 of every byte before it
 */
export const COMPACT_MODEL_MAGIC: Uint8Array = new Uint8Array([0x89, 0x53, 0x4c, 0x4f, 0x54, 0x0d, 0x0a, 0x1a]);
/** The format version this code writes. */
export const COMPACT_MODEL_VERSION = 1;
/** The format versions this code reads. */
export const COMPACT_MODEL_VERSIONS: readonly number[] = [1];
/** The usual file name extension. */
export const COMPACT_MODEL_EXTENSION = '.slot';

const FIXED_BYTES = 20;
/** A section without its place in the payload. */
type SectionFields = CompactSection extends infer S ? (S extends CompactSection ? Omit<S, 'offset' | 'byteLength'> : never) : never;
const CRC_BYTES = 4;

/** One section of the payload. */
export type CompactSection =
  | {
      /** A slot layer's selected option per connection: `shape` (the weight shape S) indices packed in `bits` bits each. */
      readonly encoding: 'indices';
      /** The slot layer's name. */
      readonly name: string;
      readonly shape: readonly number[];
      /** ceil(log2 K). */
      readonly bits: number;
      /** From the payload's start. */
      readonly offset: number;
      readonly byteLength: number;
      /** CRC-32 (8 hex digits) of the selected weights `[...S]` as float32 little-endian bytes: what regeneration must give. */
      readonly weightCrc32: string;
    }
  | {
      /** Any other network variable (a learned weight, batch-norm running statistics) as float32 little-endian. */
      readonly encoding: 'float32';
      /** The variable's `namedVariables()` name, e.g. `dense_2/weight`, `batchNorm_1/movingMean`. */
      readonly name: string;
      readonly shape: readonly number[];
      readonly offset: number;
      readonly byteLength: number;
    };

/** The JSON header of a compact model: everything but the payload. */
export interface CompactModelHeader {
  /** The architecture and the option generator's seed, K, initialisation and zero option. */
  readonly network: {
    readonly inputShape: readonly number[];
    readonly layers: readonly LayerSpec[];
    readonly seed: number;
    readonly k: number;
    readonly init: InitScheme;
    readonly zeroOption: boolean;
  };
  /** The weight-sharing policy that drew the options (the rest of the option generator). */
  readonly sharing: { readonly id: string; readonly options: Readonly<Record<string, unknown>> };
  /** The strategy that trained the scores: informative only, the file holds its (argmax) choices. */
  readonly strategy: { readonly id: string; readonly options: Readonly<Record<string, unknown>> } | null;
  /** The payload's sections in layer order. */
  readonly sections: readonly CompactSection[];
  /** Bytes of the payload (sections and their alignment padding). */
  readonly payloadBytes: number;
  /** Whatever the writer added (the CLI: the dataset, the input normalisation and the run). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A compact model file, framing and checksum checked, payload not yet decoded. */
export interface CompactModelFile {
  readonly version: number;
  readonly header: CompactModelHeader;
  /** The payload bytes (a view into the file). */
  readonly payload: Uint8Array;
  readonly byteLength: number;
}

export interface EncodeCompactModelOptions {
  /** JSON stored in the header (e.g. how inputs are normalised). @default {} */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * The network's selected (test-time) network as a compact model: the option generator (seed, K,
 * init, zero option, sharing policy), the architecture, each slot layer's selected indices packed
 * in ceil(log2 K) bits with a CRC-32 of the weights they select, and every other variable (learned
 * weights, batch-norm statistics) as float32. Reads tensors synchronously; disposes what it makes.
 */
export function encodeCompactModel(network: Network, options: EncodeCompactModelOptions = {}): Uint8Array {
  const sections: CompactSection[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (section: SectionFields, bytes: Uint8Array) => {
    sections.push({ ...section, offset, byteLength: bytes.byteLength } as CompactSection);
    chunks.push(bytes);
    offset += align4(bytes.byteLength);
  };
  const bits = bitsPerIndex(network.config.k);
  for (const layer of network.layers) {
    const variables = Object.entries(layer.variables());
    if (isSlotLayer(layer)) {
      const [indices, weight] = [layer.source.selectedIndices(), layer.selectedWeight()];
      try {
        const weightCrc32 = crc32Hex(float32Bytes(weight.dataSync() as Float32Array));
        add({ encoding: 'indices', name: layer.name, shape: layer.weightShape, bits, weightCrc32 }, packIndices(indices.dataSync(), bits));
      } finally {
        tf.dispose([indices, weight]);
      }
    }
    for (const [short, v] of variables) {
      if (isSlotLayer(layer) && v === layer.source.scores) continue;
      if (v.dtype !== 'float32') throw new SlotConfigError(`${layer.name}/${short}`, 'a float32 variable (a compact model stores other variables as float32)', v.dtype);
      add({ encoding: 'float32', name: `${layer.name}/${short}`, shape: v.shape }, float32Bytes(v.dataSync() as Float32Array).slice());
    }
  }
  const { inputShape, layers, seed, k, init, zeroOption } = network.config;
  const header: CompactModelHeader = {
    network: { inputShape, layers, seed, k, init, zeroOption },
    sharing: { id: network.sharing.id, options: network.sharing.options ?? {} },
    strategy: network.strategy ? { id: network.strategy.id, options: network.strategy.options ?? {} } : null,
    sections,
    payloadBytes: offset,
    metadata: options.metadata ?? {},
  };
  let json = JSON.stringify(header);
  let headerBytes = new TextEncoder().encode(json);
  json += ' '.repeat(align4(FIXED_BYTES + headerBytes.byteLength) - FIXED_BYTES - headerBytes.byteLength);
  headerBytes = new TextEncoder().encode(json);

  const total = FIXED_BYTES + headerBytes.byteLength + offset + CRC_BYTES;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(COMPACT_MODEL_MAGIC, 0);
  view.setUint16(8, COMPACT_MODEL_VERSION, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, total, true);
  view.setUint32(16, headerBytes.byteLength, true);
  out.set(headerBytes, FIXED_BYTES);
  const payloadStart = FIXED_BYTES + headerBytes.byteLength;
  sections.forEach((s, i) => out.set(chunks[i]!, payloadStart + s.offset));
  view.setUint32(total - CRC_BYTES, crc32(out.subarray(0, total - CRC_BYTES)), true);
  return out;
}

/**
 * Checks a compact model's framing (magic, version, length, CRC-32) and parses its header; decodes
 * no tensor. Throws `CompactModelTruncatedError`, `CompactModelCorruptedError`,
 * `CompactModelVersionError`, or a `CompactModelError` for a file that is not a compact model.
 * `source` names the file in messages.
 */
export function readCompactModel(bytes: Uint8Array, source = 'compact model'): CompactModelFile {
  if (!(bytes instanceof Uint8Array)) throw new SlotConfigError('bytes', 'a Uint8Array', typeof bytes);
  const start = bytes.subarray(0, COMPACT_MODEL_MAGIC.length);
  if (!COMPACT_MODEL_MAGIC.every((b, i) => start[i] === b)) {
    if (start.length < COMPACT_MODEL_MAGIC.length && COMPACT_MODEL_MAGIC.subarray(0, start.length).every((b, i) => start[i] === b)) {
      throw new CompactModelTruncatedError(source, bytes.byteLength, FIXED_BYTES + CRC_BYTES);
    }
    throw new CompactModelError(source, `not a compact slot model: it starts with ${hex(start)}, a compact model with ${hex(COMPACT_MODEL_MAGIC)}`);
  }
  if (bytes.byteLength < FIXED_BYTES) throw new CompactModelTruncatedError(source, bytes.byteLength, FIXED_BYTES + CRC_BYTES);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8, true);
  if (!COMPACT_MODEL_VERSIONS.includes(version)) throw new CompactModelVersionError(source, version, COMPACT_MODEL_VERSIONS);
  const total = view.getUint32(12, true);
  if (bytes.byteLength < total) throw new CompactModelTruncatedError(source, bytes.byteLength, total);
  if (bytes.byteLength > total) throw new CompactModelCorruptedError(source, `${bytes.byteLength} bytes, but its header gives a length of ${total}`);
  const headerLength = view.getUint32(16, true);
  if (total < FIXED_BYTES + CRC_BYTES || headerLength > total - FIXED_BYTES - CRC_BYTES) {
    throw new CompactModelCorruptedError(source, `a header of ${headerLength} bytes does not fit in a file of ${total}`);
  }
  const stored = view.getUint32(total - CRC_BYTES, true);
  const actual = crc32(bytes.subarray(0, total - CRC_BYTES));
  if (stored !== actual) throw new CompactModelCorruptedError(source, `CRC-32 of the file is ${hex32(actual)}, its last 4 bytes record ${hex32(stored)}`);

  let header: CompactModelHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(FIXED_BYTES, FIXED_BYTES + headerLength))) as CompactModelHeader;
  } catch (e) {
    throw new CompactModelCorruptedError(source, `the header is not UTF-8 JSON (${(e as Error).message})`);
  }
  const payload = bytes.subarray(FIXED_BYTES + headerLength, total - CRC_BYTES);
  checkHeader(header, payload.byteLength, source);
  return { version, header, payload, byteLength: total };
}

export interface LoadCompactModelOptions {
  /** Names the file in error messages. @default 'compact model' */
  readonly source?: string;
  /** Turns the stored weight-sharing id back into a policy. Not needed for `none` (core's own). */
  readonly registry?: PluginRegistry;
  /** The layer kinds the architecture may use. @default createLayerRegistry() (core's kinds) */
  readonly layerKinds?: LayerRegistry;
  /** Whether the weights of the rebuilt network are trainable (to finetune it). @default false */
  readonly trainable?: boolean;
}

/** A loaded compact model: the selected network and the file's header. */
export interface LoadedCompactModel {
  /** The selected network as an ordinary network (what `Network.extract()` gives). The caller disposes it. */
  readonly network: Network;
  readonly header: CompactModelHeader;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * Rebuilds the selected network of a compact model: regenerates every slot layer's K options
 * from the stored seed and generator, takes the stored option of each connection, checks the
 * weights against the stored CRC-32 (`CompactModelChecksumError` when they differ), and restores
 * every other variable. The same on every backend: options are drawn in JavaScript. Framing
 * errors as `readCompactModel`. The caller owns the returned network.
 */
export function loadCompactModel(bytes: Uint8Array, options: LoadCompactModelOptions = {}): LoadedCompactModel {
  const source = options.source ?? 'compact model';
  const { header, payload } = readCompactModel(bytes, source);
  const { network: config } = header;
  const layerKinds = options.layerKinds ?? createLayerRegistry();
  const plans = rethrow(source, 'its architecture does not build here', () => planLayers(config.inputShape, config.layers, layerKinds));
  const sharing = sharingPolicy(header, options.registry, source);

  const sections = new Map(header.sections.map((s) => [s.name, s]));
  const slotPlans = plans.filter((p) => p.kind.weight?.source === 'slot');
  const bits = bitsPerIndex(config.k);
  // check and unpack every section before drawing any option
  const chosen = new Map<string, { section: Extract<CompactSection, { encoding: 'indices' }>; indices: Int32Array }>();
  for (const plan of slotPlans) {
    const s = sections.get(plan.name);
    if (!s || s.encoding !== 'indices') throw new CompactModelCorruptedError(source, `no 'indices' section for slot layer '${plan.name}'`);
    if (!sameShape(s.shape, plan.weightShape!)) throw new CompactModelCorruptedError(source, `section '${s.name}': shape [${s.shape.join(', ')}], the layer's weight is [${plan.weightShape!.join(', ')}]`);
    if (s.bits !== bits) throw new CompactModelCorruptedError(source, `section '${s.name}': ${s.bits} bits per index, K = ${config.k} takes ${bits}`);
    const indices = unpackIndices(payload.subarray(s.offset, s.offset + s.byteLength), size(s.shape), bits);
    const bad = indices.findIndex((i) => i >= config.k);
    if (bad >= 0) throw new CompactModelCorruptedError(source, `section '${s.name}': index ${indices[bad]} at connection ${bad}, K = ${config.k}`);
    chosen.set(plan.name, { section: s, indices });
  }

  const initial: Record<string, tf.Tensor> = {};
  // regenerate the options of every slot layer at once (a sharing policy may draw across layers)
  const drawn = rethrow(source, 'its options could not be regenerated', () => drawNetworkOptions(plans, config, sharing));
  try {
    const generator = `seed ${config.seed}, K ${config.k}, init '${config.init}'${config.zeroOption ? ', zero option' : ''}, sharing '${header.sharing.id}'`;
    for (const plan of slotPlans) {
      const { section, indices } = chosen.get(plan.name)!;
      const drawnOptions = drawn.get(plan.name)!;
      const weight = tf.tidy(() => gatherOptions(config.zeroOption ? withZeroOption(drawnOptions) : drawnOptions, tf.tensor(indices, section.shape as number[], 'int32')));
      drawnOptions.dispose();
      initial[`${plan.name}/weight`] = weight;
      const actual = crc32Hex(float32Bytes(weight.dataSync() as Float32Array));
      if (actual !== section.weightCrc32) throw new CompactModelChecksumError(source, plan.name, section.weightCrc32, actual, generator);
    }
    for (const s of header.sections) {
      if (s.encoding === 'float32') initial[s.name] = tf.tensor(readFloat32(payload, s.offset, size(s.shape)), s.shape as number[], 'float32');
    }
    const network = rethrow(source, 'its variables do not fit its architecture', () =>
      new Network({
        ...config,
        layers: selectedLayerSpecs(plans),
        layerKinds,
        initialVariables: initial,
        trainableWeights: options.trainable ?? false,
      }),
    );
    const missing = Object.keys(network.namedVariables()).filter((n) => !(n in initial));
    const unused = Object.keys(initial).filter((n) => !(n in network.namedVariables()));
    if (missing.length || unused.length) {
      network.dispose();
      throw new CompactModelCorruptedError(
        source,
        [missing.length ? `no values for ${missing.join(', ')}` : '', unused.length ? `sections for no variable of the network: ${unused.join(', ')}` : ''].filter(Boolean).join('; '),
      );
    }
    return { network, header, metadata: header.metadata };
  } finally {
    tf.dispose([...drawn.values(), ...Object.values(initial)].filter((t) => !t.isDisposed));
  }
}

/** The bytes of a compact model by part: `header` the fixed fields, the JSON and the CRC; `indices` the packed choices; `float32` the other variables. */
export function compactModelSize(bytes: Uint8Array): { total: number; header: number; indices: number; float32: number } {
  const { header, byteLength } = readCompactModel(bytes);
  const sum = (e: CompactSection['encoding']) => header.sections.filter((s) => s.encoding === e).reduce((n, s) => n + s.byteLength, 0);
  return { total: byteLength, header: byteLength - header.payloadBytes, indices: sum('indices'), float32: sum('float32') };
}

function sharingPolicy(header: CompactModelHeader, registry: PluginRegistry | undefined, source: string): WeightSharingPolicy {
  if (header.sharing.id === noSharing.id && !registry?.sharingIds().includes(noSharing.id)) return noSharing;
  if (!registry) {
    throw new CompactModelError(source, `its options were drawn by the weight-sharing policy '${header.sharing.id}': pass a registry that has it (options.registry)`);
  }
  return rethrow(source, 'its weight-sharing policy is not available', () => registry.createSharing(header.sharing));
}

/** Validates what the header says about the payload, so decoding cannot read out of bounds. */
function checkHeader(header: CompactModelHeader, payloadBytes: number, source: string): void {
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new CompactModelCorruptedError(source, `header.${field}: expected ${expected}, got ${describe(got)}`);
  };
  if (header == null || typeof header !== 'object') bad('', 'an object', header);
  const n = header.network;
  if (n == null || typeof n !== 'object') bad('network', 'an object', n);
  if (!Number.isInteger(n.k) || n.k < 1) bad('network.k', 'an integer >= 1', n.k);
  if (!Number.isInteger(n.seed) || n.seed < 0) bad('network.seed', 'an integer >= 0', n.seed);
  if (!INIT_SCHEMES.includes(n.init)) bad('network.init', `one of ${INIT_SCHEMES.join(', ')}`, n.init);
  if (typeof n.zeroOption !== 'boolean') bad('network.zeroOption', 'true or false', n.zeroOption);
  if (!header.sharing || typeof header.sharing.id !== 'string') bad('sharing.id', 'a string', header.sharing);
  if (header.payloadBytes !== payloadBytes) bad('payloadBytes', `${payloadBytes} (the payload's length)`, header.payloadBytes);
  if (!Array.isArray(header.sections)) bad('sections', 'an array', header.sections);
  header.sections.forEach((s, i) => {
    const f = `sections[${i}]`;
    if (typeof s?.name !== 'string') bad(`${f}.name`, 'a string', s?.name);
    if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`${f}.shape`, 'an array of integers >= 0', s.shape);
    if (!Number.isInteger(s.offset) || s.offset < 0 || s.offset % 4 !== 0) bad(`${f}.offset`, 'a multiple of 4 >= 0', s.offset);
    const expected = s.encoding === 'indices' ? packedByteLength(size(s.shape), s.bits) : s.encoding === 'float32' ? 4 * size(s.shape) : bad(`${f}.encoding`, "'indices' or 'float32'", (s as { encoding: unknown }).encoding);
    if (s.encoding === 'indices' && !(Number.isInteger(s.bits) && s.bits >= 0 && s.bits <= 24)) bad(`${f}.bits`, 'an integer in [0, 24]', s.bits);
    if (s.byteLength !== expected) bad(`${f}.byteLength`, `${expected} for its shape`, s.byteLength);
    if (s.offset + s.byteLength > payloadBytes) bad(`${f}.offset`, `a section inside the ${payloadBytes}-byte payload`, s.offset);
  });
  if (typeof header.metadata !== 'object' || header.metadata === null) bad('metadata', 'an object', header.metadata);
}

function rethrow<T>(source: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CompactModelError) throw e;
    throw new CompactModelError(source, `${what}: ${(e as Error).message}`);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** float32 values as little-endian bytes (a view on little-endian machines, a copy otherwise). */
function float32Bytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

function readFloat32(payload: Uint8Array, offset: number, count: number): Float32Array {
  const bytes = payload.slice(offset, offset + 4 * count);
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer, 0, count);
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true));
}

const align4 = (n: number) => Math.ceil(n / 4) * 4;
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const hex = (b: Uint8Array) => (b.length ? Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ') : 'nothing (an empty file)');
const hex32 = (n: number) => n.toString(16).padStart(8, '0');
