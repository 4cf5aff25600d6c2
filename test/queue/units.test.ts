import { describe, expect, it } from 'vitest';
import { loadPackSet } from '../../src/packs.js';
import { queueConfig, QueueError } from '../../src/queue/config.js';
import { batchJobId, documentJobId, packsKey } from '../../src/queue/jobs.js';
import { batchDocument, batchStatus, summarize } from '../../src/batch/summary.js';

describe('queue configuration', () => {
  it('reads the environment, explicit values win, and defaults fill the rest', () => {
    const config = queueConfig({ attempts: 2 }, { REDIS_URL: 'redis://queue.internal:6380', CROSSFOOT_ATTEMPTS: '9', CROSSFOOT_LOCK_MS: '5000' });
    expect(config).toMatchObject({ redisUrl: 'redis://queue.internal:6380', attempts: 2, lockMs: 5000, prefix: 'crossfoot' });
  });

  it('names the environment variable that is wrong', () => {
    expect(() => queueConfig({}, { REDIS_URL: 'localhost:6379' })).toThrow(QueueError);
    expect(() => queueConfig({}, { REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL: must be a redis:\/\//);
    expect(() => queueConfig({}, { CROSSFOOT_ATTEMPTS: 'many' })).toThrow(/CROSSFOOT_ATTEMPTS/);
    expect(() => queueConfig({}, { CROSSFOOT_QUEUE_PREFIX: 'a:b' })).toThrow(/CROSSFOOT_QUEUE_PREFIX/);
  });
});

describe('job ids', () => {
  const sha = 'ab'.repeat(32);
  it('depend on the content and the pack versions only', async () => {
    const packs = packsKey(await loadPackSet({ extraPacks: [], rules: {} }));
    expect(packs).toMatch(/^core@\S+ /);
    expect(documentJobId(sha, packs)).toBe(documentJobId(sha, packs));
    expect(documentJobId(sha, packs)).not.toBe(documentJobId(sha, packs.replace(/@[\d.]+/, '@999.0.0')));
    expect(documentJobId(sha, packs)).not.toContain(':');
  });

  it('make a batch of the same documents the same batch, in any order and with repeats', () => {
    expect(batchJobId(['doc-a', 'doc-b'])).toBe(batchJobId(['doc-b', 'doc-a', 'doc-a']));
    expect(batchJobId(['doc-a', 'doc-b'])).not.toBe(batchJobId(['doc-a']));
  });
});

describe('batch summary', () => {
  const ref = (name: string, duplicate = false) => ({ name, sha256: name.repeat(64).slice(0, 64), jobId: `doc-${name}`, duplicate });
  const documents = [
    batchDocument(ref('a'), { state: 'done', result: { name: 'a', sha256: 'a', status: 'ok', errors: 2, warnings: 1, archived: 'added' } }),
    batchDocument(ref('b', true), { state: 'done', result: { name: 'b', sha256: 'b', status: 'failed', errorCode: 'E_CORRUPT', errorMessage: 'not a zip', errors: 0, warnings: 0, archived: 'added' } }),
    batchDocument(ref('c'), { state: 'failed', reason: 'cannot read /share/c.pdf: ENOENT' }),
    batchDocument(ref('d'), { state: 'active' }),
  ];

  it('counts reports, document problems by code, and infrastructure failures apart', () => {
    expect(summarize(documents)).toEqual({ documents: 4, ok: 1, unreadable: 1, byErrorCode: { E_CORRUPT: 1, E_INFRASTRUCTURE: 1 }, errors: 2, warnings: 1, infrastructureFailures: 1, duplicates: 1 });
  });

  it('reports progress: done, failed and pending add up to the total', () => {
    const status = batchStatus('batch-1', { name: 'x', createdAt: '2026-11-27T00:00:00Z' }, documents, false, null);
    expect(status).toMatchObject({ total: 4, done: 2, failed: 1, pending: 1, completed: false, summary: null });
  });

  it('offers a retry for the infrastructure failure only, never for a corrupt file', () => {
    expect(documents.map((d) => d.retryable ?? false)).toEqual([false, false, true, false]);
    expect(batchStatus('batch-1', { name: 'x', createdAt: '2026-11-27T00:00:00Z' }, documents, true, null).retryable).toBe(1);
  });
});
