/**
 * The queue's less common paths, with real Redis, BullMQ and worker processes: a document claimed by two batches
 * submitted at the same moment, two copies of one file in a batch, the cross-year check in workers, and a batch
 * whose summing-up fails.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient } from '../../src/queue/client.js';
import { BATCHES_QUEUE, DOCUMENTS_QUEUE } from '../../src/queue/jobs.js';
import { BACKENDS } from '../archive/backends.js';
import { assertBuilt, FIXTURES } from '../e2e/cli.js';
import { redisAnswers, SHARED_REDIS, startWorker, waitForBatch, withQueue, writeCorpus, type QueueContext } from './harness.js';

const REDIS_UP = await redisAnswers(SHARED_REDIS);
const backend = BACKENDS[0]!;

describe.skipIf(!REDIS_UP)('queue edge cases', () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-edge-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (work: (ctx: QueueContext) => Promise<void>, overrides = {}) => withQueue(backend, work, overrides);


  /** A client whose look-up for duplicates ran before a simultaneous submit added its jobs (it finds none). */
  function staleLookups(client: QueueClient): QueueClient {
    Object.assign(client as unknown as Record<string, unknown>, { markDuplicates: async () => {} });
    return client;
  }

  it('completes batches whose documents a simultaneous submit attached first, some or all of them', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const files = writeCorpus(path.join(dir, 'race'), 6);
      const named = (list: string[]) => list.map((p) => ({ path: p, name: p }));
      const first = await client.submit(named(files.slice(0, 4)));
      const racing = staleLookups(await QueueClient.connect(config));
      try {
        // BullMQ leaves documents 2 and 3 with the first batch and says nothing
        const some = await racing.submit(named(files.slice(2)));
        const all = await racing.submit(named(files.slice(0, 2)));
        workers.push(await startWorker(config, scratch.db));
        const someStatus = await waitForBatch(client, some.batchId, undefined, 60_000);
        expect(someStatus.summary).toMatchObject({ documents: 4, ok: 4, duplicates: 2 });
        expect(someStatus.documents.filter((d) => d.duplicate).map((d) => d.name)).toEqual([files[2], files[3]]);
        const allStatus = await waitForBatch(client, all.batchId, undefined, 60_000);
        expect(allStatus.summary).toMatchObject({ documents: 2, ok: 2, duplicates: 2 });
        expect((await waitForBatch(client, first.batchId)).summary).toMatchObject({ documents: 4, ok: 4, duplicates: 0 });
      } finally {
        await racing.close();
      }
    });
  });

  it('lists both copies of one file in a batch and checks it once', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const [a, b] = writeCorpus(path.join(dir, 'copies'), 2);
      const copy = path.join(dir, 'copies', '同一份报告（副本）.txt');
      writeFileSync(copy, readFileSync(a!));
      const submitted = await client.submit([a!, copy, b!].map((p) => ({ path: p, name: path.basename(p) })));
      expect(submitted.documents.map((d) => [d.name, d.duplicate])).toEqual([
        [path.basename(a!), false],
        ['同一份报告（副本）.txt', true],
        [path.basename(b!), false],
      ]);
      workers.push(await startWorker(config, scratch.db));
      const status = await waitForBatch(client, submitted.batchId);
      expect(status.total).toBe(3);
      expect(status.summary).toMatchObject({ documents: 3, ok: 3, duplicates: 1 });
      const archive = await scratch.open();
      try {
        expect((await archive.search({ unreviewed: false, fields: [], sort: 'year', offset: 0 })).total).toBe(2);
      } finally {
        await archive.close();
      }
    });
  });

  it('runs the cross-year check against the archive, as check --archive does', async () => {
    await run(async ({ scratch, client, config, workers }) => {
      const current = path.join(FIXTURES, 'reports', 'final-school-2025.txt');
      const lastYear = path.join(dir, 'final-school-2024.txt');
      writeFileSync(lastYear, readFileSync(current, 'utf8').replaceAll('2025', '2024'));
      workers.push(await startWorker(config, scratch.db));
      await waitForBatch(client, (await client.submit([{ path: lastYear, name: 'final-school-2024.txt' }])).batchId);
      const status = await waitForBatch(client, (await client.submit([{ path: current, name: 'final-school-2025.txt' }])).batchId);
      expect(status.summary!.warnings).toBeGreaterThan(0);
      const archive = await scratch.open();
      try {
        const [report] = await archive.reports([status.documents[0]!.sha256]);
        expect(report!.findings.map((f) => f.ruleId)).toContain('cross/prior-year');
      } finally {
        await archive.close();
      }
    });
  });

  it('reports a batch whose summing-up failed on every try, and lets the same submission retry it', async () => {
    await run(
      async ({ scratch, client, config, workers }) => {
        const files = writeCorpus(path.join(dir, 'sum'), 2);
        // stand-ins: documents are "checked" at once, and summing a batch up fails (its archive is down)
        const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
        const options = { connection, prefix: config.prefix };
        const standIns = [
          new Worker(DOCUMENTS_QUEUE, async (job) => ({ name: job.data.name, sha256: job.data.sha256, status: 'ok', errors: 0, warnings: 0 }), options),
          new Worker(BATCHES_QUEUE, async () => {
            throw new Error('archive unreachable');
          }, options),
        ];
        const submitted = await client.submit(files.map((p) => ({ path: p, name: p })));
        const failed = await waitForBatch(client, submitted.batchId, (s) => s.failedReason !== undefined, 60_000);
        expect(failed).toMatchObject({ completed: false, failedReason: 'archive unreachable' });
        await Promise.all(standIns.map((w) => w.close()));
        connection.disconnect();

        workers.push(await startWorker(config, scratch.db));
        const again = await client.submit(files.map((p) => ({ path: p, name: p })));
        expect(again).toMatchObject({ batchId: submitted.batchId, existing: false });
        const status = await waitForBatch(client, again.batchId);
        expect(status.summary).toMatchObject({ documents: 2, ok: 2 });
        expect(status.failedReason).toBeUndefined();
      },
      { attempts: 1 },
    );
  });
});
