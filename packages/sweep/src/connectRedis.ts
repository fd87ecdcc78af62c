import { Redis } from 'ioredis';
import { SweepError } from './SweepError';

/** The Redis of a sweep when none is given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * A connection to the Redis at `url` (`redis://[:password@]host[:port][/db]`).
 *
 * - `client` (enqueue, status): fails fast: resolves once connected, or rejects with a
 *   {@link SweepError} naming the address after a few tries (about 2 s).
 * - `worker`: never gives up: every command waits while Redis is away and runs once it is back
 *   (BullMQ workers need `maxRetriesPerRequest: null`); `onStatus` hears each loss and return.
 *
 * The caller closes it (`quit()`).
 */
export async function connectRedis(url: string, role: 'client' | 'worker', onStatus?: (line: string) => void): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SweepError(`--redis: expected a URL like ${DEFAULT_REDIS_URL}, got '${url}'`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new SweepError(`--redis: expected a redis:// or rediss:// URL, got '${url}'`);
  const shown = `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`; // without a password
  if (role === 'worker') {
    const redis = new Redis(url, {
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(100 * times, 2000),
      lazyConnect: true,
    });
    let lost = false;
    redis.on('error', (error: Error) => {
      if (!lost) onStatus?.(`redis ${shown}: ${error.message}; reconnecting`);
      lost = true;
    });
    redis.on('ready', () => {
      if (lost) onStatus?.(`redis ${shown}: connected again`);
      lost = false;
    });
    redis.connect().catch(() => {}); // the retry strategy keeps trying; commands wait for it
    return redis;
  }
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => (times > 3 ? null : 200 * times),
    lazyConnect: true,
  });
  let last = '';
  redis.on('error', (error: Error) => {
    last = error.message;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new SweepError(`--redis: cannot reach Redis at ${shown} (${last || (error as Error).message}): is redis-server running there, and reachable from this machine?`);
  }
  return redis;
}
