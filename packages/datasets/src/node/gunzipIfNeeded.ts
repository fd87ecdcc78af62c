import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetError } from '../DatasetError';
import { isGzip } from '../isGzip';

const gunzipAsync = promisify(gunzip);

/**
 * Returns `bytes` decompressed when they start with the gzip magic 0x1f 0x8b, else `bytes` itself.
 * `source` names the data in errors. Memory: a fresh buffer when decompressed; no tensors.
 *
 * @throws DatasetError `corrupt` when gzip data does not decompress (e.g. a cut-off `.gz` file)
 */
export async function gunzipIfNeeded(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const out = await gunzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw new DatasetError('corrupt', source, `gzip data does not decompress (${(error as Error).message})`);
  }
}
