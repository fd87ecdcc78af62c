import { mulberry32 } from './mulberry32';

/**
 * Shuffles `values` in place (Fisher-Yates) with a mulberry32 stream seeded by `seed`, and returns
 * it. The same seed and input give the same order everywhere. Memory: no allocation, no tensors.
 */
export function shuffle<T extends Uint32Array | number[]>(values: T, seed: number): T {
  const rng = mulberry32(seed);
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = values[i]!;
    values[i] = values[j]!;
    values[j] = tmp;
  }
  return values;
}
