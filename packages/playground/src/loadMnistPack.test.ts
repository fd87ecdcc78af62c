import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadMnistPack } from './loadMnistPack';
import { encodeMnistPack } from './mnistPack';

const pack = encodeMnistPack({
  height: 2,
  width: 2,
  trainImages: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
  trainLabels: Uint8Array.from([3, 8]),
  testImages: Uint8Array.from([9, 10, 11, 12]),
  testLabels: Uint8Array.from([5]),
});
const dataUrl = (bytes: Uint8Array) => `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}`;

describe('loadMnistPack', () => {
  it('fetches and gunzips the pack with DecompressionStream', async () => {
    const gz = gzipSync(pack);
    const { dataset, bytes } = await loadMnistPack(dataUrl(gz));
    expect(bytes).toBe(gz.length);
    expect(dataset).toMatchObject({ trainCount: 2, testCount: 1, imageShape: [2, 2, 1] });
    expect([...dataset.testImages]).toEqual([9, 10, 11, 12]);
  });

  it('takes a pack the server already decompressed as it is', async () => {
    const { dataset } = await loadMnistPack(dataUrl(pack));
    expect([...dataset.trainLabels]).toEqual([3, 8]);
  });
});
