import { validate } from './DatasetError';

/**
 * How raw 0..255 pixels become network inputs (a JSON-serialisable config):
 * - `scale`: `x / 255`, in [0, 1];
 * - `standardize`: `(x / 255 - mean[c]) / std[c]` per channel `c` (one value broadcasts to all channels).
 */
export type Normalization =
  | { readonly kind: 'scale' }
  | { readonly kind: 'standardize'; readonly mean: readonly number[]; readonly std: readonly number[] };

/** Pixels to [0, 1]: the default, and the spec's MNIST input. */
export const UNIT_SCALE: Normalization = { kind: 'scale' };
/** MNIST's usual mean/std standardisation (mean 0.1307, std 0.3081 of the [0, 1] pixels). */
export const MNIST_STANDARDIZE: Normalization = { kind: 'standardize', mean: [0.1307], std: [0.3081] };
/** The spec's CIFAR-10 per-channel standardisation (RGB means and stds of the [0, 1] pixels). */
export const CIFAR10_STANDARDIZE: Normalization = {
  kind: 'standardize',
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.243, 0.261],
};

/**
 * A lookup table of the normalised value of every byte on every channel: entry `c * 256 + v`.
 * Memory: a fresh Float32Array; no tensors.
 *
 * @throws DatasetError `invalid-option` for an unknown kind, mean/std of the wrong length, or a std <= 0
 */
export function normalizationTable(normalization: Normalization, channels: number): Float32Array {
  const table = new Float32Array(256 * channels);
  if (normalization.kind === 'scale') {
    for (let c = 0; c < channels; c++) for (let v = 0; v < 256; v++) table[c * 256 + v] = v / 255;
    return table;
  }
  if (normalization.kind !== 'standardize') {
    throw validate.invalid('normalization.kind', "'scale' or 'standardize'", (normalization as { kind: unknown }).kind);
  }
  const { mean, std } = normalization;
  for (const [field, values] of [['mean', mean], ['std', std]] as const) {
    if (values.length !== 1 && values.length !== channels) {
      throw validate.invalid(`normalization.${field}`, `1 or ${channels} values (one per channel)`, values.length);
    }
    if (values.some((x) => !Number.isFinite(x) || (field === 'std' && x <= 0))) {
      throw validate.invalid(`normalization.${field}`, `finite numbers${field === 'std' ? ' > 0' : ''}`, [...values]);
    }
  }
  for (let c = 0; c < channels; c++) {
    const m = mean[mean.length === 1 ? 0 : c]!;
    const s = std[std.length === 1 ? 0 : c]!;
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - m) / s;
  }
  return table;
}

/**
 * Writes the normalised `src` (interleaved channels, NHWC or HWC) into `dst` at `offset`, using a
 * table from `normalizationTable`. Memory: writes into `dst`; no tensors.
 */
export function normalizeInto(src: Uint8Array, dst: Float32Array, offset: number, channels: number, table: Float32Array): void {
  if (channels === 1) {
    for (let i = 0; i < src.length; i++) dst[offset + i] = table[src[i]!]!;
    return;
  }
  for (let i = 0; i < src.length; i++) dst[offset + i] = table[(i % channels) * 256 + src[i]!]!;
}
