/**
 * Hostile and broken requests on real sockets against the real server (issue 12, items 9 and 10): malformed
 * multipart bodies, stalled uploads, too many uploads at once, and guessed tokens.
 */
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureSet, formOf, startServer, type Served } from './harness.js';

const TOKEN = 'limits-token-0123456789';
const IDLE_S = 1;
const REQUEST_S = 3;
const LOGIN_ATTEMPTS = 3;
let server: Served;
/** A server with a token and tight limits, behind a (pretend) proxy so each test can be its own client address. */
let limited: Served;

beforeAll(async () => {
  [server, limited] = await Promise.all([
    startServer(),
    startServer({
      env: { CROSSFOOT_TOKEN: TOKEN },
      args: ['--idle-timeout', String(IDLE_S), '--request-timeout', String(REQUEST_S), '--max-concurrent-uploads', '2', '--login-attempts', String(LOGIN_ATTEMPTS), '--trust-proxy'],
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), limited?.stop()]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RawAnswer {
  status: number;
  body: string;
}

/** One request written byte for byte on its own socket (fetch would fix a broken body up or refuse to send it). */
function rawRequest(url: string, head: string, body: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`${head}\r\nHost: ${hostname}:${port}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const errorCode = (answer: RawAnswer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;
const part = (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n2025年收入合计100万元。`;

describe('malformed multipart', () => {
  const post = (contentType: string, body: string) => rawRequest(server.url, `POST /api/documents HTTP/1.1\r\nContent-Type: ${contentType}`, body);

  it('answers 400 E_MULTIPART, not 500, and keeps nothing of it', async () => {
    const cases = {
      'no closing boundary': await post('multipart/form-data; boundary=XYZ', part('XYZ')),
      'a closing boundary but the part not closed': await post('multipart/form-data; boundary=XYZ', `${part('XYZ')}--XYZ`),
      'another boundary than declared': await post('multipart/form-data; boundary=XYZ', `${part('OTHER')}\r\n--OTHER--\r\n`),
      'no boundary declared': await post('multipart/form-data', `${part('XYZ')}\r\n--XYZ--\r\n`),
    };
    for (const [name, answer] of Object.entries(cases)) {
      expect(answer.status, name).toBe(400);
      expect(errorCode(answer), name).toBe('E_MULTIPART');
      expect(answer.body, name).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await readdir(server.uploadDir).catch(() => [])).toEqual([]);
  });

  it('still takes a well-formed upload sent the same way', async () => {
    const answer = await post('multipart/form-data; boundary=XYZ', `${part('XYZ')}\r\n--XYZ--\r\n`);
    expect(answer.status).toBe(200);
  });
});

/** An upload that declares 100 KB more body than it sends: one small part, then only what `drip` adds. */
function stalledUpload(url: string): { socket: net.Socket; closed: Promise<number>; drip: (text: string) => void } {
  const { hostname, port } = new URL(url);
  const body = part('XYZ');
  const socket = net.connect(Number(port), hostname, () => {
    socket.write(
      `POST /api/documents HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: ${Buffer.byteLength(body) + 100_000}\r\n\r\n${body}`,
    );
  });
  socket.on('error', () => undefined);
  socket.resume();
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  return { socket, closed, drip: (text) => socket.write(text) };
}

describe('timeouts', () => {
  it('closes an upload whose body stops arriving within --idle-timeout, and keeps nothing of it', async () => {
    const started = Date.now();
    const { closed } = stalledUpload(limited.url);
    const at = await Promise.race([closed, sleep(8_000).then(() => Number.NaN)]);
    expect(at - started).toBeGreaterThanOrEqual(IDLE_S * 1000 - 100);
    expect(at - started).toBeLessThan(IDLE_S * 1000 + 1500);
    await sleep(200);
    expect(await readdir(limited.uploadDir)).toEqual([]);
  });

  it('closes an upload that trickles in slower than --request-timeout allows', async () => {
    const started = Date.now();
    const upload = stalledUpload(limited.url);
    // a byte every 300 ms never leaves the connection idle for a second
    const drip = setInterval(() => upload.drip('x'), 300);
    const at = await Promise.race([upload.closed, sleep(12_000).then(() => Number.NaN)]);
    clearInterval(drip);
    expect(at - started).toBeGreaterThanOrEqual(REQUEST_S * 1000 - 100);
    expect(at - started).toBeLessThan(REQUEST_S * 1000 + 3500);
  });
});

describe('timeouts after the request has arrived', () => {
  it('keep the connection while the server itself is busy: an upload checked longer than --idle-timeout gets its reports', async () => {
    const quick = await startServer({ args: ['--idle-timeout', '0.1', '-j', '1'] });
    try {
      const set = await fixtureSet();
      const started = Date.now();
      const answer = await fetch(`${quick.url}/api/documents`, { method: 'POST', body: formOf([set.txt!, set.docx!, set.pdf!, set.zip!]) });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { reports: unknown[] }).reports.length).toBe(6);
      // checking six documents on one thread takes longer than the 0.1 s of silence allowed while a body arrives
      expect(Date.now() - started).toBeGreaterThan(100);
    } finally {
      await quick.stop();
    }
  });
});

describe('concurrent uploads', () => {
  it('answers 503 E_BUSY beyond --max-concurrent-uploads, and takes uploads again once they are done', async () => {
    const stalled = [stalledUpload(limited.url), stalledUpload(limited.url)];
    await sleep(300);
    const post = () =>
      rawRequest(limited.url, `POST /api/documents HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: multipart/form-data; boundary=XYZ`, `${part('XYZ')}\r\n--XYZ--\r\n`);
    const busy = await post();
    expect(busy.status).toBe(503);
    expect(errorCode(busy)).toBe('E_BUSY');
    expect(busy.body).toMatch(/[\u4e00-\u9fff]/);
    for (const s of stalled) s.socket.destroy();
    await Promise.all(stalled.map((s) => s.closed));
    await sleep(200);
    expect((await post()).status).toBe(200);
  });
});

describe('failed logins', () => {
  const api = (client: string, token: string) => fetch(`${limited.url}/api/info`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client } });

  it(`answers 429 to a client after ${LOGIN_ATTEMPTS} wrong tokens, even with the right one; other clients are not held`, async () => {
    for (let i = 0; i < LOGIN_ATTEMPTS; i++) expect((await api('10.9.0.1', `wrong-token-${i}`)).status).toBe(401);
    const held = await api('10.9.0.1', TOKEN);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await held.json()) as { error: { code: string } }).error.code).toBe('E_TOO_MANY_ATTEMPTS');
    // the login form and ?token= are held too
    const form = await fetch(`${limited.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.9.0.1' }, body: `token=${TOKEN}&next=%2F` });
    expect(form.status).toBe(429);
    expect(await form.text()).toContain('令牌错误次数过多');
    expect((await fetch(`${limited.url}/upload?token=${TOKEN}`, { redirect: 'manual', headers: { 'x-forwarded-for': '10.9.0.1' } })).status).toBe(429);
    expect((await api('10.9.0.2', TOKEN)).status).toBe(200);
  });

  it('counts wrong tokens from the login form and ?token= as well', async () => {
    const client = { 'x-forwarded-for': '10.9.0.3' };
    await fetch(`${limited.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...client }, body: 'token=nope&next=%2F' });
    await fetch(`${limited.url}/upload?token=nope`, { redirect: 'manual', headers: client });
    await fetch(`${limited.url}/api/info?token=nope`, { headers: client });
    expect((await fetch(`${limited.url}/api/info`, { headers: { authorization: `Bearer ${TOKEN}`, ...client } })).status).toBe(429);
  });
});
