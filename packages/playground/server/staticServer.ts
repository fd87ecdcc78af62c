import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './isolationHeaders';

export interface StaticServerOptions {
  /** The folder to serve (the demo's `dist`). */
  readonly root: string;
  /** Send COOP/COEP on every response so the page is cross-origin isolated (threads). @default true */
  readonly isolated?: boolean;
  /**
   * Answer 404 for every path this matches, e.g. `/\.wasm$/` plays a site that forgot the binaries
   * (the cpu fallback), `/mnist-pack/` one that lost its data (the page's error). @default none
   */
  readonly block?: RegExp;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface StaticServer {
  /** Ends with `/`, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  close(): Promise<void>;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  // WebAssembly.instantiateStreaming refuses any other type
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * A small static file server for the built demo, on the loopback interface: GET and HEAD, the right
 * MIME types (`application/wasm`), `index.html` for folders, no caching, nothing outside `root`.
 * With `isolated` (the default) every response carries the COOP/COEP headers that enable
 * WebAssembly threads. Used by `pnpm serve`, the e2e test and the benchmark.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const isolated = options.isolated ?? true;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (isolated) Object.assign(headers, CROSS_ORIGIN_ISOLATION_HEADERS, { 'Cross-Origin-Resource-Policy': 'same-origin' });
    const fail = (status: number, text: string) => {
      response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, 'only GET and HEAD');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return fail(400, 'bad URL');
    }
    let file = resolve(join(root, pathname));
    if (file !== root && !file.startsWith(root + sep)) return fail(403, 'outside the served folder');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return fail(404, `not found: ${pathname}`);
    const ext = extname(file).toLowerCase();
    if (options.block?.test(pathname)) return fail(404, `not found: ${pathname} (blocked on purpose)`);
    response.writeHead(200, { ...headers, 'Content-Type': MIME_TYPES[ext] ?? 'application/octet-stream', 'Content-Length': String(info.size) });
    if (request.method === 'HEAD') return void response.end();
    createReadStream(file).pipe(response);
  }

  await new Promise<void>((ready, failed) => {
    server.once('error', failed);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ready());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((done, failed) => {
        server.closeAllConnections();
        server.close((error) => (error ? failed(error) : done()));
      }),
  };
}
