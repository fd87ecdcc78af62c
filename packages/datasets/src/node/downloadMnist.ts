import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '../DatasetError';
import { MNIST_FILE_KEYS, MNIST_FILES, MNIST_MIRROR_URL, type MnistFileKey } from '../mnistFiles';
import { gunzipIfNeeded } from './gunzipIfNeeded';

export interface DownloadMnistOptions {
  /** Where the four files are, with or without a trailing slash. @default MNIST_MIRROR_URL */
  readonly baseUrl?: string;
  /** Where the uncompressed files are kept. @default `~/.cache/slot-machines/mnist` (`defaultMnistCacheDir()`) */
  readonly cacheDir?: string;
  /**
   * Ask the server for `<name>.gz` (`true`) or `<name>` (`false`). Either way a gzip body is
   * decompressed, and the uncompressed file is checked and cached. @default true
   */
  readonly gzip?: boolean;
  /** Aborts the download in progress. */
  readonly signal?: AbortSignal;
}

export interface DownloadedMnistFile {
  readonly key: MnistFileKey;
  /** The cached, uncompressed file. */
  readonly path: string;
  readonly url: string;
  /** `cached`: already there with the right checksum, not fetched. */
  readonly status: 'downloaded' | 'cached';
}

export interface DownloadMnistResult {
  /** The cache directory: load it with `loadMnistFromDirectory`. */
  readonly dir: string;
  readonly files: readonly DownloadedMnistFile[];
}

/** `~/.cache/slot-machines/mnist`. */
export function defaultMnistCacheDir(): string {
  return join(homedir(), '.cache', 'slot-machines', 'mnist');
}

/**
 * Fetches the four MNIST files into a cache directory and checks each one's SHA-256 against
 * `MNIST_FILES` (the sums of the original uncompressed files). A file already cached with the right
 * sum is not fetched again. Each file is written to a temporary name in the cache and renamed into
 * place only once complete and verified, so an interrupted or failed download never leaves a
 * corrupt file under the real name. Files are fetched one after another. Memory: no tensors.
 *
 * @throws DatasetError `download` (no connection, an HTTP error status, a cut-off body), `corrupt`
 *   (a gzip body that does not decompress) or `checksum` (expected vs actual sum), naming the URL
 *   and the file; nothing is left in the cache for that file
 */
export async function downloadMnist(options: DownloadMnistOptions = {}): Promise<DownloadMnistResult> {
  const base = options.baseUrl ?? MNIST_MIRROR_URL;
  const baseUrl = base.endsWith('/') ? base : `${base}/`;
  const dir = options.cacheDir ?? defaultMnistCacheDir();
  const suffix = options.gzip ?? true ? '.gz' : '';
  await mkdir(dir, { recursive: true });
  const files: DownloadedMnistFile[] = [];
  for (const key of MNIST_FILE_KEYS) {
    const { name, sha256 } = MNIST_FILES[key];
    const path = join(dir, name);
    const url = new URL(`${name}${suffix}`, baseUrl).href;
    if ((await sha256OfFile(path)) === sha256) {
      files.push({ key, path, url, status: 'cached' });
      continue;
    }
    const bytes = await gunzipIfNeeded(await fetchBytes(url, options.signal), url);
    const actual = sha256Of(bytes);
    if (actual !== sha256) {
      throw new DatasetError(
        'checksum',
        url,
        `checksum mismatch for ${name}: expected sha256 ${sha256}, got ${actual} (${bytes.length} bytes after decompression, ` +
          `${MNIST_FILES[key].bytes} expected); nothing was written to ${dir}`,
      );
    }
    await writeAtomically(path, bytes);
    files.push({ key, path, url, status: 'downloaded' });
  }
  return { dir, files };
}

async function fetchBytes(url: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (error) {
    throw new DatasetError('download', url, `request failed: ${describeCause(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DatasetError('download', url, `the server answered ${response.status} ${response.statusText}`.trimEnd());
  }
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new DatasetError('download', url, `the download was cut off: ${describeCause(error)}`);
  }
}

/** Writes `bytes` to a temporary file beside `path`, then renames it to `path` (atomic on one file system). */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.partial`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function sha256OfFile(path: string): Promise<string | null> {
  try {
    return sha256Of(await readFile(path));
  } catch {
    return null;
  }
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describeCause(error: unknown): string {
  const e = error as Error & { cause?: { message?: string; code?: string } };
  const cause = e.cause ? ` (${e.cause.code ?? ''}${e.cause.code && e.cause.message ? ': ' : ''}${e.cause.message ?? ''})` : '';
  return `${e.message}${cause}`;
}
