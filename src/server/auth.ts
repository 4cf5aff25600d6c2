import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localTarget } from './redirects.js';
import { FailedLogins } from './failed-logins.js';
import { SESSION_TTL_MS, Sessions } from './sessions.js';

/**
 * The access token (CROSSFOOT_TOKEN): every API call and every page needs it when it is set. Scripts send
 * `Authorization: Bearer <token>`; a browser logs in at the login page or opens any page once with
 * `?token=<token>` (then redirected to the same address without it) and gets an HttpOnly, SameSite=Strict
 * cookie holding a session id (sessions.ts), which /logout revokes.
 */
export const COOKIE = 'crossfoot_session';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function tokenMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function bearer(request: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return m?.[1]?.trim();
}

function queryToken(request: FastifyRequest): string | undefined {
  const t = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof t === 'string' ? t : undefined;
}

/** Secure when the browser speaks TLS to us — directly, or to the proxy in front when --trust-proxy says there is one. */
const sessionCookie = (request: FastifyRequest, sessions: Sessions) =>
  `${COOKIE}=${sessions.open()}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}${request.protocol === 'https' ? '; Secure' : ''}`;

/** A page address without its token parameter (a path on this server: see localTarget). */
function withoutToken(request: FastifyRequest): string {
  const u = new URL(request.url, 'http://x');
  u.searchParams.delete('token');
  return localTarget(`${u.pathname}${u.search}`, request);
}

