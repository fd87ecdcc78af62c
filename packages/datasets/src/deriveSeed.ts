/**
 * The core's seed derivation, one algorithm for the whole project: `deriveSeed(seed, 'shuffle',
 * epoch)` gives the same seed on every machine, so any epoch or batch can be recomputed on its own
 * (what makes the batch iterator resumable).
 */
export { deriveSeed } from '@slot-machines/core';
