/**
 * Redis restarted mid-batch. The test runs a redis-server of its own (AOF on, like the compose file's) on a port
 * of its own, so the shared Redis is untouched; workers must reconnect by themselves and finish the batch.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from '../../src/queue/client.js';
import { BACKENDS } from '../archive/backends.js';
import { assertBuilt, BIN, runCli } from '../e2e/cli.js';
import { configEnv, PrivateRedis, redisAnswers, sleep, startWorker, testConfig, waitForBatch, writeCorpus, type WorkerProcess } from './harness.js';

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

  it('a waiting submit lives through a 4 s Redis restart and prints its summary', { timeout: 120_000 }, async () => {
    const config = testConfig(redis.url);
    const scratch = await backend.scratch();
    const worker = await startWorker(config, scratch.db);
    const files = writeCorpus(path.join(dir, 'submit-wait'), 80);
    const submit = spawn(process.execPath, [BIN, 'submit', '--name', 'outage', ...files], { env: { ...process.env, ...configEnv(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    submit.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    submit.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => submit.on('exit', (code) => resolve(code)));
    let redisDown = false;
    try {
      // wait until the batch is under way, then take Redis away for 4 s
      const client = await QueueClient.connect(config);
      try {
        for (let tries = 0; !(await client.queues()[1]!.getJobCounts('completed')).completed; tries++) {
          if (tries > 600) throw new Error(`the batch never started:\n${stderr}`);
          await sleep(100);
        }
      } finally {
        await client.close();
      }
      await redis.stop();
      redisDown = true;
      await sleep(4_000);
      await redis.start();
      redisDown = false;
      const code = await exited;
      expect([0, 1], stderr).toContain(code); // 1 if a fixture has error findings; 2 was the outage
      expect(stderr).toContain('waiting for it to come back');
      expect(stderr).not.toMatch(/MaxRetriesPerRequestError|\n\s+at /);
      expect(stdout).toMatch(/summary: 80 ok, 0 unreadable, 0 not checked/);
    } finally {
      if (submit.exitCode === null) submit.kill('SIGKILL');
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      if (redisDown) await redis.start();
      await scratch.dispose();
    }
  });

  it('a worker warns at start when Redis keeps no append-only file, and refuses with CROSSFOOT_REQUIRE_PERSISTENCE=1', { timeout: 60_000 }, async () => {
    const durableWorker = await startWorker(testConfig(redis.url), path.join(dir, 'durable.db'));
    durableWorker.child.kill('SIGTERM');
    await durableWorker.exited;
    expect(durableWorker.log()).not.toContain('appendonly');

    // a Redis of its own with no persistence at all, as `redis-server --appendonly no --save ""` runs
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const volatileRedis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'no', '--save', ''], { stdio: 'ignore' });
    try {
      const config = testConfig(`redis://127.0.0.1:${port}`);
      for (let tries = 0; !(await redisAnswers(config.redisUrl)); tries++) {
        if (tries > 100) throw new Error('the volatile redis-server did not start');
        await sleep(100);
      }
      const warned = await startWorker(config, path.join(dir, 'volatile.db'));
      warned.child.kill('SIGTERM');
      await warned.exited;
      expect(warned.log()).toMatch(/WARNING: Redis at redis:\/\/127\.0\.0\.1:\d+ has appendonly no and keeps nothing on disk/);

      const refused = await runCli(['worker', '--db', path.join(dir, 'volatile.db')], { env: { ...configEnv(config), CROSSFOOT_REQUIRE_PERSISTENCE: '1' } });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('CROSSFOOT_REQUIRE_PERSISTENCE=1 refuses to start');
    } finally {
      volatileRedis.kill('SIGKILL');
    }
  });
});
