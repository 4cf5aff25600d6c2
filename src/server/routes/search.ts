import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { documentTable, toCsv, workingPaper, writeXlsx } from '../../archive/export.js';
import type { DocumentRecord } from '../../archive/repository.js';
import { parse, type ServerDeps } from '../http.js';
import { archiveQuery, cleanQuery, FilterQuerySchema, SearchQueryParamsSchema } from '../schemas.js';

function stamp(): string {
  return new Date().toISOString().slice(0, 10).replace(/-/g, '');
}

/** Where the reviewer reached this server: the export's links to each report point there. */
const linkBase = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** Full-text search over the archive, and the export of a filter as CSV or xlsx. */
export async function searchRoutes(app: FastifyInstance, { archive }: ServerDeps): Promise<void> {
app.get('/api/search', async (request) => {
  const q = parse(SearchQueryParamsSchema, cleanQuery(request.query), '搜索条件');
  const result = await archive.search(archiveQuery(q, q));
  return { total: result.total, page: q.page, limit: q.limit, pages: Math.max(1, Math.ceil(result.total / q.limit)), hits: result.hits };
});

const exportRecords = async (request: FastifyRequest): Promise<DocumentRecord[]> => {
  const q = parse(FilterQuerySchema, cleanQuery(request.query), '导出条件');
  return (await archive.search(archiveQuery(q))).hits.map(({ score: _s, snippet: _p, ...record }) => record);
};

app.get('/api/export.csv', async (request, reply) => {
  const records = await exportRecords(request);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="crossfoot-${stamp()}.csv"`)
    .send(toCsv(documentTable(records, { linkBase: linkBase(request) })));
});

app.get('/api/export.xlsx', async (request, reply) => {
  const records = await exportRecords(request);
  const findings = await archive.findings(records.map((r) => r.sha256));
  const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-export-'));
  const file = path.join(dir, `${randomBytes(6).toString('hex')}.xlsx`);
  try {
    await writeXlsx(file, workingPaper(records, findings, { linkBase: linkBase(request) }));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const stream = createReadStream(file);
  stream.on('close', () => void rm(dir, { recursive: true, force: true }));
  return reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename="crossfoot-${stamp()}.xlsx"`)
    .send(stream);
});
}
