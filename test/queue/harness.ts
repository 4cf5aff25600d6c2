/**
 * Real processes for the queue tests: `crossfoot worker` child processes, a private redis-server for the restart
 * test, and generated report files. Each test uses its own queue prefix, so the shared Redis is never disturbed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { QueueClient } from '../../src/queue/client.js';
import { queueConfig, type QueueConfig } from '../../src/queue/config.js';
import type { BatchStatus } from '../../src/batch/summary.js';
import type { Backend, Scratch } from '../archive/backends.js';
import { BIN, FIXTURES } from '../e2e/cli.js';

export const SHARED_REDIS = process.env.CROSSFOOT_TEST_REDIS ?? 'redis://127.0.0.1:6379';

export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Queue settings for a test: its own prefix, short locks (a killed worker's jobs come back in seconds), quick retries. */
export function testConfig(redisUrl = SHARED_REDIS, overrides: Partial<QueueConfig> = {}): QueueConfig {
  return queueConfig({ redisUrl, prefix: `t${randomBytes(5).toString('hex')}`, lockMs: 2_000, backoffMs: 200, attempts: 3, ...overrides }, {});
}

export function configEnv(config: QueueConfig): Record<string, string> {
  return {
    REDIS_URL: config.redisUrl,
    CROSSFOOT_QUEUE_PREFIX: config.prefix,
    CROSSFOOT_LOCK_MS: String(config.lockMs),
    CROSSFOOT_BACKOFF_MS: String(config.backoffMs),
    CROSSFOOT_ATTEMPTS: String(config.attempts),
  };
}

/** `count` distinct, valid reports (the fixture texts, each copy numbered so its hash differs). */
export function writeCorpus(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const sources = readdirSync(path.join(FIXTURES, 'reports'))
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(path.join(FIXTURES, 'reports', f), 'utf8'));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `report-${String(i).padStart(4, '0')}.txt`);
    writeFileSync(file, `${sources[i % sources.length]}\n（报送序号：${i}）\n`);
    files.push(file);
  }
  return files;
}

/** Files no reader can use: each must come back as a failed report with its code, never as a retried job. */
export function writeMalformed(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const files = {
    'broken.docx': Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(200)]),
    'broken.pdf': Buffer.from('%PDF-1.7\n1 0 obj <<>> garbage'),
    'empty.txt': Buffer.alloc(0),
  };
  const out: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    out[name] = path.join(dir, name);
    writeFileSync(out[name], bytes);
  }
  return out;
}

export interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

/** Starts `crossfoot worker` and resolves once it has connected. */
export async function startWorker(config: QueueConfig, db: string, concurrency = 1, extraArgs: readonly string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [BIN, 'worker', '-j', String(concurrency), '--db', db, ...extraArgs], {
    env: { ...process.env, ...configEnv(config), DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!log.includes('started')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start:\n${log}`);
    await sleep(100);
  }
  return { child, log: () => log, exited };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the batch until it completes (or `until` says stop early). */
export async function waitForBatch(client: QueueClient, batchId: string, until: (s: BatchStatus) => boolean = (s) => s.completed, timeoutMs = 240_000): Promise<BatchStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.status(batchId);
    if (status && until(status)) return status;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} not done in time: ${JSON.stringify(status && { done: status.done, failed: status.failed, pending: status.pending })}`);
    await sleep(250);
  }
}

/** Removes every key of a test's prefix. */
export async function dropPrefix(config: QueueConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A redis-server of the test's own (AOF on, as in production), which the test may stop and restart. */
export class PrivateRedis {
  private child?: ChildProcess;

  constructor(readonly port: number, private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers(this.url))) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export interface QueueContext {
  scratch: Scratch;
  client: QueueClient;
  config: QueueConfig;
  /** Started workers; whatever is still running at the end is killed. */
  workers: WorkerProcess[];
}

/** Runs `work` with a fresh queue prefix on the shared Redis and an empty archive, and cleans both up after. */
export async function withQueue(backend: Backend, work: (ctx: QueueContext) => Promise<void>, overrides: Partial<QueueConfig> = {}): Promise<void> {
  const config = testConfig(SHARED_REDIS, overrides);
  const scratch = await backend.scratch();
  const client = await QueueClient.connect(config);
  const workers: WorkerProcess[] = [];
  try {
    await work({ scratch, client, config, workers });
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await client.close();
    await dropPrefix(config);
    await scratch.dispose();
  }
}
