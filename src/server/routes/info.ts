import type { FastifyInstance } from 'fastify';
import { BROWSER_LABELS } from '../../report/labels.js';
import type { ServerDeps } from '../http.js';

/** What the browser asks first: the version, the mode and limits, the rules in force, and the labels it shows. */
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

  app.get('/api/labels', async () => BROWSER_LABELS);
}
