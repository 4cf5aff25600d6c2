/**
 * The web server on the shared deployments' backends: the PostgreSQL archive (in-process checking), and queue
 * mode (REDIS_URL: uploads go to BullMQ, a real `crossfoot worker` process checks them; Bull Board mounted).
 * Each part runs when its service answers on this machine, and says so loudly when it does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snippet } from '../../src/archive/highlight.js';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { BACKENDS, type Scratch } from '../archive/backends.js';
import { dropPrefix, redisAnswers, SHARED_REDIS, startWorker, testConfig, type WorkerProcess } from '../queue/harness.js';
import { fixture, formOf, plantedCase, startServer, type Served } from './harness.js';

const enc = new TextEncoder();
const postgres = BACKENDS.find((b) => b.name === 'postgres');
const REDIS_UP = await redisAnswers(SHARED_REDIS);
if (!REDIS_UP) console.warn(`\n!!! Redis at ${SHARED_REDIS} does not answer: the web server's queue-mode test is SKIPPED\n`);

interface BatchStatus {
  batchId: string;
  completed: boolean;
  total: number;
  documents: { name: string; sha256: string; state: string; status?: string; errorCode?: string; errors?: number }[];
  summary: { documents: number; unreadable: number; byErrorCode: Record<string, number> } | null;
}

describe.runIf(postgres)('PostgreSQL archive', () => {
  let scratch: Scratch;
  let server: Served;
  beforeAll(async () => {
    scratch = await postgres!.scratch();
    server = await startServer({ db: scratch.db });
  });
  afterAll(async () => {
    await server?.stop();
    await scratch?.dispose();
  });

  it('uploads, lists, searches, shows and reviews', async () => {
    const { text } = await plantedCase('agri-evaluated-total-transposed');
    const up = await fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf([{ name: 'planted.txt', bytes: enc.encode(text) }, { name: 'school.txt', bytes: enc.encode(await fixture('final-school-2025.txt')) }]) });
    expect(up.status).toBe(200);
    const { reports } = (await up.json()) as { reports: Report[] };
    const planted = reports[0]!;
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { archive: string };
    expect(info.archive).toBe('postgres');
    const list = (await (await fetch(`${server.url}/api/documents?has=error`)).json()) as { documents: { sha256: string }[] };
    expect(list.documents.map((d) => d.sha256)).toEqual([planted.sha256]);
    const hits = (await (await fetch(`${server.url}/api/search?q=${encodeURIComponent('农业农村局')}`)).json()) as { hits: { sha256: string; snippet: Snippet }[] };
    expect(hits.hits.map((h) => h.sha256)).toEqual([planted.sha256]);
    expect(hits.hits[0]!.snippet.marks.length).toBeGreaterThan(0);
    ReportSchema.parse(await (await fetch(`${server.url}/api/documents/${planted.sha256}`)).json());
    const finding = planted.findings.find((f) => f.severity === 'error')!;
    const review = await fetch(`${server.url}/api/findings/${finding.id}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sha256: planted.sha256, decision: 'accepted' }) });
    expect(review.status).toBe(201);
    const view = (await (await fetch(`${server.url}/api/documents/${planted.sha256}/view`)).json()) as { reviews: { decision: string }[] };
    expect(view.reviews.map((r) => r.decision)).toEqual(['accepted']);
  });
});

describe.runIf(REDIS_UP)('queue mode', () => {
  const config = testConfig();
  let server: Served;
  let worker: WorkerProcess;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { REDIS_URL: config.redisUrl, CROSSFOOT_QUEUE_PREFIX: config.prefix, CROSSFOOT_LOCK_MS: String(config.lockMs), CROSSFOOT_BACKOFF_MS: String(config.backoffMs), CROSSFOOT_ATTEMPTS: String(config.attempts) };
    server = await startServer({ env });
    // the worker reads the server's upload folder and writes the server's archive
    worker = await startWorker(config, server.db);
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await server?.stop();
    await dropPrefix(config);
  });

  it('submits uploads to the queue and follows the batch to the archive', async () => {
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { mode: string; queueDashboard: string };
    expect(info).toMatchObject({ mode: 'queue', queueDashboard: '/admin/queues' });
    const { text } = await plantedCase('agri-evaluated-total-transposed');
    const up = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      body: formOf([
        { name: 'planted.txt', bytes: enc.encode(text) },
        { name: 'empty.txt', bytes: new Uint8Array() },
        { name: 'readme.md', bytes: enc.encode('# not a report') },
      ]),
    });
    expect(up.status).toBe(202);
    const submitted = (await up.json()) as { batchId: string; mode: string; batch: BatchStatus; reports?: unknown };
    expect(submitted.mode).toBe('queue');
    expect(submitted.reports).toBeUndefined();
    expect(submitted.batch.total).toBe(3);

    // follow it by server-sent events, as the UI does; the server ends the stream once the batch completed
    const events = await (await fetch(`${server.url}/api/batches/${submitted.batchId}/events`)).text();
    expect(events).toContain('event: end');
    const status = (await (await fetch(`${server.url}/api/batches/${submitted.batchId}`)).json()) as BatchStatus;
    expect(status.completed).toBe(true);
    const byName = Object.fromEntries(status.documents.map((d) => [d.name, d]));
    expect(Object.keys(byName).sort()).toEqual(['empty.txt', 'planted.txt', 'readme.md']);
    expect(byName['planted.txt']).toMatchObject({ state: 'done', status: 'ok', errors: 1 });
    expect(byName['empty.txt']).toMatchObject({ state: 'done', status: 'failed' });
    expect(byName['readme.md']).toMatchObject({ state: 'done', status: 'failed', errorCode: 'E_UNSUPPORTED' });
    expect(status.summary).toMatchObject({ documents: 3, unreadable: 2 });

    const report = ReportSchema.parse(await (await fetch(`${server.url}/api/documents/${byName['planted.txt']!.sha256}`)).json());
    expect(report.findings.map((f) => f.ruleId)).toContain('core/listed-parts-sum');
    const view = (await (await fetch(`${server.url}/api/documents/${report.sha256}/view`)).json()) as { text: string };
    expect(view.text).toContain('875.70万元');
    const batches = (await (await fetch(`${server.url}/api/batches`)).json()) as { mode: string; batches: { batchId: string }[] };
    expect(batches.batches.map((b) => b.batchId)).toContain(submitted.batchId);
  });

  it('makes a drop sent as several requests one batch, and knows batches after a restart', async () => {
    const school = await fixture('final-school-2025.txt');
    const file = (name: string) => ({ name, bytes: enc.encode(`${school}\n附注：${name}\n`) });
    const first = await fetch(`${server.url}/api/documents?wait=0`, { method: 'POST', body: formOf([file('队列甲.txt'), file('队列乙.txt')]) });
    expect(first.status).toBe(202);
    const { batchId } = (await first.json()) as { batchId: string };
    const next = await fetch(`${server.url}/api/documents?wait=0&batch=${batchId}`, { method: 'POST', body: formOf([file('队列丙.txt'), { name: 'notes.md', bytes: enc.encode('#') }]) });
    expect(next.status).toBe(202);
    expect(((await next.json()) as { batch: BatchStatus }).batch).toMatchObject({ batchId, total: 4 });
    await (await fetch(`${server.url}/api/batches/${batchId}/events`)).text();
    const status = (await (await fetch(`${server.url}/api/batches/${batchId}`)).json()) as BatchStatus;
    expect(status.completed).toBe(true);
    expect(status.documents.map((d) => d.name).sort()).toEqual(['notes.md', '队列丙.txt', '队列乙.txt', '队列甲.txt']);
    expect(status.summary).toMatchObject({ documents: 4, unreadable: 1 });

    // a server process that never submitted it (as after a restart) reads it from the queue
    const again = await startServer({ env });
    try {
      const known = await fetch(`${again.url}/api/batches/${batchId}`);
      expect(known.status).toBe(200);
      expect(((await known.json()) as BatchStatus).documents.map((d) => d.name)).toEqual(expect.arrayContaining(['队列甲.txt', '队列乙.txt']));
      // nothing failed to retry: said so, not silently nothing
      const nothing = await fetch(`${again.url}/api/batches/${batchId}/retry`, { method: 'POST' });
      expect(nothing.status).toBe(409);
      expect(((await nothing.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
      const unknown = await fetch(`${again.url}/api/batches/no-such-batch/retry`, { method: 'POST' });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/没有这个批次/);
    } finally {
      await again.stop();
    }
  });

  it('mounts Bull Board at /admin/queues', async () => {
    const r = await fetch(`${server.url}/admin/queues`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('crossfoot');
  });
});
