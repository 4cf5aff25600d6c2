import { z } from 'zod';

/** Why the queue cannot be used (Redis unreachable, bad configuration). The CLI prints it and exits 2. */
export class QueueError extends Error {}

/** Redis stopped answering after the queue was opened (an outage, a restart): try again later. */
export class QueueUnavailableError extends QueueError {}

const RedisUrl = z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL');
const Seconds = z.coerce.number().int().nonnegative();

/**
 * Queue settings. Every field has an environment variable, so workers on several machines are configured the
 * same way a container is: REDIS_URL, CROSSFOOT_QUEUE_PREFIX, CROSSFOOT_ATTEMPTS, …
 */
export const QueueConfigSchema = z.strictObject({
  redisUrl: RedisUrl.default('redis://127.0.0.1:6379'),
  /** Key prefix: several crossfoot installations (or tests) can share one Redis. */
  prefix: z.string().regex(/^[\w-]+$/, 'letters, digits, "_" and "-" only').default('crossfoot'),
  /** Tries per document for infrastructure errors (archive down, file not readable yet). */
  attempts: z.coerce.number().int().min(1).max(50).default(5),
  /** First retry delay; each further one doubles it. */
  backoffMs: z.coerce.number().int().min(0).default(2_000),
  /** Finished document jobs are removed after this long, or beyond this many (Redis must not grow). */
  keepDoneSeconds: Seconds.default(24 * 3600),
  keepDoneCount: Seconds.default(50_000),
  /** Documents that failed every try are kept longer, to be looked at. */
  keepFailedSeconds: Seconds.default(7 * 24 * 3600),
  /** Batches (and their per-document results) are kept for `crossfoot status` this long. */
  keepBatchSeconds: Seconds.default(7 * 24 * 3600),
  keepBatchCount: Seconds.default(1_000),
  /** A worker that stops renewing its lock this long is presumed dead; its jobs go back to the queue. */
  lockMs: z.coerce.number().int().min(1_000).default(30_000),
});
export type QueueConfig = z.infer<typeof QueueConfigSchema>;

const ENV: Record<string, keyof QueueConfig> = {
  REDIS_URL: 'redisUrl',
  CROSSFOOT_QUEUE_PREFIX: 'prefix',
  CROSSFOOT_ATTEMPTS: 'attempts',
  CROSSFOOT_BACKOFF_MS: 'backoffMs',
  CROSSFOOT_KEEP_DONE_SECONDS: 'keepDoneSeconds',
  CROSSFOOT_KEEP_DONE_COUNT: 'keepDoneCount',
  CROSSFOOT_KEEP_FAILED_SECONDS: 'keepFailedSeconds',
  CROSSFOOT_KEEP_BATCH_SECONDS: 'keepBatchSeconds',
  CROSSFOOT_KEEP_BATCH_COUNT: 'keepBatchCount',
  CROSSFOOT_LOCK_MS: 'lockMs',
};

/** The queue configuration: explicit values over the environment over the defaults; invalid values throw. */
export function queueConfig(overrides: Partial<Record<keyof QueueConfig, unknown>> = {}, env: NodeJS.ProcessEnv = process.env): QueueConfig {
  const input: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) if (env[name]) input[key] = env[name];
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) input[key] = value;
  const parsed = QueueConfigSchema.safeParse(input);
  if (!parsed.success) {
    const byKey = Object.fromEntries(Object.entries(ENV).map(([name, key]) => [key, name]));
    const problems = parsed.error.issues.map((i) => `${byKey[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`);
    throw new QueueError(`invalid queue configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The configuration from the environment alone. */
export function queueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): QueueConfig {
  return queueConfig({}, env);
}
