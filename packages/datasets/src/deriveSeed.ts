/**
 * Derives an independent 32-bit seed from a base seed and a path of labels, e.g.
 * `deriveSeed(seed, 'shuffle', epoch)`. Pure and platform independent: the same path gives the same
 * seed on every machine, so any epoch or batch can be recomputed on its own (that is what makes the
 * batch iterator resumable).
 */
export function deriveSeed(seed: number, ...path: ReadonlyArray<number | string>): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  for (const part of path) {
    const text = typeof part === 'number' ? `#${part}` : `$${part}`;
    for (let i = 0; i < text.length; i++) h = mix32(h ^ text.charCodeAt(i));
    h = mix32(h ^ 0x85ebca6b);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a bijective avalanche on 32-bit integers. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