const isApi = (url: string) => url.startsWith('/api/') || url === '/api' || url.startsWith('/admin/');
const isPublic = (url: string) => url === '/login' || url.startsWith('/login?') || url === '/login.css' || url === '/healthz' || url === '/favicon.ico';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The name part of a Host header (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:8080` → `[::1]`), lower case. */
export function hostName(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(host.trim().toLowerCase());
  return m ? m[1]! : '';
}

/** Whether a Host header names this machine (the only names a loopback-bound server answers to). */
export function isLoopbackHost(host: string | undefined, bound: string): boolean {
  if (!host) return false;
  const name = hostName(host);
  const boundName = bound.includes(':') && !bound.startsWith('[') ? `[${bound.toLowerCase()}]` : bound.toLowerCase();
  return LOOPBACK_NAMES.has(name) || name === boundName;
}

/**
 * Whether a state-changing request comes from this server's own pages: its `Origin` names the host the request
 * was sent to, or (no Origin) the browser does not call it cross-site. Scripts (curl) send neither and pass;
 * the token, where set, still applies to them. The scheme is not compared, so a TLS-terminating proxy in front
 * does not make the server's own pages foreign.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return false; // "null" (sandboxed frames, cross-site redirects) or garbage
    }
    return originHost !== '' && originHost === (request.headers.host ?? '').toLowerCase();
  }
  return request.headers['sec-fetch-site'] !== 'cross-site';
}

/**
 * Guards that run before the token: a server bound to loopback answers only to the names of this machine (a
 * page on another site that re-resolves its own name to 127.0.0.1 — DNS rebinding — gets 421, never the
 * archive); and no state-changing request from another site's page (a cross-site form or fetch) gets through
 * (403), whatever cookie the browser attaches.
 */
export function registerRequestGuards(app: FastifyInstance, boundHost: string, loopbackOnly: boolean): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (loopbackOnly && !isLoopbackHost(request.headers.host, boundHost)) {
      request.log.warn({ host: request.headers.host }, 'request for a foreign host name refused');
      return reply.code(421).send({ error: { code: 'E_HOST', message: '本服务只接受以 localhost、127.0.0.1 或 [::1] 访问的请求（主机名不符）' } });
    }
    if (STATE_CHANGING.has(request.method) && !sameOrigin(request)) {
      request.log.warn({ origin: request.headers.origin, method: request.method, url: request.url.split('?')[0] }, 'cross-site request refused');
      return reply.code(403).send({ error: { code: 'E_ORIGIN', message: '拒绝来自其他网站的请求：只能在本服务自己的页面上提交' } });
    }
  });
}

/** The wait a client held by the back-off is told about, in whole minutes (at least one). */
const minutesOf = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
const HELD_MESSAGE = (ms: number) => `令牌错误次数过多，请 ${minutesOf(ms)} 分钟后再试`;

export function registerAuth(app: FastifyInstance, token: string | undefined, loginAttempts: number): void {
  const sessions = new Sessions();
  const failedLogins = new FailedLogins(loginAttempts);
  // a form body only for the login form: the API takes JSON (reviews) and multipart (uploads), which a page on
  // another site cannot send without the browser asking first (or, for multipart, without an Origin header)
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (request, body, done) => {
    if (request.url.split('?')[0] !== '/login') {
      done(Object.assign(new Error('表单格式的请求体只用于登录；接口请用 JSON（审核意见）或 multipart/form-data（上传）'), { statusCode: 415, code: 'E_INPUT' }), undefined);
      return;
    }
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/login', async (request, reply) => {
    const next = localTarget((request.query as Record<string, unknown>).next, request);
    const failed = (request.query as Record<string, unknown>).failed === '1';
    return reply.type('text/html; charset=utf-8').send(loginPage(next, failed ? '令牌不正确，请重试。' : undefined, token !== undefined));
  });
  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const next = localTarget(body.next, request);
    if (!token) return reply.redirect(next, 303);
    const held = failedLogins.heldFor(request.ip);
    if (held) {
      return reply.code(429).header('retry-after', String(Math.ceil(held / 1000))).type('text/html; charset=utf-8').send(loginPage(next, `${HELD_MESSAGE(held)}。`, true));
    }
    if (!tokenMatches(token, typeof body.token === 'string' ? body.token.trim() : undefined)) {
      failedLogins.failed(request.ip);
      request.log.warn('login with a wrong token');
      return reply.redirect(`/login?failed=1&next=${encodeURIComponent(next)}`, 303);
    }
    failedLogins.succeeded(request.ip);
    return reply.header('set-cookie', sessionCookie(request, sessions)).redirect(next, 303);
  });
  app.get('/logout', async (request, reply) => {
    sessions.revoke(cookieValue(request.headers.cookie, COOKIE));
    return reply.header('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).redirect('/login', 303);
  });

  if (!token) return;
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url;
    if (isPublic(url)) return;
    if (sessions.isOpen(cookieValue(request.headers.cookie, COOKIE))) return;
    const fromHeader = bearer(request);
    const given = fromHeader ?? queryToken(request);
    if (given !== undefined) {
      const held = failedLogins.heldFor(request.ip);
      if (held) {
        return reply.code(429).header('retry-after', String(Math.ceil(held / 1000))).send({ error: { code: 'E_TOO_MANY_ATTEMPTS', message: HELD_MESSAGE(held) } });
      }
      if (tokenMatches(token, given)) {
        failedLogins.succeeded(request.ip);
        // a page opened with ?token=…: remember it in a session and drop it from the address bar
        if (fromHeader === undefined && !isApi(url) && request.method === 'GET') {
          return reply.header('set-cookie', sessionCookie(request, sessions)).redirect(withoutToken(request), 303);
        }
        return;
      }
      failedLogins.failed(request.ip);
      request.log.warn('request with a wrong token');
    }
    if (isApi(url) || request.method !== 'GET' || url.startsWith('/assets/')) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="crossfoot"').send({ error: { code: 'E_AUTH', message: '需要访问令牌：请求头 Authorization: Bearer <令牌>，或先登录' } });
    }
    return reply.redirect(`/login?next=${encodeURIComponent(withoutToken(request))}`, 303);
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(next: string, error: string | undefined, required: boolean): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · crossfoot 报告核查</title><link rel="stylesheet" href="/login.css"></head>
<body class="login"><form method="post" action="/login" class="login-box">
<h1>crossfoot 报告核查</h1>
${required ? '' : '<p class="note">本服务未设置访问令牌，无需登录。</p>'}
<label for="token">访问令牌</label>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<input type="hidden" name="next" value="${escapeHtml(next)}">
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">登录</button>
<p class="note">令牌由管理员在启动服务时设置（环境变量 CROSSFOOT_TOKEN），或在服务启动日志中给出。</p>
</form></body></html>`;
}

export const LOGIN_CSS = `body.login{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f5f8;font:14px/1.5 "Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;color:#1f2933}
.login-box{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:28px 32px;width:340px;box-shadow:0 2px 8px rgba(0,0,0,.05)}
.login-box h1{font-size:18px;margin:0 0 16px}.login-box label{display:block;margin:8px 0 4px;color:#52606d}
.login-box input[type=password]{width:100%;box-sizing:border-box;padding:7px 9px;border:1px solid #bcc6d1;border-radius:4px;font-size:14px}
.login-box button{margin-top:14px;width:100%;padding:8px;background:#1f5fa8;color:#fff;border:0;border-radius:4px;font-size:14px;cursor:pointer}
.login-box .error{color:#b42318;margin:8px 0 0}.login-box .note{color:#7b8794;font-size:12px;margin:12px 0 0}`;
