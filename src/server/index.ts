import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { archiveOptions, openArchive } from '../archive/index.js';
import { CheckPool } from '../pool/pool.js';
import { loadPackSet, type PackSetSource } from '../packs.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from '../readers/types.js';
import { buildServer } from './app.js';
import { type BatchService, LocalBatches } from './batches.js';
import type { ServerConfig } from './config.js';
import { UploadStore } from './uploads.js';

export { buildServer } from './app.js';
export { HttpError } from './http.js';
export { type BatchDocument, type BatchService, type BatchStatus, type BatchSummary, LocalBatches } from './batches.js';
export { isLoopback, generateToken, serverConfig, ServerConfigError, ServerConfigSchema, type ServerConfig } from './config.js';
export { cleanName, UploadStore, type UploadOutcome } from './uploads.js';

export interface RunningServer {
  app: FastifyInstance;
  mode: BatchService['mode'];
  close(): Promise<void>;
}

export interface CreateServerOptions {
  version: string;
  /** Rule packs for in-process checking (the queue's workers use their own). */
  source?: PackSetSource;
  limits?: ReadLimits;
  logger?: boolean | Record<string, unknown>;
  /** Where closing says what it leaves unchecked (one English line; default stderr). */
  notice?: (line: string) => void;
}

/**
 * The web server with everything it runs on: the archive, the upload folder, and either the in-process checker
 * (a worker-thread pool) or a queue client. Not listening yet: call `app.listen`.
 */
export async function createServer(config: ServerConfig, options: CreateServerOptions): Promise<RunningServer> {
  const source: PackSetSource = options.source ?? { extraPacks: [], rules: {} };
  const archive = await openArchive(archiveOptions(config.db));
  const closers: (() => Promise<unknown>)[] = [() => archive.close()];
  try {
    const uploads = new UploadStore(path.resolve(config.uploadDir), {
      maxFileBytes: config.maxFileBytes,
      maxZipEntries: config.maxZipEntries,
      maxZipInflatedBytes: config.maxZipInflatedBytes,
    });
    await uploads.init();
    // refuse rule packs whose examples fail before any worker starts
    const packs = await loadPackSet(source);
    const rules = [...packs.rules, ...packs.crossRules].map((r) => ({ ruleId: r.ruleId, type: r.spec.type, name: r.spec.name ?? null, severity: r.severity, description: r.spec.description }));
    let batches: BatchService;
    let queues;
    if (config.redisUrl) {
      const [{ checkPersistence, QueueClient, queueConfig }, { QueueBatches }] = await Promise.all([import('../queue/index.js'), import('./queue-batches.js')]);
      // before the server's logger exists: stderr, where serve's start-up lines go
      await checkPersistence(config.redisUrl, (line) => process.stderr.write(`crossfoot: ${line}\n`));
      const client = await QueueClient.connect(queueConfig({ redisUrl: config.redisUrl }));
      batches = new QueueBatches(client, config.maxBatches, uploads);
      queues = client.queues();
    } else {
      const pool = new CheckPool({
        concurrency: config.concurrency,
        timeoutMs: config.timeoutMs,
        limits: { ...DEFAULT_READ_LIMITS, ...options.limits, maxBytes: Math.max(config.maxFileBytes, options.limits?.maxBytes ?? 0) },
        packs,
        includeText: true,
      });
      closers.unshift(() => pool.close());
      batches = new LocalBatches({ pool, archive, packs, inFlight: config.concurrency * 2, maxBatches: config.maxBatches });
    }
    closers.unshift(() => batches.close());
    const app = await buildServer({ config, archive, batches, uploads, rules, packs, ...(queues ? { queues } : {}), version: options.version, ...(options.logger !== undefined ? { logger: options.logger } : {}) });
    if (batches instanceof LocalBatches) {
      batches.log = app.log;
      if (options.notice) batches.notice = options.notice;
    }
    closers.unshift(() => app.close());
    return {
      app,
      mode: batches.mode,
      close: async () => {
        for (const close of closers) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}
