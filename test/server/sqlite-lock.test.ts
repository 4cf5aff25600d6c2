/**
 * A SQLite archive locked by another process (here: the test process, holding a write transaction) must not
 * freeze the server: while the upload waits for the lock, /healthz still answers at once, and the document is
 * stored once the lock is released.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, formOf, startServer, type Served } from './harness.js';

const LOCK_HELD_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a SQLite archive locked by another process', () => {
  let server: Served;
  let holder: Database.Database;

  beforeAll(async () => {
    server = await startServer();
    holder = new Database(server.db);
  });

  afterAll(async () => {
    if (holder?.inTransaction) holder.exec('ROLLBACK');
    holder?.close();
    await server?.stop();
  });

  it('keeps the server answering while an upload waits for the lock, and stores the upload afterwards', async () => {
    const text = await fixture('perf-agri-dept-2025.txt');
    holder.exec('BEGIN IMMEDIATE');
    const uploaded = fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf([{ name: 'locked.txt', bytes: new TextEncoder().encode(text) }]) });
    const started = Date.now();
    let slowest = 0;
    while (Date.now() - started < LOCK_HELD_MS) {
      const t = Date.now();
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      slowest = Math.max(slowest, Date.now() - t);
      await sleep(100);
    }
    holder.exec('ROLLBACK');
    const response = await uploaded;
    const body = (await response.json()) as { batch: { documents: { state: string; status?: string; errorMessage?: string }[] } };
    expect(slowest, 'the slowest /healthz while the archive was locked (ms)').toBeLessThan(500);
    expect(body.batch.documents[0], JSON.stringify(body.batch.documents[0])).toMatchObject({ state: 'done', status: 'ok' });
  });
});
