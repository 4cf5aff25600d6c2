/**
 * Access control and upload limits on the real server: CROSSFOOT_TOKEN for the API (Bearer), the pages (cookie
 * from the login page or ?token= once) and the queue dashboard; a generated token when binding beyond loopback;
 * oversized files and zip bombs refused.
 */
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { fixture, formOf, startServer, type Served } from './harness.js';

const TOKEN = 'test-token-0123456789';
const enc = new TextEncoder();
let server: Served;

beforeAll(async () => {
  // 0.05 MB: about 52 KB per file (the fixtures are a few KB)
  server = await startServer({ env: { CROSSFOOT_TOKEN: TOKEN }, args: ['--max-upload-mb', '0.05'] });
});
afterAll(async () => {
  await server?.stop();
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe('access token', () => {
  it('refuses every API call without it (401) and answers with it', async () => {
    for (const url of ['/api/documents', '/api/info', '/api/search?q=x', '/api/export.xlsx', '/api/batches', `/api/documents/${'a'.repeat(64)}/view`]) {
      const r = await fetch(`${server.url}${url}`);
      expect(r.status, url).toBe(401);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('E_AUTH');
    }
    const post = await fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf([{ name: 'a.txt', bytes: enc.encode('x') }]) });
    expect(post.status).toBe(401);
    const review = await fetch(`${server.url}/api/findings/abcdef12/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(review.status).toBe(401);
    expect((await fetch(`${server.url}/api/documents`, { headers: { authorization: 'Bearer wrong-token-xxxx' } })).status).toBe(401);
    expect((await fetch(`${server.url}/api/documents`, { headers: auth })).status).toBe(200);
  });

  it('sends a browser without it to the login page, and the UI assets stay closed', async () => {
    const page = await fetch(`${server.url}/documents?year=2025`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/documents?year=2025')}`);
    expect((await fetch(`${server.url}/assets/js/app.js`)).status).toBe(401);
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('访问令牌');
  });

  it('logs in by form: a wrong token goes back to the form, the right one sets an HttpOnly cookie', async () => {
    const wrong = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=nope&next=%2Fsearch' });
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toContain('/login?failed=1');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}&next=%2Fsearch` });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/search');
    const cookie = right.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await fetch(`${server.url}/api/documents`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    // `next` never leaves the site
    const away = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}&next=//evil.example/x` });
    expect(away.headers.get('location')).toBe('/');
  });

  it('sends `next` only to a path on this server: tabs, CR/LF and other hosts go to /', async () => {
    const locationFor = async (next: string) => {
      const r = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}&next=${encodeURIComponent(next)}` });
      expect(r.status, JSON.stringify(next)).toBe(303);
      return r.headers.get('location');
    };
    for (const next of ['/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '\t//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)']) {
      expect(await locationFor(next), JSON.stringify(next)).toBe('/');
    }
    // a header cannot be injected: the newline is dropped, as a browser would drop it
    expect(await locationFor('/x\r\nset-cookie: a=b')).toBe('/xset-cookie:%20a=b');
    expect(await locationFor('/search?q=%E5%B9%B4#top')).toBe('/search?q=%E5%B9%B4#top');
    expect(await locationFor(`${server.url}/documents?year=2025`)).toBe('/documents?year=2025');
    // the login page carries the cleaned `next` in its form
    const form = await (await fetch(`${server.url}/login?next=${encodeURIComponent('/\t/evil.example')}`)).text();
    expect(form).toContain('name="next" value="/"');
  });

  it('takes ?token= once on a page: sets the cookie and drops it from the address', async () => {
    const r = await fetch(`${server.url}/upload?token=${TOKEN}`, { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/upload');
    expect(r.headers.get('set-cookie')).toContain('crossfoot_session=');
    const bad = await fetch(`${server.url}/upload?token=wrong`, { redirect: 'manual' });
    expect(bad.headers.get('location')).toContain('/login');
  });
});

describe('sessions', () => {
  const logIn = async (headers: Record<string, string> = {}, url = server.url) =>
    fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: `token=${TOKEN}&next=%2F` });

  it('gives the browser a session id, not the token, and logout revokes it: the same cookie replayed is refused', async () => {
    const cookie = (await logIn()).headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).not.toContain(TOKEN);
    expect((await fetch(`${server.url}/api/documents`, { headers: { cookie } })).status).toBe(200);
    const out = await fetch(`${server.url}/logout`, { redirect: 'manual', headers: { cookie } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await fetch(`${server.url}/api/documents`, { headers: { cookie } })).status).toBe(401);
    const page = await fetch(`${server.url}/documents`, { redirect: 'manual', headers: { cookie } });
    expect(page.headers.get('location')).toMatch(/^\/login/);
    // another session is not touched by that logout
    const other = (await logIn()).headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${server.url}/api/documents`, { headers: { cookie: other } })).status).toBe(200);
  });

  it('marks the cookie Secure behind a TLS proxy only with --trust-proxy', async () => {
    const proxied = { 'x-forwarded-proto': 'https' };
    // without the setting a client's X-Forwarded-Proto is not believed
    expect((await logIn(proxied)).headers.get('set-cookie')).not.toMatch(/Secure/);
    const behindProxy = await startServer({ env: { CROSSFOOT_TOKEN: TOKEN }, args: ['--trust-proxy'] });
    try {
      expect((await logIn(proxied, behindProxy.url)).headers.get('set-cookie')).toMatch(/; Secure/);
      expect((await logIn({}, behindProxy.url)).headers.get('set-cookie')).not.toMatch(/Secure/);
      const byQuery = await fetch(`${behindProxy.url}/upload?token=${TOKEN}`, { redirect: 'manual', headers: proxied });
      expect(byQuery.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await behindProxy.stop();
    }
  });
});

