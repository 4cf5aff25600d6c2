/**
 * Cross-document checking in queue mode: two workers (two documents at a time each) store an invented unit's
 * documents concurrently; whichever order they finish in, the planted change is found on the document holding it,
 * naming the other, and the consistent documents carry no cross-document finding.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../archive/backends.js';
import { assertBuilt, FIXTURES } from '../e2e/cli.js';
import { redisAnswers, SHARED_REDIS, startWorker, waitForBatch, withQueue } from './harness.js';

const REDIS_UP = await redisAnswers(SHARED_REDIS);
const SET = path.join(FIXTURES, 'cross');

describe.skipIf(!REDIS_UP).each(BACKENDS)('cross-document checks through the queue on $name', (backend) => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-queue-cross-'));
    for (const f of readdirSync(SET).filter((f) => f.endsWith('.txt'))) copyFileSync(path.join(SET, f), path.join(dir, f));
    const planted = readFileSync(path.join(SET, '2025-final.txt'), 'utf8').replace('上年“三公”经费支出决算为4.20万元', '上年“三公”经费支出决算为4.50万元');
    writeFileSync(path.join(dir, '2025-final.txt'), planted);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the planted prior-year figure whatever order the workers store the documents in', async () => {
    await withQueue(backend, async ({ scratch, client, config, workers }) => {
      workers.push(await startWorker(config, scratch.db, 2), await startWorker(config, scratch.db, 2));
      const files = readdirSync(dir).sort();
      const { batchId } = await client.submit(files.map((f) => ({ path: path.join(dir, f), name: f })));
      const status = await waitForBatch(client, batchId);
      expect(status.documents.map((d) => d.status)).toEqual(files.map(() => 'ok'));
      const archive = await scratch.open();
      try {
        const reports = await archive.reports(status.documents.map((d) => d.sha256!));
        const cross = reports.flatMap((r) => r.findings.filter((f) => f.ruleId.startsWith('cross/')).map((f) => ({ file: r.file, f, r })));
        expect(cross.map((c) => [c.file, c.f.ruleId])).toEqual([['2025-final.txt', 'cross/prior-year']]);
        const [{ f, r }] = cross as [(typeof cross)[number]];
        expect(f.figures.map((id) => r.figures.find((x) => x.id === id)?.text)).toContain('4.50万元');
        expect(f.related?.map((x) => x.file)).toEqual(['2024-final.txt']);
        expect(reports.find((x) => x.file === '2025-final.txt')!.crossChecks).toMatchObject({ failed: 1 });
      } finally {
        await archive.close();
      }
    });
  });
});
