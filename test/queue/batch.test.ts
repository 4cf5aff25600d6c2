/**
 * Reliability of the queue with real processes: `crossfoot worker` child processes on the shared Redis (each test
 * under its own prefix) writing to a real archive (PostgreSQL when it answers, as on several machines).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveRepository } from '../../src/archive/repository.js';
import type { BatchStatus } from '../../src/batch/summary.js';
import { BACKENDS } from '../archive/backends.js';
import { assertBuilt } from '../e2e/cli.js';
import { redisAnswers, SHARED_REDIS, startWorker, waitForBatch, withQueue, writeCorpus, writeMalformed, type QueueContext } from './harness.js';

const REDIS_UP = await redisAnswers(SHARED_REDIS);
if (!REDIS_UP) console.warn(`\n!!! Redis at ${SHARED_REDIS} does not answer: the queue tests are SKIPPED\n`);
// the shared archive of several machines when PostgreSQL is here; SQLite otherwise
const backend = BACKENDS[BACKENDS.length - 1]!;

/** Every archived report, by sha256. */
async function archived(archive: ArchiveRepository): Promise<Map<string, { status: string; errors: number; warnings: number }>> {
  const { hits } = await archive.search({ unreviewed: false, fields: [], sort: 'year', offset: 0 });
  return new Map(hits.map((h) => [h.sha256, { status: h.status, errors: h.errors, warnings: h.warnings }]));
}

/** The batch summary agrees with what the archive holds for the batch's documents. */
function expectSummaryMatchesArchive(status: BatchStatus, inArchive: Map<string, { status: string; errors: number; warnings: number }>): void {
  const stored = status.documents.filter((d) => d.sha256 && d.state === 'done').map((d) => inArchive.get(d.sha256)!);
  expect(stored.every(Boolean)).toBe(true);
  expect(status.summary!.ok).toBe(stored.filter((r) => r.status === 'ok').length);
  expect(status.summary!.errors).toBe(stored.reduce((n, r) => n + r.errors, 0));
  expect(status.summary!.warnings).toBe(stored.reduce((n, r) => n + r.warnings, 0));
}

