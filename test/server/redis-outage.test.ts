/**
 * Queue mode through a Redis outage, on a redis-server of the test's own (the shared one is never stopped):
 * uploads during the outage get a clear 503 and leave no file behind, /readyz says the server is not ready while
 * /healthz (liveness) stays 200, and everything answers again once Redis is back.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configEnv, PrivateRedis, sleep, testConfig } from '../queue/harness.js';
import { fixture, formOf, startServer, type Served } from './harness.js';

const HAS_REDIS_SERVER = await new Promise<boolean>((resolve) => {
  import('node:child_process').then(({ execFile }) => execFile('redis-server', ['--version'], (error) => resolve(!error)));
});
const enc = new TextEncoder();

/** Every file under `dir` (the upload folder keeps them in sha256-prefix subfolders). */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

/** Polls `request` until it answers `status`, for up to `ms`. */
async function answers(request: () => Promise<Response>, status: number, ms: number): Promise<Response> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await request();
    if (r.status === status || Date.now() > deadline) return r;
    await sleep(250);
  }
}

describe.skipIf(!HAS_REDIS_SERVER)('queue mode: the web server through a Redis outage', () => {
  let dir: string;
  let redis: PrivateRedis;
  let server: Served;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-outage-'));
    redis = new PrivateRedis(20_000 + Math.floor(Math.random() * 20_000), path.join(dir, 'redis'));
    await redis.start();
    server = await startServer({ env: configEnv(testConfig(redis.url)) });
  });
  afterAll(async () => {
    await server?.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('503 during the outage, no orphaned upload, recovered after', { timeout: 90_000 }, async () => {
    const base = await fixture('perf-agri-dept-2025.txt');
    const upload = (i: number) => fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf([{ name: `r-${i}.txt`, bytes: enc.encode(`${base}\n附注编号 ${i}\n`) }]) });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    await redis.stop();
    // longer than the producers' old give-up point (about 3 s)
    await sleep(4_000);
    const before = filesUnder(server.uploadDir).length;
    const during = await upload(1);
    expect(during.status).toBe(503);
    expect(((await during.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'E_QUEUE', message: expect.stringMatching(/队列/) });
    expect(filesUnder(server.uploadDir).length).toBe(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ok: false, redis: false, archive: true });
    // the queue dashboard's API says the same, not Bull Board's own 500 "Connection is closed."
    const board = await fetch(`${server.url}/admin/queues/api/queues`);
    expect(board.status).toBe(503);
    expect(await board.json()).toMatchObject({ error: { code: 'E_QUEUE' } });

    await redis.start();
    expect((await answers(() => fetch(`${server.url}/readyz`), 200, 15_000)).status).toBe(200);
    const after = await upload(2);
    expect(after.status, await after.clone().text()).toBe(202);
    const { batchId } = (await after.json()) as { batchId: string };
    expect((await fetch(`${server.url}/api/batches/${batchId}`)).status).toBe(200);
    expect((await fetch(`${server.url}/admin/queues/api/queues`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
