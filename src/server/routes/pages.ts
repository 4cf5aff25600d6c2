import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOGIN_CSS } from '../auth.js';
import type { ServerDeps } from '../http.js';

/** The package root (this file is src/server/routes/pages.ts or dist/server/routes/pages.js). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_PUBLIC = path.join(ROOT, 'web', 'public');
/** The compiled browser code (`tsc -p web/tsconfig.json`). */
export const WEB_JS = path.join(ROOT, 'dist', 'web');

const PAGES = ['/', '/dashboard', '/upload', '/batches', '/batches/:id', '/documents', '/documents/:sha256', '/search', '/export'];

/** Every compiled module, as /assets/js/… paths. */
function modules(dir = WEB_JS, prefix = '/assets/js/'): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(path.join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith('.js') ? [`${prefix}${e.name}`] : [],
  );
}

/**
 * The single-page app's shell, read per request so a rebuilt front-end is served without a restart. Without a
 * bundler the browser would find the modules import by import, one round trip per level; a modulepreload link for
 * each lets it fetch them all at once.
 */
export const shell = () =>
  readFileSync(path.join(WEB_PUBLIC, 'index.html'), 'utf8').replace('</head>', `${modules().map((m) => `<link rel="modulepreload" href="${m}">`).join('\n')}\n</head>`);

/** The browser's pages and assets, the login style sheet, and the health probes. */
export async function pageRoutes(app: FastifyInstance, { archive, batches }: ServerDeps): Promise<void> {
  // decorateReply off: Bull Board registers its own copy of the plugin
  await app.register(fastifyStatic, { root: WEB_PUBLIC, prefix: '/assets/', decorateReply: false, index: false, wildcard: true });
  await app.register(fastifyStatic, { root: WEB_JS, prefix: '/assets/js/', decorateReply: false, index: false, wildcard: true });

const sendShell = async (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(shell());
for (const page of PAGES) app.get(page, sendShell);
app.get('/login.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(LOGIN_CSS));
// liveness: the process answers (restart it when not). Readiness: what requests need answers too (send it no
// traffic when not; it recovers by itself when Redis or the database is back)
app.get('/healthz', async () => ({ ok: true }));
app.get('/readyz', async (_request, reply) => {
  const [archiveUp, batchesUp] = await Promise.all([archive.ping().then(() => true, () => false), batches.ready()]);
  const body = { ok: archiveUp && batchesUp, archive: archiveUp, ...(batches.mode === 'queue' ? { redis: batchesUp } : {}) };
  return reply.code(body.ok ? 200 : 503).send(body);
});
}
