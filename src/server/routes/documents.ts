import type { FastifyInstance, FastifyRequest } from 'fastify';
import { headingLines } from '../../outline.js';
import { HttpError, notFound, parse, type ServerDeps } from '../http.js';
import { archiveQuery, cleanQuery, FingerprintSchema, ListQuerySchema, ReviewBodySchema, Sha256Schema } from '../schemas.js';

/** The archive's documents: the list, one report, the report view's data, the text, and reviews of findings. */
export async function documentRoutes(app: FastifyInstance, { archive }: ServerDeps): Promise<void> {
app.get('/api/documents', async (request) => {
  const q = parse(ListQuerySchema, cleanQuery(request.query), '查询条件');
  const result = await archive.search(archiveQuery(q, q));
  return { total: result.total, page: q.page, limit: q.limit, pages: Math.max(1, Math.ceil(result.total / q.limit)), documents: result.hits };
});

const shaParam = (request: FastifyRequest) => parse(Sha256Schema, (request.params as { sha256: string }).sha256, '文档编号');

app.get('/api/documents/:sha256', async (request) => {
  const sha256 = shaParam(request);
  const [report] = await archive.reports([sha256]);
  if (!report) throw notFound('档案库中没有这份文档');
  return report;
});

/** What the report view needs: the report (with table cells), its text, and the reviews of its findings. */
app.get('/api/documents/:sha256/view', async (request) => {
  const sha256 = shaParam(request);
  const doc = await archive.document(sha256);
  if (!doc) throw notFound('档案库中没有这份文档');
  return { report: doc.report, text: doc.text, headings: headingLines(doc.text), reviews: await archive.reviews(sha256) };
});

app.get('/api/documents/:sha256/text', async (request, reply) => {
  const sha256 = shaParam(request);
  const doc = await archive.document(sha256);
  if (!doc) throw notFound('档案库中没有这份文档');
  return reply.type('text/plain; charset=utf-8').send(doc.text);
});

app.get('/api/documents/:sha256/reviews', async (request) => {
  const sha256 = shaParam(request);
  if (!(await archive.reports([sha256])).length) throw notFound('档案库中没有这份文档');
  return archive.reviews(sha256);
});

app.post('/api/findings/:id/review', async (request, reply) => {
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'E_INPUT', '审核意见请以 JSON 提交（Content-Type: application/json）');
  }
  const fingerprint = parse(FingerprintSchema, (request.params as { id: string }).id, '发现编号');
  const body = parse(ReviewBodySchema, request.body ?? {}, '审核意见');
  const [report] = await archive.reports([body.sha256]);
  if (!report) throw notFound('档案库中没有这份文档');
  if (!report.findings.some((f) => f.id === fingerprint)) throw notFound('这份文档的当前报告中没有这条发现');
  const review = await archive.addReview({
    sha256: body.sha256,
    fingerprint,
    decision: body.decision,
    ...(body.comment ? { comment: body.comment } : {}),
    reviewer: body.reviewer ?? 'web',
  });
  request.log.info({ sha256: body.sha256, fingerprint, decision: body.decision }, 'review stored');
  return reply.code(201).send(review);
});
}
