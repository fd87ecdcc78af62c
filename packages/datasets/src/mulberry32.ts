/** A seeded source of uniform 32-bit integers. */
export interface Rng {
  /** The next uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** The next uniform integer in [0, n), without modulo bias; `n` in [1, 2^32]. */
  nextInt(n: number): number;
}

/**
 * Mulberry32 (Tommy Ettinger): a tiny 32-bit PRNG with a 2^32 period, plenty for shuffling and
 * augmentation draws. Pure integer arithmetic, so a seed gives the same stream on every machine.
 * Never `Math.random`. Memory: no tensors.
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const nextInt = (n: number): number => {
    // Rejection sampling: drop the top 2^32 mod n values so every residue is equally likely.
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = nextUint32();
    while (x >= limit) x = nextUint32();
    return x % n;
  };
  return { nextUint32, nextInt };
}
