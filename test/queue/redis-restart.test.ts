/**
 * Redis restarted mid-batch. The test runs a redis-server of its own (AOF on, like the compose file's) on a port
 * of its own, so the shared Redis is untouched; workers must reconnect by themselves and finish the batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from '../../src/queue/client.js';
import { BACKENDS } from '../archive/backends.js';
import { assertBuilt } from '../e2e/cli.js';
import { PrivateRedis, sleep, startWorker, testConfig, waitForBatch, writeCorpus, type WorkerProcess } from './harness.js';

const HAS_REDIS_SERVER = await new Promise<boolean>((resolve) => {
  import('node:child_process').then(({ execFile }) => execFile('redis-server', ['--version'], (error) => resolve(!error)));
});
const backend = BACKENDS[BACKENDS.length - 1]!;

describe.skipIf(!HAS_REDIS_SERVER)('queue: Redis restarted mid-batch', () => {
  let dir: string;
  let redis: PrivateRedis;
  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-redis-'));
    redis = new PrivateRedis(20_000 + Math.floor(Math.random() * 20_000), path.join(dir, 'redis'));
    await redis.start();
  });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('workers reconnect and finish; every document archived once', async () => {
    const config = testConfig(redis.url);
    const scratch = await backend.scratch();
    const workers: WorkerProcess[] = [];
    try {
      const files = writeCorpus(path.join(dir, 'docs'), 200);
      workers.push(await startWorker(config, scratch.db), await startWorker(config, scratch.db));
      let client = await QueueClient.connect(config);
      const { batchId, documents } = await client.submit(files.map((p) => ({ path: p, name: p })));
      await waitForBatch(client, batchId, (s) => s.done >= 30);
      await client.close();

      await redis.stop();
      await sleep(1_500);
      await redis.start();

      client = await QueueClient.connect(config);
      try {
        const status = await waitForBatch(client, batchId);
        expect(status.summary).toMatchObject({ documents: 200, ok: 200, infrastructureFailures: 0 });
      } finally {
        await client.close();
      }
      const archive = await scratch.open();
      try {
        const { total, hits } = await archive.search({ unreviewed: false, fields: [], sort: 'year', offset: 0 });
        expect(total).toBe(200);
        expect(new Set(hits.map((h) => h.sha256))).toEqual(new Set(documents.map((d) => d.sha256)));
      } finally {
        await archive.close();
      }
      // the workers lived through it
      for (const w of workers) expect(w.child.exitCode).toBeNull();
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      await scratch.dispose();
    }
  });

  // docker compose down, systemd and Kubernetes send SIGTERM and wait about 10 s before SIGKILL
  it.each([
    ['idle', 0],
    ['checking documents', 40],
  ])('SIGTERM stops a worker within 10 s while Redis is down (%s)', { timeout: 60_000 }, async (_state, documents) => {
    const config = testConfig(redis.url);
    const scratch = await backend.scratch();
    const worker = await startWorker(config, scratch.db);
    try {
      if (documents) {
        const client = await QueueClient.connect(config);
        const { batchId } = await client.submit(writeCorpus(path.join(dir, `sigterm-${documents}`), documents).map((p) => ({ path: p, name: p })));
        await waitForBatch(client, batchId, (s) => s.done >= 2);
        await client.close();
      }
      await redis.stop();
      await sleep(1_000);
      const stoppedAt = Date.now();
      worker.child.kill('SIGTERM');
      const code = await Promise.race([worker.exited, sleep(10_000).then(() => 'still running' as const)]);
      expect(code, worker.log()).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await redis.start();
      await scratch.dispose();
    }
  });
});
