import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ArchiveError, ArchiveUnavailableError } from '../archive/errors.js';
import { QueueUnavailableError } from '../queue/config.js';
import { documentTable, findingTable, toCsv, writeXlsx } from '../archive/export.js';
import type { ArchiveRepository, DocumentRecord } from '../archive/repository.js';
import { LOGIN_CSS, registerAuth, registerRequestGuards } from './auth.js';
import { BatchRetryError, type BatchService, type BatchStatus, LocalBatches, rejectedDocument, rejectedReport } from './batches.js';
import { isLoopback, type ServerConfig } from './config.js';
import { isMalformedMultipart, MALFORMED_MULTIPART } from './multipart-errors.js';
import { closeStalledRequests, timeoutOptions } from './timeouts.js';
import { UploadSlots } from './upload-slots.js';
import {
  archiveQuery,
  cleanQuery,
  FilterQuerySchema,
  FingerprintSchema,
  ListQuerySchema,
  ReviewBodySchema,
  SearchQueryParamsSchema,
  Sha256Schema,
  UploadQuerySchema,
  zodMessage,
} from './schemas.js';
import type { UploadOutcome, UploadStore } from './uploads.js';

/** The package root (this file is src/server/app.ts or dist/server/app.js). */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_PUBLIC = path.join(ROOT, 'web', 'public');
/** The compiled browser code (`tsc -p web/tsconfig.json`). */
export const WEB_JS = path.join(ROOT, 'dist', 'web');

export interface ServerDeps {
  config: ServerConfig;
  archive: ArchiveRepository;
  batches: BatchService;
  uploads: UploadStore;
  /** BullMQ queues for the dashboard at /admin/queues (queue mode). */
  queues?: Queue[];
  version: string;
  /** The rules in force (for their Chinese descriptions in the report view). */
  rules?: { ruleId: string; severity: string; description: string }[];
  logger?: boolean | Record<string, unknown>;
}

/** An API error: an HTTP status, an English code and a message for reviewers (Chinese). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = (what: string) => new HttpError(404, 'E_NOT_FOUND', what);
/** What the API and the queue dashboard answer (503) while Redis does not. */
const QUEUE_UNAVAILABLE = { code: 'E_QUEUE', message: '任务队列（Redis）暂时无法访问，请稍后重试' };

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HttpError(400, 'E_INPUT', `${what}不正确：${zodMessage(parsed.error, what)}`);
  }
  return parsed.data;
}

const PAGES = ['/upload', '/batches', '/batches/:id', '/documents', '/documents/:sha256', '/search', '/export'];

