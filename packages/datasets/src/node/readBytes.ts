import { readFile } from 'node:fs/promises';
import { DatasetError } from '../DatasetError';

/**
 * Reads a whole file. @throws DatasetError `missing-file` when it does not exist; other I/O errors
 * pass through.
 */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DatasetError('missing-file', path, 'no such file');
    throw error;
  }
}
