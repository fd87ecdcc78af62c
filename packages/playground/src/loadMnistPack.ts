import { isGzip, type ImageDataset } from '@slot-machines/datasets';
import { decodeMnistPack } from './mnistPack';

/**
 * Fetches the MNIST pack the build put beside the page and decodes it: gunzipped with the browser's
 * own `DecompressionStream` (unless the server already removed the gzip layer). Same origin only;
 * nothing leaves the page. Memory: typed arrays only; no tensors.
 *
 * @throws Error naming the URL and the cause (HTTP status, no DecompressionStream, a bad pack).
 */
export async function loadMnistPack(url: string): Promise<{ dataset: ImageDataset; bytes: number }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the MNIST data (${url}): HTTP ${response.status} ${response.statusText}`.trim());
  const body = new Uint8Array(await response.arrayBuffer());
  let raw = body;
  if (isGzip(body)) {
    if (typeof DecompressionStream !== 'function') throw new Error('this browser has no DecompressionStream to unpack the MNIST data');
    const stream = new Blob([body]).stream().pipeThrough(new DecompressionStream('gzip'));
    raw = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return { dataset: decodeMnistPack(raw, url), bytes: body.length };
}
