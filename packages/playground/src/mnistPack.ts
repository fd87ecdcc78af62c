import { createImageDataset, type ImageDataset } from '@slot-machines/datasets';

/**
 * The demo's MNIST asset, before gzip: one small header, then the raw bytes, nothing converted.
 *
 * | offset | bytes | field |
 * |---|---|---|
 * | 0 | 4 | magic `SMMN` |
 * | 4 | 4 | format version (u32 little-endian), 1 |
 * | 8 | 4 | training images n |
 * | 12 | 4 | test images m |
 * | 16 | 4 | image height |
 * | 20 | 4 | image width |
 * | 24 | n·h·w | training images, uint8, row-major (as in the IDX file) |
 * | … | n | training labels, uint8 |
 * | … | m·h·w | test images |
 * | … | m | test labels |
 */
export const MNIST_PACK_MAGIC = 'SMMN';
export const MNIST_PACK_VERSION = 1;
const HEADER_BYTES = 24;

/** What the pack holds: the training rows `[0, trainCount)` of MNIST's training file and its whole test file. */
export interface MnistPackParts {
  readonly height: number;
  readonly width: number;
  readonly trainImages: Uint8Array;
  readonly trainLabels: Uint8Array;
  readonly testImages: Uint8Array;
  readonly testLabels: Uint8Array;
}

/** Encodes the parts into one uncompressed pack (see the layout above). Memory: one fresh array. */
export function encodeMnistPack(parts: MnistPackParts): Uint8Array {
  const pixels = parts.height * parts.width;
  const trainCount = parts.trainLabels.length;
  const testCount = parts.testLabels.length;
  if (parts.trainImages.length !== trainCount * pixels || parts.testImages.length !== testCount * pixels) {
    throw new Error(`encodeMnistPack: image bytes do not match ${trainCount} + ${testCount} labels of ${parts.height}x${parts.width} images`);
  }
  const out = new Uint8Array(HEADER_BYTES + (trainCount + testCount) * (pixels + 1));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MNIST_PACK_MAGIC.charCodeAt(i);
  view.setUint32(4, MNIST_PACK_VERSION, true);
  view.setUint32(8, trainCount, true);
  view.setUint32(12, testCount, true);
  view.setUint32(16, parts.height, true);
  view.setUint32(20, parts.width, true);
  let offset = HEADER_BYTES;
  for (const part of [parts.trainImages, parts.trainLabels, parts.testImages, parts.testLabels]) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Reads a pack (uncompressed) as an `ImageDataset` named `mnist`. The arrays are views into `bytes`
 * (no copy); labels are checked. Memory: no tensors.
 *
 * @throws Error naming what is wrong: not a pack, another version, or a truncated file.
 */
export function decodeMnistPack(bytes: Uint8Array, source = 'the MNIST pack'): ImageDataset {
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 4)) !== MNIST_PACK_MAGIC) {
    throw new Error(`${source}: not an MNIST pack (expected the magic '${MNIST_PACK_MAGIC}' in the first 4 of at least ${HEADER_BYTES} bytes)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MNIST_PACK_VERSION) throw new Error(`${source}: pack format version ${version}; this demo reads version ${MNIST_PACK_VERSION}`);
  const trainCount = view.getUint32(8, true);
  const testCount = view.getUint32(12, true);
  const height = view.getUint32(16, true);
  const width = view.getUint32(20, true);
  const pixels = height * width;
  const expected = HEADER_BYTES + (trainCount + testCount) * (pixels + 1);
  if (bytes.length !== expected) {
    throw new Error(`${source}: ${bytes.length} bytes, expected ${expected} for ${trainCount} + ${testCount} images of ${height}x${width} (truncated download?)`);
  }
  let offset = HEADER_BYTES;
  const take = (length: number): Uint8Array => {
    const part = bytes.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  const trainImages = take(trainCount * pixels);
  const trainLabels = take(trainCount);
  const testImages = take(testCount * pixels);
  const testLabels = take(testCount);
  return createImageDataset({
    name: 'mnist',
    imageShape: [height, width, 1],
    numClasses: 10,
    trainImages,
    trainLabels,
    testImages,
    testLabels,
    sources: { trainImages: `${source} (training images)`, trainLabels: `${source} (training labels)`, testImages: `${source} (test images)`, testLabels: `${source} (test labels)` },
  });
}
