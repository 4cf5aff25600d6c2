/**
 * A drop larger than one request (`--max-files`): the page sends it as several requests, the first making the
 * batch and the others adding to it (`?batch=<id>`), so the drop is one batch with every file once. A request
 * refused for too many files leaves nothing behind in the upload folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, formOf, startServer, type Served, type UploadFile } from './harness.js';

const enc = new TextEncoder();
let server: Served;
let base: string;

interface Batch {
  batchId: string;
  total: number;
  completed: boolean;
  documents: { name: string; sha256: string; state: string; status?: string; errorCode?: string }[];
}

const file = (name: string): UploadFile => ({ name, bytes: enc.encode(`${base}\n附注：${name}\n`) });
const sha = (f: UploadFile) => createHash('sha256').update(f.bytes).digest('hex');

async function post(files: UploadFile[], query: string): Promise<{ status: number; body: { batchId: string; batch: Batch; error?: { code: string; message: string } } }> {
  const r = await fetch(`${server.url}/api/documents${query}`, { method: 'POST', body: formOf(files) });
  return { status: r.status, body: (await r.json()) as { batchId: string; batch: Batch; error?: { code: string; message: string } } };
}

/** Waits for the batch the way the UI does: its event stream ends once the batch has completed. */
async function settled(batchId: string): Promise<Batch> {
  await (await fetch(`${server.url}/api/batches/${batchId}/events`)).text();
  return (await (await fetch(`${server.url}/api/batches/${batchId}`)).json()) as Batch;
}

const stored = () => readdirSync(server.uploadDir);

beforeAll(async () => {
  server = await startServer({ args: ['--max-files', '3'] });
  base = await fixture('final-school-2025.txt');
});
afterAll(async () => {
  await server?.stop();
});

describe('a drop sent as several requests (in-process)', () => {
  it('tells the page the limit per request', async () => {
    const info = (await (await fetch(`${server.url}/api/info`)).json()) as { limits: { maxFiles: number } };
    expect(info.limits.maxFiles).toBe(3);
  });

  it('adds the later requests’ files to the first request’s batch, each file once, also after it completed', async () => {
    const first = await post([file('甲.txt'), file('乙.txt'), file('丙.txt')], '?wait=0&name=%E4%B8%80%E6%AC%A1%E6%8B%96%E6%94%BE');
    expect(first.status).toBe(202);
    const id = first.body.batchId;
    const second = await post([file('丁.txt'), file('戊.txt'), { name: '说明.xlsx', bytes: enc.encode('x') }], `?wait=0&batch=${id}`);
    expect(second.status).toBe(202);
    expect(second.body.batchId).toBe(id);
    expect(second.body.batch.total).toBe(6);
    let batch = await settled(id);
    expect(batch.completed).toBe(true);
    expect(batch.documents.map((d) => d.name).sort()).toEqual(['丁.txt', '丙.txt', '乙.txt', '戊.txt', '甲.txt', '说明.xlsx'].sort());
    expect(batch.documents.find((d) => d.name === '说明.xlsx')).toMatchObject({ status: 'failed', errorCode: 'E_UNSUPPORTED' });

    // a request arriving after the batch completed still joins it
    const third = await post([file('己.txt')], `?batch=${id}`);
    expect(third.status).toBe(202);
    batch = await settled(id);
    expect(batch.total).toBe(7);
    expect(batch.completed).toBe(true);
    expect(batch.documents.filter((d) => d.name === '己.txt')).toEqual([expect.objectContaining({ state: 'done', status: 'ok' })]);
    const list = (await (await fetch(`${server.url}/api/batches`)).json()) as { batches: { batchId: string; name: string }[] };
    expect(list.batches.filter((b) => b.batchId === id)).toEqual([expect.objectContaining({ name: '一次拖放' })]);
  });

  it('refuses a continuation of an unknown batch before storing anything', async () => {
    const before = stored().sort();
    const r = await post([file('无主.txt')], '?wait=0&batch=no-such-batch');
    expect(r.status).toBe(404);
    expect(r.body.error?.message).toMatch(/批次/);
    expect(stored().sort()).toEqual(before);
  });

  it('leaves no orphan files when a request is refused for too many files', async () => {
    const known = file('甲.txt'); // stored for the batch above: stays
    const fresh = [file('新一.txt'), file('新二.txt'), file('新三.txt')];
    const r = await post([known, ...fresh], '?wait=0');
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'E_TOO_MANY' });
    expect(r.body.error!.message).toContain('3');
    for (const f of fresh) expect(existsSync(path.join(server.uploadDir, `${sha(f)}.txt`)), f.name).toBe(false);
    expect(existsSync(path.join(server.uploadDir, `${sha(known)}.txt`))).toBe(true);
    // nothing half-written either, and nothing but the checked batch's files
    expect(stored().filter((n) => n.startsWith('.upload-') || n.endsWith('.part'))).toEqual([]);
    expect(stored()).toHaveLength(6);
  });
});
