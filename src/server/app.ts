import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAuth, registerRequestGuards } from './auth.js';
import { isLoopback } from './config.js';
import { registerErrorHandler } from './error-handler.js';
import type { ServerDeps } from './http.js';
import { adminRoutes } from './routes/admin.js';
import { batchRoutes } from './routes/batches.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { documentPageRoutes } from './routes/document-pages.js';
import { documentRoutes } from './routes/documents.js';
import { infoRoutes } from './routes/info.js';
import { pageRoutes, shell } from './routes/pages.js';
import { reviewProgressRoutes } from './routes/review-progress.js';
import { searchRoutes } from './routes/search.js';
import { unitRoutes } from './routes/units.js';
import { uploadRoutes } from './routes/uploads.js';
import { closeStalledRequests, timeoutOptions } from './timeouts.js';


/** Security headers: no framing, no sniffing, and (for our own pages) scripts and styles from this origin only. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger ?? false,
    // open event streams (a batch page left open) must not hold a shutdown
    forceCloseConnections: true,
    // the first hop only (the proxy itself): the client address it appends, not whatever X-Forwarded-For the
    // client sent it
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    bodyLimit: 1024 * 1024,
    ...timeoutOptions(config),
    routerOptions: { maxParamLength: 200 },
  });
  registerRequestGuards(app, config.host, isLoopback(config.host));
  closeStalledRequests(app);
  registerAuth(app, config.token, config.loginAttempts);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    // not no-referrer: with it Chromium posts our own forms (the login form) with `Origin: null`, which the
    // cross-site guard must refuse; same-origin still gives other sites no referrer
    reply.header('referrer-policy', 'same-origin');
    if (!request.url.startsWith('/admin/')) {
      reply.header('x-frame-options', 'DENY');
      reply.header('content-security-policy', CSP);
    }
    return payload;
  });

  registerErrorHandler(app, config);

  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: config.maxFileBytes, files: config.maxFiles, fields: 20, fieldSize: 1024, parts: config.maxFiles + 20, headerPairs: 100 },
  });
  // each area's routes as a plugin; the hooks, guards and error handler above hold for all of them
  for (const routes of [pageRoutes, adminRoutes, infoRoutes, uploadRoutes, documentRoutes, documentPageRoutes, reviewProgressRoutes, dashboardRoutes, unitRoutes, searchRoutes, batchRoutes]) await app.register(routes, deps);

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: { code: 'E_NOT_FOUND', message: `没有这个接口：${request.method} ${request.url.split('?')[0]}` } });
    return reply.code(404).type('text/html; charset=utf-8').send(shell());
  });

  return app;
}
