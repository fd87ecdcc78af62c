import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server this test started: on 127.0.0.1, its files in a temporary directory. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** The server's pid (while running). */
  pid(): number;
  /** Stops it (SIGTERM to its pid: it writes its append-only file and exits) and starts it again on the same port and directory. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** SIGTERM to its pid, waiting for the exit. */
  stop(): Promise<void>;
}

/**
 * Whether Debian's `redis-server` is on this machine; `SM_TEST_REDIS=1` (tools/ci/test-all.sh,
 * after tools/ci/install-redis.sh) makes its absence an error instead of a skip.
 */
export function redisServerAvailable(): boolean {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.SM_TEST_REDIS === '1') throw new Error('SM_TEST_REDIS=1 but redis-server is not on PATH: run tools/ci/install-redis.sh');
  return found;
}

/**
 * Starts `redis-server` on 127.0.0.1 on a free port with every setting on its command line (no
 * config file is read): its directory a new temporary one, no RDB snapshots, the append-only file
 * fsynced on every write (so a restart keeps every job, as a production Redis should be set up).
 * Stop it with `stop()`.
 */
export async function startRedisServer(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--logfile', join(dir, 'redis.log')],
      { stdio: 'ignore' },
    );
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`redis-server exited (${code}) on port ${port}: ${tail(join(dir, 'redis.log'))}`))));
    await Promise.race([waitForPing(port), exited]);
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    await gone;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => child?.pid ?? -1,
    stop,
    async restart(options = {}) {
      await stop();
      await new Promise((r) => setTimeout(r, options.downMs ?? 1000));
      await start();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `PING` on 127.0.0.1:port answers `+PONG` (within 10 s). */
async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
      socket.setTimeout(500, () => socket.destroy());
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return 'no log';
  }
}
