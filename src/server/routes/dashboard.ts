import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dashboardOf } from '../dashboard.js';
import { notFound, parse, type ServerDeps } from '../http.js';

/**
 * The dashboard's numbers: over the whole archive, or over one batch (`?batch=`). The archive's counts are kept
 * until its revision changes (a document or a review added), so the home page does not count 10,000 documents'
 * findings on every visit; the batches, which live in this process, are added fresh each time.
 */
export async function dashboardRoutes(app: FastifyInstance, { archive, batches }: ServerDeps): Promise<void> {
  let cached: { revision: string; overview: Awaited<ReturnType<typeof archive.overview>> } | null = null;
  const overview = async () => {
    const revision = await archive.revision();
    if (cached?.revision !== revision) cached = { revision, overview: await archive.overview() };
    return cached.overview;
  };

  app.get('/api/dashboard', async (request) => {
    const batchId = parse(z.string().regex(/^[\w-]{1,100}$/).optional(), (request.query as { batch?: string }).batch || undefined, '批次编号');
    if (batchId) {
      const batch = await batches.status(batchId);
      if (!batch) throw notFound('没有这个批次');
      const shas = [...new Set(batch.documents.flatMap((d) => (d.sha256 ? [d.sha256] : [])))];
      const { documents, findings } = shas.length ? await archive.overview(shas) : { documents: [], findings: [] };
      return dashboardOf(documents, findings, [batch]);
    }
    const [{ documents, findings }, list] = await Promise.all([overview(), batches.list()]);
    return dashboardOf(documents, findings, list);
  });
}