/** Security headers: no framing, no sniffing, and (for our own pages) scripts and styles from this origin only. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function stamp(): string {
  return new Date().toISOString().slice(0, 10).replace(/-/g, '');
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config, archive, batches, uploads } = deps;
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

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message } });
    if (error instanceof ArchiveUnavailableError) {
      request.log.error({ err: error }, 'archive unavailable');
      return reply.code(503).send({ error: { code: 'E_ARCHIVE', message: '档案库暂时无法访问，请稍后重试' } });
    }
    if (error instanceof QueueUnavailableError) {
      request.log.error({ err: error }, 'queue unavailable');
      return reply.code(503).send({ error: QUEUE_UNAVAILABLE });
    }
    if (error instanceof BatchRetryError) return reply.code(409).send({ error: { code: 'E_RETRY', message: error.message } });
    if (error instanceof ArchiveError) return reply.code(400).send({ error: { code: 'E_INPUT', message: `查询条件不正确：${error.message}` } });
    if (error.code === 'FST_FILES_LIMIT') return reply.code(413).send({ error: { code: 'E_TOO_MANY', message: `一次最多上传 ${config.maxFiles} 个文件` } });
    if (isMalformedMultipart(error)) return reply.code(400).send({ error: MALFORMED_MULTIPART });
    if (error.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return reply.code(415).send({ error: { code: 'E_INPUT', message: '请以 multipart/form-data 上传文件（字段名 file）' } });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send({ error: { code: 'E_INPUT', message: `不支持的请求体类型（${request.headers['content-type'] ?? '无'}）：请用 JSON 或 multipart/form-data` } });
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return reply.code(400).send({ error: { code: 'E_INPUT', message: '请求体不是有效的 JSON' } });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send({ error: { code: 'E_TOO_LARGE', message: '请求体过大' } });
    if (error.statusCode && error.statusCode < 500) {
      const message = /[\u4e00-\u9fff]/.test(error.message) ? error.message : `请求无效（${error.message}）`;
      return reply.code(error.statusCode).send({ error: { code: error.code?.startsWith('E_') ? error.code : 'E_INPUT', message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: { code: 'E_INTERNAL', message: '服务器内部错误，请查看服务日志' } });
  });

  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: config.maxFileBytes, files: config.maxFiles, fields: 20, fieldSize: 1024, parts: config.maxFiles + 20, headerPairs: 100 },
  });
  // decorateReply off: Bull Board registers its own copy of the plugin
  await app.register(fastifyStatic, { root: WEB_PUBLIC, prefix: '/assets/', decorateReply: false, index: false, wildcard: true });
  await app.register(fastifyStatic, { root: WEB_JS, prefix: '/assets/js/', decorateReply: false, index: false, wildcard: true });

  const shell = () => readFileSync(path.join(WEB_PUBLIC, 'index.html'), 'utf8');
  const sendShell = async (_request: FastifyRequest, reply: FastifyReply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(shell());
  for (const page of PAGES) app.get(page, sendShell);
  app.get('/', async (_request, reply) => reply.redirect('/documents', 302));
  app.get('/login.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(LOGIN_CSS));
  // liveness: the process answers (restart it when not). Readiness: what requests need answers too (send it no
  // traffic when not; it recovers by itself when Redis or the database is back)
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const [archiveUp, batchesUp] = await Promise.all([archive.ping().then(() => true, () => false), batches.ready()]);
    const body = { ok: archiveUp && batchesUp, archive: archiveUp, ...(batches.mode === 'queue' ? { redis: batchesUp } : {}) };
    return reply.code(body.ok ? 200 : 503).send(body);
  });

  if (deps.queues?.length) {
    const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/fastify'),
    ]);
    const serverAdapter = new FastifyAdapter();
    createBullBoard({
      queues: deps.queues.map((q) => new BullMQAdapter(q)),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'crossfoot 队列' } },
    });
    serverAdapter.setBasePath('/admin/queues');
    await app.register(
      async (board) => {
        // Bull Board answers its own errors (500 "Connection is closed."); while Redis is down that is our 503
        board.addHook('onSend', async (request, reply, payload) => {
          if (reply.statusCode < 500 || (await batches.ready())) return payload;
          request.log.warn({ url: request.url }, 'queue dashboard: Redis unavailable');
          reply.code(503).type('application/json; charset=utf-8');
          return JSON.stringify({ error: QUEUE_UNAVAILABLE });
        });
        await board.register(serverAdapter.registerPlugin());
      },
      { prefix: '/admin/queues' },
    );
  }

  // ------------------------------------------------------------------ API

  app.get('/api/info', async () => ({
    version: deps.version,
    mode: batches.mode,
    archive: archive.backend,
    tokenRequired: config.token !== undefined,
    limits: { maxFileBytes: config.maxFileBytes, maxFiles: config.maxFiles, maxZipEntries: config.maxZipEntries, extensions: ['docx', 'pdf', 'txt', 'zip'] },
    queueDashboard: deps.queues?.length ? '/admin/queues' : null,
  }));

  app.get('/api/rules', async () => [
    ...(deps.rules ?? []),
    { ruleId: 'archive/prior-year', severity: 'warning', description: '报告所述上年数据应与档案库中同一单位上年报告一致' },
  ]);

  const uploadSlots = new UploadSlots(config.maxConcurrentUploads);
  app.post('/api/documents', { onRequest: uploadSlots.claim }, async (request, reply) => {
    const query = parse(UploadQuerySchema, cleanQuery(request.query), '参数');
    if (!request.isMultipart()) throw new HttpError(415, 'E_INPUT', '请以 multipart/form-data 上传文件（字段名 file，可多个）');
    // a continuation of a drop larger than one request: the batch must exist before anything is stored
    if (query.batch !== undefined && !(await batches.status(query.batch))) throw notFound('没有这个批次，无法向其追加文件');
    const outcomes: UploadOutcome[] = [];
    // a batch that could not be made (Redis down: 503) checks none of its files, so none of them stays
    const discardingOnFailure = async <T>(submit: () => Promise<T>): Promise<T> => {
      try {
        return await submit();
      } catch (error) {
        const removed = await uploads.discard(outcomes);
        request.log.warn({ err: error, removed }, 'upload not submitted: the files it stored were removed');
        throw error;
      }
    };
    let name = query.name;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const file = part.file;
          outcomes.push(...(await uploads.receive(part.filename, file, () => file.truncated)));
        } else if (part.fieldname === 'name' && typeof part.value === 'string' && part.value.trim()) {
          name = part.value.trim().slice(0, 100);
        }
      }
    } catch (error) {
      // refused part-way (too many files, the client gone): nothing of it is checked, so nothing of it stays
      const removed = await uploads.discard(outcomes);
      request.log.warn({ err: error, removed }, 'upload refused part-way: the files it stored were removed');
      throw error;
    }
    if (!outcomes.length) throw new HttpError(400, 'E_INPUT', '请求中没有文件：请用 multipart 字段 file 上传 .docx、.pdf、.txt 或 .zip');
    if (query.batch !== undefined) {
      for (const o of outcomes) if (o.kind === 'rejected') request.log.info({ file: o.name, code: o.code }, 'upload refused');
      const appended = await discardingOnFailure(() => batches.append(query.batch!, outcomes));
      if (!appended) {
        await uploads.discard(outcomes);
        throw notFound('没有这个批次，无法向其追加文件');
      }
      return reply.code(202).send({ batchId: appended.batchId, mode: batches.mode, batch: appended });
    }
    const accepted = outcomes.filter((o) => o.kind === 'accepted');
    for (const o of outcomes) if (o.kind === 'rejected') request.log.info({ file: o.name, code: o.code }, 'upload refused');
    if (!accepted.length) {
      const codes = new Set(outcomes.map((o) => (o.kind === 'rejected' ? o.code : '')));
      const status = codes.size === 1 && codes.has('E_TOO_LARGE') ? 413 : codes.size === 1 && codes.has('E_UNSUPPORTED') ? 415 : 400;
      const rejected = outcomes.filter((o) => o.kind === 'rejected');
      return reply.code(status).send({
        error: { code: status === 413 ? 'E_TOO_LARGE' : status === 415 ? 'E_UNSUPPORTED' : 'E_INPUT', message: `没有可检查的文件：${rejected.map((o) => `${o.name}：${o.message}`).join('；')}` },
        documents: rejected.map(rejectedDocument),
        reports: rejected.map(rejectedReport),
      });
    }
    const wait = (query.wait ?? true) && batches instanceof LocalBatches;
    const submitted = await discardingOnFailure(() => batches.submit(outcomes, { ...(name ? { name } : {}), keepReports: wait }));
    if (wait && batches instanceof LocalBatches) {
      const settled = (await batches.settled(submitted.batchId))!;
      return reply.code(200).send({ batchId: settled.batchId, mode: batches.mode, batch: settled, reports: batches.takeReports(settled.batchId) });
    }
    return reply.code(202).send({ batchId: submitted.batchId, mode: batches.mode, batch: submitted });
  });

  app.get('/api/documents', async (request) => {
    const q = parse(ListQuerySchema, cleanQuery(request.query), '查询条件');
    const result = await archive.search(archiveQuery(q, q));
    return { total: result.total, page: q.page, limit: q.limit, pages: Math.max(1, Math.ceil(result.total / q.limit)), documents: result.hits };
  });

  app.get('/api/search', async (request) => {
    const q = parse(SearchQueryParamsSchema, cleanQuery(request.query), '搜索条件');
    const result = await archive.search(archiveQuery(q, q));
    return { total: result.total, page: q.page, limit: q.limit, pages: Math.max(1, Math.ceil(result.total / q.limit)), hits: result.hits };
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
    return { report: doc.report, text: doc.text, reviews: await archive.reviews(sha256) };
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

  const exportRecords = async (request: FastifyRequest): Promise<DocumentRecord[]> => {
    const q = parse(FilterQuerySchema, cleanQuery(request.query), '导出条件');
    return (await archive.search(archiveQuery(q))).hits.map(({ score: _s, snippet: _p, ...record }) => record);
  };

  app.get('/api/export.csv', async (request, reply) => {
    const records = await exportRecords(request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="crossfoot-${stamp()}.csv"`)
      .send(toCsv(documentTable(records)));
  });

  app.get('/api/export.xlsx', async (request, reply) => {
    const records = await exportRecords(request);
    const findings = await archive.findings(records.map((r) => r.sha256));
    const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-export-'));
    const file = path.join(dir, `${randomBytes(6).toString('hex')}.xlsx`);
    try {
      await writeXlsx(file, [documentTable(records), findingTable(findings, records)]);
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

  app.get('/api/batches', async () => ({ mode: batches.mode, batches: (await batches.list()).map(({ documents: _d, ...rest }) => rest) }));

  const batchParam = (request: FastifyRequest) => parse(z.string().regex(/^[\w-]{1,100}$/), (request.params as { id: string }).id, '批次编号');

  app.get('/api/batches/:id', async (request) => {
    const status = await batches.status(batchParam(request));
    if (!status) throw notFound('没有这个批次（进程内模式下，服务重启后批次记录不保留）');
    return status;
  });

  app.post('/api/batches/:id/retry', async (request) => {
    const status = await batches.retry(batchParam(request));
    if (!status) throw notFound(`没有这个批次，无法重试${batches.mode === 'in-process' ? '（本机检查模式下，服务重启后批次记录不保留）' : ''}`);
    return status;
  });

  /** Server-sent events: `status` with the whole BatchStatus on every change, `end` once it has completed. */
  app.get('/api/batches/:id/events', async (request, reply) => {
    const id = batchParam(request);
    const first = await batches.status(id);
    if (!first) throw notFound('没有这个批次');
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    let closed = false;
    let pending: BatchStatus | null = null;
    let timer: NodeJS.Timeout | null = null;
    const send = (status: BatchStatus) => {
      if (closed) return;
      res.write(`event: status\ndata: ${JSON.stringify(status)}\n\n`);
      if (status.completed) finish();
    };
    // at most a few updates a second: a batch of thousands of small files would otherwise flood the browser
    const onChange = (status: BatchStatus) => {
      pending = status;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (pending) send(pending);
        pending = null;
      }, 250);
    };
    const heartbeat = setInterval(() => !closed && res.write(': keep-alive\n\n'), 15_000);
    const stop = batches.watch(id, onChange);
    const finish = () => {
      if (closed) return;
      res.write('event: end\ndata: {}\n\n');
      cleanup();
      res.end();
    };
    const cleanup = () => {
      closed = true;
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      stop();
    };
    request.raw.on('close', cleanup);
    res.write('retry: 2000\n\n');
    // the state may have moved between the first read and the subscription
    send((await batches.status(id)) ?? first);
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: { code: 'E_NOT_FOUND', message: `没有这个接口：${request.method} ${request.url.split('?')[0]}` } });
    return reply.code(404).type('text/html; charset=utf-8').send(shell());
  });

  return app;
}
