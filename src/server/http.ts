import type { Queue } from 'bullmq';
import type { PackSet } from '../checks/pack-set.js';
import type { z } from 'zod';
import type { ArchiveRepository } from '../archive/repository.js';
import type { BatchService } from './batches.js';
import type { ServerConfig } from './config.js';
import type { RuleInfo } from './rule-info.js';
import { zodMessage } from './schemas.js';
import type { UploadStore } from './uploads.js';

/** What the server and each of its route plugins run on. */
export interface ServerDeps {
  config: ServerConfig;
  archive: ArchiveRepository;
  batches: BatchService;
  uploads: UploadStore;
  /** BullMQ queues for the dashboard at /admin/queues (queue mode). */
  queues?: Queue[];
  version: string;
  /** The rules in force (their Chinese names and descriptions, and their type, for the report view). */
  rules?: RuleInfo[];
  /** The packs in force: their cross-document rules re-check a document a reviewer re-groups. */
  packs?: PackSet;
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

export const notFound = (what: string) => new HttpError(404, 'E_NOT_FOUND', what);
/** What the API and the queue dashboard answer (503) while Redis does not. */
export const QUEUE_UNAVAILABLE = { code: 'E_QUEUE', message: '任务队列（Redis）暂时无法访问，请稍后重试' };

/** A request's query, body or parameter by its schema; a 400 naming `what` (Chinese) when it does not fit. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new HttpError(400, 'E_INPUT', `${what}不正确：${zodMessage(parsed.error, what)}`);
  }
  return parsed.data;
}
