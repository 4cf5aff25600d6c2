import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Dashboard, dashboardOf } from '../dashboard.js';
import { notFound, parse, type ServerDeps } from '../http.js';

/**
 * The dashboard's numbers: over the whole archive, or over one batch (`?batch=`). The archive's counts are kept
 * until its revision changes (a document or a review added) or a batch moves on, so the home page does not count
 * 10,000 documents' findings on every visit.
 */
export async function dashboardRoutes(app: FastifyInstance, { archive, batches }: ServerDeps): Promise<void> {
  let cached: { key: string; dashboard: Dashboard } | null = null;
  /** The archive's dashboard, counted again only when the archive's revision or the batches have changed. */
  const archiveDashboard = async (): Promise<Dashboard> => {
    const [revision, list] = await Promise.all([archive.revision(), batches.list()]);
    const key = `${revision}|${list.map((b) => `${b.batchId}:${b.done}:${b.failed}:${b.completed}`).join(',')}`;
    if (cached?.key !== key) {
      const { documents, findings } = await archive.overview();
      cached = { key, dashboard: dashboardOf(documents, findings, list) };
    }
    return cached.dashboard;
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
    return archiveDashboard();
  });
}
