import { parseIdx, type IdxArray } from '../parseIdx';
import { gunzipIfNeeded } from './gunzipIfNeeded';
import { readBytes } from './readBytes';

/**
 * Reads and parses an IDX file, gzip-compressed or not (detected by the 0x1f 0x8b magic, not by the
 * name). Errors name `path`. Memory: returns typed arrays; no tensors.
 *
 * @throws DatasetError `missing-file`, `corrupt` (bad gzip data) or any error of `parseIdx`
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  return parseIdx(await gunzipIfNeeded(await readBytes(path), path), path);
}
