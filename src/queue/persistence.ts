import { Redis } from 'ioredis';
import { redactUrl } from '../archive/config.js';
import { QueueError } from './config.js';

/**
 * Redis without an append-only file loses every queued document when it restarts (a test here lost 46 of 100 with
 * `appendonly no`). The queue's promises hold only with AOF on, so the processes that depend on it say so at start.
 * A Redis that refuses CONFIG (managed services often do) is given the benefit of the doubt.
 */
async function persistenceProblem(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    if (appendonly === 'yes') return undefined;
    const [, save] = (await redis.config('GET', 'save')) as string[];
    const kept = save ? `only snapshots (save "${save}"), so a restart loses what was queued since the last one` : 'nothing on disk, so a restart loses every queued document';
    return `Redis at ${redactUrl(url)} has appendonly ${appendonly ?? 'off'} and keeps ${kept}; run it with --appendonly yes (see the README's queue section)`;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/**
 * Warns loudly on a Redis that keeps no append-only file; refuses to start instead when `CROSSFOOT_REQUIRE_PERSISTENCE=1`
 * (for deployments that want the guarantee enforced rather than logged).
 */
export async function checkPersistence(url: string, warn: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const problem = await persistenceProblem(url);
  if (!problem) return;
  if (env.CROSSFOOT_REQUIRE_PERSISTENCE === '1') throw new QueueError(`${problem} (CROSSFOOT_REQUIRE_PERSISTENCE=1 refuses to start)`);
  warn(`WARNING: ${problem}`);
}
