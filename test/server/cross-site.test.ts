/**
 * Cross-site requests and DNS rebinding against the real server bound to loopback without a token (the default):
 * a page on another site can neither post a review or an upload (plain HTML forms included) nor read the archive
 * by re-resolving its own name to 127.0.0.1. The server's own pages and scripts (curl: no Origin) still work.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { formOf, plantedCase, startServer, type Served } from './harness.js';

const enc = new TextEncoder();
let server: Served;
let planted: Report;
let fingerprint: string;

/** A raw request with exactly the headers given (fetch would not let a test choose Host). */
function raw(method: string, url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const u = new URL(url, server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json = {};
        try {
          json = JSON.parse(text) as object;
        } catch {
          // not JSON (a page)
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  server = await startServer();
  const { text } = await plantedCase('agri-evaluated-total-transposed');
  const up = await fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf([{ name: 'planted.txt', bytes: enc.encode(text) }]) });
  expect(up.status).toBe(200);
  planted = ((await up.json()) as { reports: Report[] }).reports[0]!;
  fingerprint = planted.findings.find((f) => f.ruleId === 'core/listed-parts-sum')!.id;
});
afterAll(async () => {
  await server?.stop();
});

const own = () => new URL(server.url).host;
const formBody = () => `sha256=${planted.sha256}&decision=false-positive&reviewer=evil`;
const jsonBody = () => JSON.stringify({ sha256: planted.sha256, decision: 'false-positive', reviewer: 'evil' });

describe('state-changing requests from another site', () => {
  it('refuses a cross-site HTML form posting a review (403, Chinese message), and stores nothing', async () => {
    const r = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, formBody());
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('E_ORIGIN');
    expect(r.json.error?.message).toMatch(/[\u4e00-\u9fff]/);
    const reviews = (await (await fetch(`${server.url}/api/documents/${planted.sha256}/reviews`)).json()) as unknown[];
    expect(reviews).toEqual([]);
  });

  it('takes no form bodies on the API at all, even without an Origin (415)', async () => {
    const r = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), 'content-type': 'application/x-www-form-urlencoded' }, formBody());
    expect(r.status).toBe(415);
    expect(r.json.error?.message).toMatch(/JSON/);
    const text = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), 'content-type': 'text/plain' }, jsonBody());
    expect(text.status).toBe(415);
  });

  it('refuses a cross-site JSON review, by Origin or (no Origin) by Sec-Fetch-Site', async () => {
    const byOrigin = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), origin: 'http://evil.example', 'content-type': 'application/json' }, jsonBody());
    expect(byOrigin.status).toBe(403);
    const nullOrigin = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), origin: 'null', 'content-type': 'application/json' }, jsonBody());
    expect(nullOrigin.status).toBe(403);
    const bySite = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, jsonBody());
    expect(bySite.status).toBe(403);
  });

  it('refuses a cross-site multipart upload and a cross-site retry', async () => {
    const up = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: formOf([{ name: 'x.txt', bytes: enc.encode('x') }]) });
    expect(up.status).toBe(403);
    const retry = await raw('POST', '/api/batches/abc/retry', { host: own(), origin: 'http://evil.example', 'content-type': 'application/json' }, '{}');
    expect(retry.status).toBe(403);
  });

  it('accepts the same requests from its own pages (Origin = the server) and from scripts (no Origin)', async () => {
    const page = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), origin: server.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, jsonBody());
    expect(page.status).toBe(201);
    const script = await raw('POST', `/api/findings/${fingerprint}/review`, { host: own(), 'content-type': 'application/json' }, JSON.stringify({ sha256: planted.sha256, decision: 'accepted' }));
    expect(script.status).toBe(201);
    // the login form is a form, from its own page
    const login = await raw('POST', '/login', { host: own(), origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, 'token=&next=%2Fsearch');
    expect(login.status).toBe(303);
  });
});

describe('DNS rebinding (bound to loopback)', () => {
  it('answers only to the names of this machine', async () => {
    const port = new URL(server.url).port;
    const foreign = await raw('GET', '/api/documents', { host: 'evil.example' });
    expect(foreign.status).toBe(421);
    expect(foreign.json.error?.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await raw('GET', '/api/documents', { host: `evil.example:${port}` })).status).toBe(421);
    expect((await raw('GET', '/documents', { host: `evil.example:${port}` })).status).toBe(421);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
      expect((await raw('GET', '/api/documents', { host })).status, host).toBe(200);
    }
  });
});
