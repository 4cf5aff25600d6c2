import { hostname } from 'node:os';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { openArchive, type ArchiveOptions, type ArchiveRepository } from '../archive/index.js';
import { storeWithUnit } from '../cross/archive.js';
import { CheckPool } from '../pool/pool.js';
import { loadPackSet, type PackSetSource } from '../packs.js';
import { failedReport } from '../pipeline.js';
import { readInputFile } from '../readers/read-input.js';
import { ReadError, type ReadLimits } from '../readers/types.js';
import type { Report } from '../report/schema.js';
import { collectDocuments } from './collect.js';
import type { QueueConfig } from './config.js';
import { assertRedisReachable, redisConnection } from './connection.js';
import { documentResult, type DocumentResult } from '../batch/documents.js';
import { BATCHES_QUEUE, DOCUMENTS_QUEUE, packsKey, type BatchJobData, type DocumentJobData } from './jobs.js';
import { summarize, type BatchDocument, type BatchSummary } from '../batch/summary.js';

export interface CheckWorkerOptions {
  config: QueueConfig;
  archive: ArchiveOptions;
  source: PackSetSource;
  /** Documents checked at once (worker threads). */
  concurrency: number;
  timeoutMs: number;
  limits: ReadLimits;
  /** Log lines (English, one event each). */
  log: (line: string) => void;
}

/**
 * How long a stopping worker lets its active jobs finish. docker compose, systemd and Kubernetes send SIGTERM and
 * wait about 10 s before SIGKILL: what is not done by then is abandoned, to BullMQ's stalled-job recovery.
 */
const DRAIN_MS = 7_000;
/** How long closing waits on an unreachable Redis before cutting its connections. */
const ABANDON_MS = 1_000;

/** Whether `promise` settles within `ms` (it keeps running either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long a waiting batch looks again for a duplicate document that another batch is still checking. */
const DUPLICATE_POLL_MS = 2_000;

function resultOf(report: Report, archived: DocumentResult['archived']): DocumentResult {
  return { ...documentResult(report), checkedBy: `${hostname()}:${process.pid}`, archived };
}

/** A duplicate whose job is gone finished long ago: its archived report says how it went. */
async function fillFromArchive(documents: BatchDocument[], archive: ArchiveRepository): Promise<void> {
  const unknown = documents.filter((d) => d.state === 'done' && d.status === undefined && d.sha256);
  const reports = new Map((await archive.reports(unknown.map((d) => d.sha256))).map((r) => [r.sha256, r]));
  for (const d of unknown) {
    const report = reports.get(d.sha256);
    if (!report) continue;
    const r = resultOf(report, 'unchanged');
    Object.assign(d, { status: r.status, errors: r.errors, warnings: r.warnings }, r.errorCode ? { errorCode: r.errorCode, errorMessage: r.errorMessage } : {});
  }
}

/**
 * A queue worker: checks documents in worker threads (the check pool of src/pool, as the CLI and the server use it: a time limit per document, a crashed thread
 * replaced) and stores each report in the archive; completes batches with their summary. The archive write is
 * idempotent by content hash, so a job run twice (a worker killed after storing, before acknowledging) still
 * leaves one archived report.
 */
export class CheckWorker {
  private constructor(
    private readonly connection: Redis,
    private readonly documentsWorker: Worker<DocumentJobData, DocumentResult>,
    private readonly batchesWorker: Worker<BatchJobData, BatchSummary>,
    private readonly documentsQueue: Queue,
    private readonly pool: CheckPool,
    private readonly archive: ArchiveRepository,
  ) {}

