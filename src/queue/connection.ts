import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../archive/config.js';
import { QueueError } from './config.js';

/** Reconnects for ever, with a delay growing to 5 s: a Redis restart of any length is waited out. */
const reconnectForEver = (tries: number) => Math.min(200 * tries, 5_000);

/**
 * A connection for BullMQ. Both sides reconnect for ever. Workers' commands wait for Redis to come back
 * (`maxRetriesPerRequest: null`); producers' (submit, status, the web server) fail after a few reconnect attempts,
 * so a request or a command line gets an answer (QueueUnavailableError) instead of hanging.
 */
export function redisConnection(url: string, role: 'worker' | 'producer'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, retryStrategy: reconnectForEver }
      : { maxRetriesPerRequest: 3, enableOfflineQueue: true, retryStrategy: reconnectForEver };
  const redis = new Redis(url, { ...options, lazyConnect: false });
  // without a listener ioredis prints every failed reconnect; the caller's commands report what matters
  redis.on('error', () => {});
  return redis;
}

/** Checks Redis answers, so "Redis is down" is one clear message instead of a hang or a stack trace. */
export async function assertRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // the socket error says why ("connect ECONNREFUSED …"); the rejected connect() only says "Connection is closed"
  let cause: Error | undefined;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new QueueError(`cannot reach Redis at ${redactUrl(url)}: ${(cause ?? (error as Error)).message} (set REDIS_URL; "crossfoot check" needs no Redis)`);
  } finally {
    probe.disconnect();
  }
}
