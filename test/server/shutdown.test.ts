/**
 * Shutting down the in-process server while a batch is being checked: SIGTERM ends it promptly (not after the
 * per-document time limit), with exit code 0, and one log line says how many documents were left unchecked — the
 * archive holds exactly the others.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, formOf, startServer, type Served } from './harness.js';

const enc = new TextEncoder();
const N = 400;
const servers: Served[] = [];

afterAll(async () => {
  // the second server first: the first one's folder holds the archive
  for (const s of servers.reverse()) await s.stop();
});

describe('SIGTERM during a batch (in-process)', () => {
  it('exits promptly with code 0 and names the documents it left unchecked', { timeout: 120_000 }, async () => {
    const server = await startServer({ args: ['-j', '1'] });
    servers.push(server);
    const base = await fixture('perf-agri-dept-2025.txt');
    const files = Array.from({ length: N }, (_, i) => ({ name: `报告-${i}.txt`, bytes: enc.encode(`${base}\n附注编号 ${i}\n`) }));
    const up = await fetch(`${server.url}/api/documents?wait=0`, { method: 'POST', body: formOf(files) });
    expect(up.status).toBe(202);
    const { batchId } = (await up.json()) as { batchId: string };

    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    // a bound to catch a hang (the per-document time limit is 60 s), not a performance assertion
    let bound: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => (bound = setTimeout(() => resolve('hung'), 20_000)))]);
    clearTimeout(bound);
    expect(code, server.log()).toBe(0);

    const line = /shutting down with (\d+) document\(s\) left unchecked in 1 batch\(es\): ([\w-]+) \("[^"]*"\) (\d+) of (\d+)/.exec(server.log());
    expect(line, server.log()).not.toBeNull();
    const unchecked = Number(line![1]);
    expect(unchecked).toBeGreaterThan(0);
    expect(line![2]).toBe(batchId);
    expect(Number(line![3])).toBe(unchecked);
    expect(Number(line![4])).toBe(N);
    expect(server.log()).not.toMatch(/could not be checked or stored/);

    // every file exactly once: checked and archived, or counted as unchecked
    const again = await startServer({ db: server.db });
    servers.push(again);
    const list = (await (await fetch(`${again.url}/api/documents?limit=1`)).json()) as { total: number };
    expect(list.total + unchecked).toBe(N);
  });
});