  static async start(options: CheckWorkerOptions): Promise<CheckWorker> {
    const { config, log } = options;
    await assertRedisReachable(config.redisUrl);
    const packs = await loadPackSet(options.source);
    const ownPacks = packsKey(packs);
    const archive = await openArchive(options.archive);
    const pool = new CheckPool({ concurrency: options.concurrency, timeoutMs: options.timeoutMs, limits: options.limits, packs, includeText: true });
    const connection = redisConnection(config.redisUrl, 'worker');
    const common = { connection, prefix: config.prefix, lockDuration: config.lockMs, stalledInterval: config.lockMs, maxStalledCount: 3 };

    const checkOne = async (job: Job<DocumentJobData, DocumentResult>): Promise<DocumentResult> => {
      const { path, name, sha256 } = job.data;
      if (job.data.packs !== ownPacks) log(`job ${job.id}: submitted for packs "${job.data.packs}", checking with "${ownPacks}"`);
      // capped: a file over the limit, or one that is no file (a FIFO would block the read for ever), is refused
      // unread, in bounded memory
      const bytes = await readInputFile(path, options.limits.maxBytes);
      // most likely a shared folder not mounted here (yet): an infrastructure error, retried
      if (bytes instanceof ReadError && bytes.code === 'E_IO') throw new Error(`${path}: ${bytes.message}`);
      // a document problem: a failed report, under the hash it was submitted with (its bytes were not read)
      const checked = bytes instanceof ReadError ? { ...failedReport(name, new Uint8Array(), bytes), sha256 } : await pool.check(name, bytes);
      // the report's hash is the bytes' (the checker computes it anyway): a file replaced since submission is not
      // the document that was submitted
      if (checked.sha256 !== sha256) throw new UnrecoverableError(`${path} changed after it was submitted`);
      // the same cross-document check as `check --archive` and the web server, against the unit's archived reports.
      // The archive stores the text the report carries beside it (includeText).
      const text = checked.text;
      delete checked.text;
      const { report, outcome } = await storeWithUnit(archive, checked, text, packs);
      return resultOf(report, outcome.status);
    };

    const documentsQueue = new Queue(DOCUMENTS_QUEUE, { connection, prefix: config.prefix });
    const completeBatch = async (job: Job<BatchJobData, BatchSummary>, token?: string): Promise<BatchSummary> => {
      const documents = await collectDocuments(job, documentsQueue);
      if (documents.some((d) => d.state === 'waiting' || d.state === 'active')) {
        await job.moveToDelayed(Date.now() + DUPLICATE_POLL_MS, token);
        throw new DelayedError();
      }
      await fillFromArchive(documents, archive);
      return summarize(documents);
    };

    // two jobs in hand per thread: the next document is read and waiting while one is checked and the one
    // before it is stored, so a thread never idles on Redis or archive round trips
    const documentsWorker = new Worker<DocumentJobData, DocumentResult>(DOCUMENTS_QUEUE, checkOne, { ...common, concurrency: options.concurrency * 2 });
    const batchesWorker = new Worker<BatchJobData, BatchSummary>(BATCHES_QUEUE, completeBatch, { ...common, concurrency: 4 });
    documentsWorker.on('failed', (job, error) => log(`document ${job?.data.name ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`));
    documentsWorker.on('stalled', (jobId) => log(`job ${jobId} stalled (its worker stopped answering): back in the queue`));
    documentsWorker.on('error', (error) => log(`worker error: ${error.message}`));
    batchesWorker.on('completed', (job, summary) => log(`batch ${job.id} completed: ${summary.documents} documents, ${summary.unreadable} unreadable, ${summary.infrastructureFailures} failed`));
    batchesWorker.on('error', (error) => log(`batch worker error: ${error.message}`));
    return new CheckWorker(connection, documentsWorker, batchesWorker, documentsQueue, pool, archive);
  }

  /**
   * Stops taking jobs and lets the active ones finish, for DRAIN_MS at most. With `force`, or with Redis down
   * (where no job can be acknowledged, so draining would wait for ever), active jobs are abandoned: their locks
   * expire and another worker takes them over (nothing is lost, the archive write is idempotent). Returns within
   * about DRAIN_MS + ABANDON_MS whatever Redis does.
   */
  async close(force = false): Promise<void> {
    const drain = !force && this.connection.status === 'ready';
    const workers = [this.documentsWorker, this.batchesWorker];
    const closed = Promise.all(workers.map((w) => w.close(!drain)));
    if (!(await settlesWithin(closed, drain ? DRAIN_MS : ABANDON_MS))) {
      // BullMQ is still waiting on Redis (an acknowledgement, its blocking connection): cut its connections
      await Promise.all([...workers, this.documentsQueue].map((q) => q.disconnect().catch(() => undefined)));
    }
    await Promise.all([settlesWithin(this.documentsQueue.close(), ABANDON_MS), this.pool.close(), this.archive.close()]);
    this.connection.disconnect();
  }
}
