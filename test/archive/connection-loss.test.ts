/**
 * A dropped PostgreSQL connection (a DBA's pg_terminate_backend, a failover, a proxy's idle cut) while the server
 * and a worker are busy: each lost connection fails one operation, which is retried; the processes live. Only the
 * backends of the test's own scratch database are terminated.
 */
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, formOf, startServer } from '../server/harness.js';
import { sleep, startWorker, testConfig, waitForBatch, writeCorpus, dropPrefix } from '../queue/harness.js';
import { QueueClient } from '../../src/queue/client.js';
import { BACKENDS, terminateBackends, type Scratch } from './backends.js';

const postgres = BACKENDS.find((b) => b.name === 'postgres');
const enc = new TextEncoder();

/** Terminates the scratch database's connections every `everyMs` until stopped. */
function cutConnections(db: string, everyMs: number): { stop: () => Promise<number> } {
  let running = true;
  let cuts = 0;
  const loop = (async () => {
    while (running) {
      cuts += await terminateBackends(db);
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return cuts;
    },
  };
}

describe.skipIf(!postgres)('a dropped PostgreSQL connection', () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await postgres!.scratch();
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it('serve lives through terminated backends; uploads are stored', { timeout: 120_000 }, async () => {
    const server = await startServer({ db: scratch.db, args: ['-j', '2'] });
    try {
      const base = await fixture('perf-agri-dept-2025.txt');
      const cutter = cutConnections(scratch.db, 150);
      const statuses: number[] = [];
      const failedDocs: string[] = [];
      for (let i = 0; i < 40; i++) {
        const files = Array.from({ length: 3 }, (_, j) => ({ name: `r-${i}-${j}.txt`, bytes: enc.encode(`${base}\n附注编号 ${i}-${j}\n`) }));
        // a crashed server answers nothing: status 0, and its log says why
        const [up, list] = await Promise.all([
          fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf(files) }).catch(() => null),
          fetch(`${server.url}/api/documents?limit=5`).catch(() => null),
        ]);
        statuses.push(up?.status ?? 0, list?.status ?? 0);
        if (up?.status === 200) {
          const body = (await up.json()) as { batch: { documents: { name: string; state: string; errorMessage?: string }[] } };
          for (const d of body.batch.documents) if (d.state !== 'done') failedDocs.push(`${d.name}: ${d.errorMessage}`);
        }
        if (server.child.exitCode !== null) break;
      }
      const cuts = await cutter.stop();
      expect(cuts, 'the test cut no connection').toBeGreaterThan(0);
      await sleep(200);
      expect(server.child.exitCode, server.log()).toBeNull();
      expect(server.log()).not.toMatch(/Unhandled|Connection terminated unexpectedly/);
      // a lost connection fails the one operation, which is retried on a new connection: nothing reaches the client
      expect(statuses.filter((s) => s !== 200), server.log().slice(-3000)).toEqual([]);
      expect(failedDocs).toEqual([]);
      const list = (await (await fetch(`${server.url}/api/documents?limit=1`)).json()) as { total: number };
      expect(list.total).toBe(120);
    } finally {
      await server.stop();
    }
  });

  it('a worker lives through terminated backends and archives every document once', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-pgloss-'));
    const config = testConfig(undefined, { attempts: 5 });
    const worker = await startWorker(config, scratch.db, 2);
    const client = await QueueClient.connect(config);
    try {
      const files = writeCorpus(path.join(dir, 'docs'), 60);
      const cutter = cutConnections(scratch.db, 150);
      const { batchId } = await client.submit(files.map((p) => ({ path: p, name: p })));
      const status = await waitForBatch(client, batchId, (s) => s.completed || worker.child.exitCode !== null, 120_000);
      const cuts = await cutter.stop();
      expect(cuts).toBeGreaterThan(0);
      expect(worker.child.exitCode, worker.log()).toBeNull();
      expect(worker.log()).not.toMatch(/Unhandled|Connection terminated unexpectedly\n\s+at/);
      expect(status.summary).toMatchObject({ documents: 60, infrastructureFailures: 0 });
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await client.close();
      await dropPrefix(config);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
