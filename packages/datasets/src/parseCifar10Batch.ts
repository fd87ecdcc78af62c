import { DatasetError } from './DatasetError';

/** Bytes per CIFAR-10 binary record: 1 label byte + 32x32x3 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 3073;
const PLANE = 1024;

/** Images and labels decoded from one CIFAR-10 binary batch. */
export interface Cifar10Batch {
  /** NHWC `[count, 32, 32, 3]` row-major, raw 0..255. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/**
 * Decodes a CIFAR-10 binary batch (`data_batch_N.bin`, `test_batch.bin`): records of 1 label byte
 * then 3072 bytes, 1024 red then 1024 green then 1024 blue, each plane 32x32 row-major. The planes
 * are interleaved into NHWC so `images[((i * 32 + y) * 32 + x) * 3 + c]` is channel `c` of pixel
 * (y, x) of image `i`. `source` names the file in errors.
 *
 * Pure: no I/O. Memory: returns fresh typed arrays; no tensors.
 *
 * @throws DatasetError `empty` for 0 bytes, `truncated` when the size is not a multiple of 3073, `bad-label` for a label > 9.
 */
export function parseCifar10Batch(bytes: Uint8Array, source = 'CIFAR-10 batch'): Cifar10Batch {
  if (bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
    throw new DatasetError(
      'truncated',
      source,
      `size ${bytes.length} bytes is not a multiple of the ${CIFAR10_RECORD_BYTES}-byte record (1 label + 3072 pixels): ` +
        `${whole} whole records and ${bytes.length - whole * CIFAR10_RECORD_BYTES} bytes left over`,
    );
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  if (count === 0) throw new DatasetError('empty', source, `0 bytes: no records (a CIFAR-10 batch holds ${CIFAR10_RECORD_BYTES}-byte records)`);
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR10_RECORD_BYTES;
    const label = bytes[at]!;
    if (label > 9) {
      throw new DatasetError('bad-label', source, `record ${r} (byte ${at}) has label ${label}, expected 0..9`);
    }
    labels[r] = label;
    const out = r * 3 * PLANE;
    const red = at + 1;
    for (let p = 0; p < PLANE; p++) {
      const o = out + 3 * p;
      images[o] = bytes[red + p]!;
      images[o + 1] = bytes[red + PLANE + p]!;
      images[o + 2] = bytes[red + 2 * PLANE + p]!;
    }
  }
  return { images, labels, count };
}
