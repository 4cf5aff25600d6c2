import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/** Every compiled module's path inside dist/web, and the latest of their modification times. */
function modules(dir = WEB_JS, prefix = ''): { files: string[]; changed: number } {
  if (!existsSync(dir)) return { files: [], changed: 0 };
  const out = { files: [] as string[], changed: 0 };
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      const sub = modules(path.join(dir, e.name), `${prefix}${e.name}/`);
      out.files.push(...sub.files);
      out.changed = Math.max(out.changed, sub.changed);
    } else if (e.name.endsWith('.js')) {
      out.files.push(`${prefix}${e.name}`);
      out.changed = Math.max(out.changed, statSync(path.join(dir, e.name)).mtimeMs);
    }
  }
  return out;
}

/**
 * The single-page app's shell, read per request so a rebuilt front-end is served without a restart. The modules
 * are addressed under the build's version (/assets/js/v-<version>/…), so the browser may keep them without asking
 * again (30 revalidations cost more than the page's data) and a rebuild changes every address at once; relative
 * imports stay inside the version. Without a bundler the browser would also find the modules import by import, one
 * round trip per level; a modulepreload link for each lets it fetch them all at once.
 */
export const shell = () => {
  const { files, changed } = modules();
  const base = `/assets/js/v-${Math.round(changed).toString(36)}/`;
  return readFileSync(path.join(WEB_PUBLIC, 'index.html'), 'utf8')
    .replace('/assets/js/app.js', `${base}app.js`)
    .replace('</head>', `${files.map((m) => `<link rel="modulepreload" href="${base}${m}">`).join('\n')}\n</head>`);
};

/** The browser's pages and assets, the login style sheet, and the health probes. */
export async function pageRoutes(app: FastifyInstance, { archive, batches }: ServerDeps): Promise<void> {
  // decorateReply off: Bull Board registers its own copy of the plugin
  await app.register(fastifyStatic, { root: WEB_PUBLIC, prefix: '/assets/', decorateReply: false, index: false, wildcard: true });
  await app.register(fastifyStatic, { root: WEB_JS, prefix: '/assets/js/', decorateReply: false, index: false, wildcard: true });
  // a module under its build's version: never changes at that address, so it is cached for good
  app.get('/assets/js/v-:version/*', async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (!/^(?:[\w-]+\/)*[\w.-]+\.js(?:\.map)?$/.test(file) || file.split('/').some((p) => p.startsWith('.'))) return reply.code(404).send({ error: { code: 'E_NOT_FOUND', message: '没有这个文件' } });
    const full = path.join(WEB_JS, file);
    if (!existsSync(full)) return reply.code(404).send({ error: { code: 'E_NOT_FOUND', message: '没有这个文件' } });
    return reply
      .type(file.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(createReadStream(full));
  });

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
