import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The access token (CROSSFOOT_TOKEN): every API call and every page needs it when it is set. Scripts send
 * `Authorization: Bearer <token>`; a browser gets an HttpOnly, SameSite=Strict cookie from the login page or
 * from opening any page once with `?token=<token>` (then redirected to the same address without it).
 */
export const COOKIE = 'crossfoot_token';

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

const cookieHeader = (token: string, secure: boolean) => `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;

/** A page address without its token parameter. */
function withoutToken(url: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.delete('token');
  return `${u.pathname}${u.search}`;
}

/** Only local paths: `next` must not send the browser to another site after logging in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

const isApi = (url: string) => url.startsWith('/api/') || url === '/api' || url.startsWith('/admin/');
const isPublic = (url: string) => url === '/login' || url.startsWith('/login?') || url === '/login.css' || url === '/healthz' || url === '/favicon.ico';

export function registerAuth(app: FastifyInstance, token: string | undefined): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    const failed = (request.query as Record<string, unknown>).failed === '1';
    return reply.type('text/html; charset=utf-8').send(loginPage(next, failed, token !== undefined));
  });
  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    if (!token) return reply.redirect(next, 303);
    if (!tokenMatches(token, typeof body.token === 'string' ? body.token.trim() : undefined)) {
      request.log.warn('login with a wrong token');
      return reply.redirect(`/login?failed=1&next=${encodeURIComponent(next)}`, 303);
    }
    return reply.header('set-cookie', cookieHeader(token, request.protocol === 'https')).redirect(next, 303);
  });
  app.get('/logout', async (_request, reply) =>
    reply.header('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).redirect('/login', 303),
  );

  if (!token) return;
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url;
    if (isPublic(url)) return;
    if (tokenMatches(token, bearer(request)) || tokenMatches(token, cookieValue(request.headers.cookie, COOKIE))) return;
    const fromQuery = queryToken(request);
    if (fromQuery !== undefined && tokenMatches(token, fromQuery)) {
      // a page opened with ?token=…: remember it in the cookie and drop it from the address bar
      if (!isApi(url) && request.method === 'GET') {
        return reply.header('set-cookie', cookieHeader(token, request.protocol === 'https')).redirect(withoutToken(url), 303);
      }
      return;
    }
    if (isApi(url) || request.method !== 'GET' || url.startsWith('/assets/')) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="crossfoot"').send({ error: { code: 'E_AUTH', message: '需要访问令牌：请求头 Authorization: Bearer <令牌>，或先登录' } });
    }
    return reply.redirect(`/login?next=${encodeURIComponent(withoutToken(url))}`, 303);
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(next: string, failed: boolean, required: boolean): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · crossfoot 报告核查</title><link rel="stylesheet" href="/login.css"></head>
<body class="login"><form method="post" action="/login" class="login-box">
<h1>crossfoot 报告核查</h1>
${required ? '' : '<p class="note">本服务未设置访问令牌，无需登录。</p>'}
<label for="token">访问令牌</label>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
<input type="hidden" name="next" value="${escapeHtml(next)}">
${failed ? '<p class="error" role="alert">令牌不正确，请重试。</p>' : ''}
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