describe.skipIf(!REDIS_UP)(`queue: batches across worker processes (${backend.name} archive)`, () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-queue-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (work: (ctx: QueueContext) => Promise<void>, overrides = {}) => withQueue(backend, work, overrides);


  it('checks 500 documents and 3 malformed ones on 2 workers: one archived report per document, the summary matches the archive', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const files = writeCorpus(path.join(dir, 'big'), 500);
      const bad = writeMalformed(path.join(dir, 'bad'));
      workers.push(await startWorker(config, scratch.db), await startWorker(config, scratch.db));
      const submitted = await client.submit([...files, ...Object.values(bad)].map((p) => ({ path: p, name: path.basename(p) })));
      expect(submitted.documents).toHaveLength(503);
      const status = await waitForBatch(client, submitted.batchId);

      expect(status.total).toBe(503);
      expect(status.done).toBe(503);
      expect(status.summary).toMatchObject({ documents: 503, ok: 500, unreadable: 3, infrastructureFailures: 0, duplicates: 0 });
      const byName = new Map(status.documents.map((d) => [d.name, d]));
      expect(byName.get('broken.docx')).toMatchObject({ state: 'done', status: 'failed', errorCode: 'E_CORRUPT' });
      expect(byName.get('broken.pdf')).toMatchObject({ state: 'done', status: 'failed', errorCode: 'E_CORRUPT' });
      expect(byName.get('empty.txt')).toMatchObject({ state: 'done', status: 'failed', errorCode: 'E_NO_TEXT' });

      const archive = await scratch.open();
      try {
        const inArchive = await archived(archive);
        expect(inArchive.size).toBe(503);
        for (const d of submitted.documents) expect(inArchive.has(d.sha256)).toBe(true);
        expectSummaryMatchesArchive(status, inArchive);
      } finally {
        await archive.close();
      }
      // both processes took part
      expect(new Set(status.documents.map((d) => d.checkedBy).filter(Boolean)).size).toBe(2);
      for (const w of workers) w.child.kill('SIGTERM');
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    });
  });

  it('survives kill -9 of a worker mid-batch: its jobs are taken over, nothing lost, one archived report per document', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const files = writeCorpus(path.join(dir, 'kill'), 300);
      workers.push(await startWorker(config, scratch.db), await startWorker(config, scratch.db));
      const { batchId, documents } = await client.submit(files.map((p) => ({ path: p, name: p })));
      await waitForBatch(client, batchId, (s) => s.done >= 60);
      workers[0]!.child.kill('SIGKILL');
      expect(await workers[0]!.exited).toBeNull();
      const midway = await client.status(batchId);
      expect(midway!.completed).toBe(false);
      workers.push(await startWorker(config, scratch.db));

      const status = await waitForBatch(client, batchId);
      expect(status.summary).toMatchObject({ documents: 300, ok: 300, infrastructureFailures: 0 });
      const archive = await scratch.open();
      try {
        const inArchive = await archived(archive);
        expect(inArchive.size).toBe(300);
        for (const d of documents) expect(inArchive.get(d.sha256)?.status).toBe('ok');
        expectSummaryMatchesArchive(status, inArchive);
      } finally {
        await archive.close();
      }
    });
  });

  it('makes re-submitting a no-op, and checks a known document only once across batches', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const files = writeCorpus(path.join(dir, 'dup'), 6);
      workers.push(await startWorker(config, scratch.db));
      const first = await client.submit(files.slice(0, 4).map((p) => ({ path: p, name: p })));
      const again = await client.submit(files.slice(0, 4).map((p) => ({ path: p, name: `renamed-${path.basename(p)}` })));
      expect(again).toMatchObject({ batchId: first.batchId, existing: true });
      await waitForBatch(client, first.batchId);

      const overlapping = await client.submit(files.slice(2).map((p) => ({ path: p, name: p })));
      expect(overlapping.batchId).not.toBe(first.batchId);
      expect(overlapping.documents.map((d) => d.duplicate)).toEqual([true, true, false, false]);
      const status = await waitForBatch(client, overlapping.batchId);
      expect(status.summary).toMatchObject({ documents: 4, ok: 4, duplicates: 2 });
      // the duplicates' results come from the first batch's jobs
      expect(status.documents.filter((d) => d.duplicate).every((d) => d.status === 'ok')).toBe(true);
      expect(workers[0]!.log().match(/batch .* completed/g)).toHaveLength(2);
    });
  });

  it('retries an infrastructure error with backoff and then fails that document alone; the batch still completes', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const files = writeCorpus(path.join(dir, 'gone'), 3);
      const submitted = await client.submit(files.map((p) => ({ path: p, name: p })));
      // the shared folder loses a file after submission (an unmounted share looks the same to a worker)
      rmSync(files[1]!);
      workers.push(await startWorker(config, scratch.db));
      const status = await waitForBatch(client, submitted.batchId);
      expect(status.summary).toMatchObject({ documents: 3, ok: 2, infrastructureFailures: 1 });
      const lost = status.documents.find((d) => d.name === files[1]);
      expect(lost).toMatchObject({ state: 'failed', errorCode: 'E_INFRASTRUCTURE' });
      expect(lost!.errorMessage).toContain('无法读取：文件不存在');
      expect(workers[0]!.log().match(/failed \(attempt \d\)/g)).toHaveLength(config.attempts);

      // the share is back: submitting the same files again retries the failed one and checks nothing twice
      writeCorpus(path.join(dir, 'gone'), 3);
      const again = await client.submit(files.map((p) => ({ path: p, name: p })));
      expect(again).toMatchObject({ batchId: submitted.batchId, existing: false });
      expect(again.documents.every((d) => d.duplicate)).toBe(true);
      const retried = await waitForBatch(client, again.batchId);
      expect(retried.summary).toMatchObject({ documents: 3, ok: 3, infrastructureFailures: 0 });
      const archive = await scratch.open();
      try {
        expect((await archived(archive)).size).toBe(3);
      } finally {
        await archive.close();
      }
    });
  });

  it('lets the active job finish on SIGTERM and exits cleanly', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const files = writeCorpus(path.join(dir, 'term'), 40);
      workers.push(await startWorker(config, scratch.db));
      const { batchId } = await client.submit(files.map((p) => ({ path: p, name: p })));
      await waitForBatch(client, batchId, (s) => s.done >= 5);
      workers[0]!.child.kill('SIGTERM');
      expect(await workers[0]!.exited).toBe(0);
      expect(workers[0]!.log()).toContain('worker stopped');
      const after = await client.status(batchId);
      // nothing was left active: every document is done or still waiting for the next worker
      expect(after!.documents.filter((d) => d.state === 'active')).toEqual([]);
      workers.push(await startWorker(config, scratch.db));
      expect((await waitForBatch(client, batchId)).summary).toMatchObject({ documents: 40, ok: 40 });
    });
  });
});