describe('upload limits', () => {
  const upload = async (files: { name: string; bytes: Uint8Array }[]) => {
    const r = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: auth, body: formOf(files) });
    return { status: r.status, body: (await r.json()) as { reports: Report[]; error?: { message: string } } };
  };

  it('refuses a file over the size limit with 413, naming it', async () => {
    const big = new Uint8Array(200 * 1024).fill(0x41);
    const { status, body } = await upload([{ name: 'huge.txt', bytes: big }]);
    expect(status).toBe(413);
    expect(body.error?.message).toContain('huge.txt');
    expect(body.error?.message).toContain('上传大小上限');
    expect(body.reports[0]).toMatchObject({ file: 'huge.txt', status: 'failed', error: { code: 'E_TOO_LARGE' } });
  });

  it('stops a zip bomb at the cap and still checks the rest of the zip', async () => {
    const bomb = zipSync({ 'bomb.txt': new Uint8Array(20 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(50 * 1024);
    const zip = zipSync({ 'a/bomb.zip.txt': new Uint8Array(20 * 1024 * 1024), 'b/report.txt': enc.encode(await fixture('final-school-2025.txt')) }, { level: 9 });
    const { status, body } = await upload([{ name: 'bundle.zip', bytes: zip }]);
    expect(status).toBe(200);
    expect(body.reports.map((r) => [r.file, r.status, r.error?.code])).toEqual([
      ['bundle.zip/a/bomb.zip.txt', 'failed', 'E_TOO_LARGE'],
      ['bundle.zip/b/report.txt', 'ok', undefined],
    ]);
  });
});

describe('binding beyond loopback', () => {
  it('generates a token when none is set, prints it on stderr, and requires it', async () => {
    const open = await startServer({ args: ['--host', '0.0.0.0'] });
    try {
      const token = /generated access token\n\s+(\S+)/.exec(open.log())?.[1];
      expect(token).toBeTruthy();
      const url = open.url.replace('0.0.0.0', '127.0.0.1');
      expect((await fetch(`${url}/api/info`)).status).toBe(401);
      expect((await fetch(`${url}/api/info`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
