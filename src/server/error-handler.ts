import type { FastifyInstance } from 'fastify';
import { ArchiveError, ArchiveUnavailableError } from '../archive/errors.js';
import { QueueUnavailableError } from '../queue/config.js';
import { BatchRetryError } from './batches.js';
import type { ServerConfig } from './config.js';
import { HttpError, QUEUE_UNAVAILABLE } from './http.js';
import { isMalformedMultipart, MALFORMED_MULTIPART } from './multipart-errors.js';

/** Every error as `{ error: { code, message } }`: an English code, a message for reviewers (Chinese). */
export function registerErrorHandler(app: FastifyInstance, config: ServerConfig): void {
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
}
