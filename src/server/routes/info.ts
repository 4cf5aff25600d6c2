import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../http.js';

/** What the browser asks first: the version, the mode and limits, and the rules in force. */
export async function infoRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { config, archive, batches } = deps;
app.get('/api/info', async () => ({
  version: deps.version,
  mode: batches.mode,
  archive: archive.backend,
  tokenRequired: config.token !== undefined,
  limits: { maxFileBytes: config.maxFileBytes, maxFiles: config.maxFiles, maxZipEntries: config.maxZipEntries, extensions: ['docx', 'pdf', 'txt', 'zip'] },
  queueDashboard: deps.queues?.length ? '/admin/queues' : null,
}));

app.get('/api/rules', async () => deps.rules ?? []);
}
