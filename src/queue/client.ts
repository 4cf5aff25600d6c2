import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FlowProducer, Queue, type FlowJob, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadPackSet } from '../packs.js';
import { ioCause, notAFile } from '../readers/read-input.js';
import { collectDocuments } from './collect.js';
import { redactUrl } from '../archive/config.js';
import { type QueueConfig, QueueUnavailableError } from './config.js';
import { assertRedisReachable, redisConnection } from './connection.js';
import type { BatchDocumentRef } from '../batch/documents.js';
import { BATCHES_QUEUE, batchJobId, documentJobId, DOCUMENTS_QUEUE, packsKey, type BatchJobData, type DocumentJobData } from './jobs.js';
import { batchStatus, summarize, type BatchStatus, type BatchSummary } from '../batch/summary.js';

export interface SubmitFile {
  /** Where the workers read the file (made absolute). */
  path: string;
  /** The name reports show. */
  name: string;
  /**
   * Refused before submission (the web server's upload checks: type, size, zip safety): listed in the batch as a
   * failed report with this code, never queued, so the batch shows every file it was given.
   */
  rejected?: { code: string; message: string; sha256?: string };
}

export interface SubmittedDocument extends BatchDocumentRef {
  path: string;
}

export interface SubmitResult {
  batchId: string;
  /** The same files were submitted before: nothing was added. */
  existing: boolean;
  documents: SubmittedDocument[];
}

export interface SubmitOptions {
  /** The batch's name (shown by status and the web app). */
  name?: string;
  /** The packs the workers check with (id@version list; default: the built-in packs). */
  packs?: string;
  /** Copy the files into this content-addressed folder first (a store every worker machine mounts). */
  store?: string;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** The file in the store: named by content, so two submissions of one file share one copy. */
async function storeCopy(store: string, path: string, sha256: string): Promise<string> {
  const dir = join(store, sha256.slice(0, 2));
  const target = resolve(dir, sha256 + extname(path).toLowerCase());
  await mkdir(dir, { recursive: true });
  const exists = await stat(target).then(() => true, () => false);
  if (!exists) await copyFile(path, target);
  return target;
}

async function needsRerun(batch: Job<BatchJobData>): Promise<boolean> {
  const state = await batch.getState();
  if (state === 'failed') return true;
  return state === 'completed' && ((batch.returnvalue as BatchSummary | null)?.infrastructureFailures ?? 0) > 0;
}

/**
 * The producer side of the queue: submits batches (one BullMQ flow each: a batch job whose children are its
 * documents) and reads their status. Used by `crossfoot submit/status` and the web server.
 */
export class QueueClient {
  private builtinPacks?: string;

  private constructor(
    readonly config: QueueConfig,
    private readonly connection: Redis,
    private readonly documents: Queue<DocumentJobData>,
    private readonly batches: Queue<BatchJobData>,
    private readonly flows: FlowProducer,
  ) {
    // BullMQ prints a stack trace for every failed reconnect when nobody listens; an outage reaches callers once,
    // as QueueUnavailableError from the command that met it
    for (const emitter of [documents, batches, flows] as { on(event: 'error', listener: () => void): unknown }[]) emitter.on('error', () => {});
  }

  static async connect(config: QueueConfig): Promise<QueueClient> {
    await assertRedisReachable(config.redisUrl);
    const connection = redisConnection(config.redisUrl, 'producer');
    // ready before the first command: whileConnected() tells an outage by the connection's state
    if (connection.status !== 'ready') await once(connection, 'ready');
    const common = { connection, prefix: config.prefix };
    return new QueueClient(config, connection, new Queue(DOCUMENTS_QUEUE, common), new Queue(BATCHES_QUEUE, common), new FlowProducer(common));
  }

  /** The BullMQ queues (for a dashboard). */
  queues(): Queue[] {
    return [this.batches, this.documents] as Queue[];
  }

  /** Whether Redis answers now (the web server's /readyz). */
  async ping(): Promise<boolean> {
    return this.whileConnected(() => this.connection.ping()).then(
      () => true,
      () => false,
    );
  }

  /**
   * `work` on Redis, or QueueUnavailableError when Redis is not reachable now (refused at once while the connection
   * is down, so an upload or a status request gets its answer instead of waiting for the reconnects).
   */
  private async whileConnected<T>(work: () => Promise<T>): Promise<T> {
    const unavailable = (cause?: unknown) => new QueueUnavailableError(`Redis at ${redactUrl(this.config.redisUrl)} is not reachable now`, { cause });
    if (this.connection.status !== 'ready') throw unavailable();
    try {
      return await work();
    } catch (error) {
      if (this.connection.status !== 'ready' || /MaxRetriesPerRequest|Connection is closed/.test((error as Error).message)) throw unavailable(error);
      throw error;
    }
  }

  submit(files: readonly SubmitFile[], options: SubmitOptions = {}): Promise<SubmitResult> {
    return this.whileConnected(() => this.submitNow(files, options));
  }

  private async submitNow(files: readonly SubmitFile[], options: SubmitOptions): Promise<SubmitResult> {
    const packs = options.packs ?? (this.builtinPacks ??= packsKey(await loadPackSet({ extraPacks: [], rules: {} })));
    const refs = await this.references(files, packs, options.store);
    // one job per distinct document: a second copy of a file in this batch is listed, as a duplicate, not queued
    const queued = refs.filter((r) => !r.rejected && !r.duplicate);
    const batchId = batchJobId(refs.map((r) => r.jobId || `rejected-${r.name}`));
    const previous = await this.batches.getJob(batchId);
    if (previous) {
      if (!(await needsRerun(previous))) return { batchId, existing: true, documents: refs.map((r) => ({ ...r, duplicate: !r.rejected })) };
      // the same files again after some could not be checked (or the batch job itself failed): the operator's
      // "try again". The batch is made anew; its checked documents are duplicates now, failed jobs are retried
      await previous.remove({ removeChildren: false });
    }

    await this.markDuplicates(queued);
    const fresh = queued.filter((r) => !r.duplicate);
    const data: BatchJobData = { name: options.name ?? `${refs.length} document${refs.length === 1 ? '' : 's'}`, createdAt: new Date().toISOString(), documents: refs.map(({ path: _path, ...ref }) => ref) };
    // a simultaneous submit may take one of `fresh` between the look-up and this add: BullMQ then leaves it with
    // its first batch, and collectDocuments follows it there
    const added = await this.flows.add({
      name: 'batch',
      queueName: BATCHES_QUEUE,
      data,
      opts: {
        jobId: batchId,
        // summing up reads Redis and the archive: a hiccup there is retried like a document's
        attempts: this.config.attempts,
        backoff: { type: 'exponential', delay: this.config.backoffMs },
        removeOnComplete: { age: this.config.keepBatchSeconds, count: this.config.keepBatchCount },
        removeOnFail: { age: this.config.keepBatchSeconds },
      },
      children: fresh.map((r) => this.documentJob(r, packs)),
    });
    if (fresh.length) await this.releaseIfOrphaned(added.job as Job<BatchJobData>);
    return { batchId, existing: false, documents: refs };
  }

  status(batchId: string): Promise<BatchStatus | null> {
    return this.whileConnected(() => this.statusNow(batchId));
  }

  private async statusNow(batchId: string): Promise<BatchStatus | null> {
    const job = await this.batches.getJob(batchId);
    if (!job) return null;
    const [documents, state] = await Promise.all([collectDocuments(job, this.documents), job.getState()]);
    const completed = state === 'completed';
    const summary = completed ? ((job.returnvalue as BatchSummary | null) ?? summarize(documents)) : null;
    const status = batchStatus(batchId, job.data, documents, completed, summary);
    return state === 'failed' ? { ...status, failedReason: job.failedReason } : status;
  }

  async close(): Promise<void> {
    await Promise.all([this.flows.close(), this.documents.close(), this.batches.close()]);
    this.connection.disconnect();
  }

  /**
   * When every child was taken by simultaneous submits, the batch waits for children it does not have: it is
   * added again as a plain job, which a worker completes once the other batches' jobs are done.
   */
  private async releaseIfOrphaned(batch: Job<BatchJobData>): Promise<void> {
    const counts = await batch.getDependenciesCount();
    if (Object.values(counts).some((n) => n > 0) || (await batch.getState()) !== 'waiting-children') return;
    await batch.remove();
    await this.batches.add('batch', batch.data, batch.opts);
  }

  /** Hashes (and stores) every file; one reference per distinct document, unreadable files rejected. */
  private async references(files: readonly SubmitFile[], packs: string, store: string | undefined): Promise<SubmittedDocument[]> {
    const refs: SubmittedDocument[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      if (file.rejected) {
        const { sha256 = '', ...rejected } = file.rejected;
        refs.push({ name: file.name, path: file.path, sha256, jobId: '', duplicate: false, rejected });
        continue;
      }
      const path = resolve(file.path);
      try {
        // stat does not block where reading would: a FIFO is refused as check refuses it, not read for ever
        const refused = notAFile(await stat(path));
        if (refused) {
          refs.push({ name: file.name, path, sha256: '', jobId: '', duplicate: false, rejected: { code: refused.code, message: refused.message } });
          continue;
        }
        const sha256 = await sha256Of(path);
        const jobId = documentJobId(sha256, packs);
        const copy = seen.has(jobId);
        seen.add(jobId);
        refs.push({ name: file.name, path: store ? await storeCopy(store, path, sha256) : path, sha256, jobId, duplicate: copy });
      } catch (error) {
        refs.push({ name: file.name, path, sha256: '', jobId: '', duplicate: false, rejected: { code: 'E_IO', message: `无法读取：${ioCause(error)}` } });
      }
    }
    return refs;
  }

  /**
   * Documents already queued or checked with these packs are not added again. One that failed every try is
   * retried where it stands (resubmitting is how an operator says "try again").
   */
  private async markDuplicates(refs: SubmittedDocument[]): Promise<void> {
    await Promise.all(
      refs.map(async (ref) => {
        const job = await this.documents.getJob(ref.jobId);
        ref.duplicate = !!job;
        if (job && (await job.getState()) === 'failed') await job.retry('failed');
      }),
    );
  }

  private documentJob(ref: SubmittedDocument, packs: string): FlowJob {
    const data: DocumentJobData = { path: ref.path, name: ref.name, sha256: ref.sha256, packs };
    return {
      name: 'check',
      queueName: DOCUMENTS_QUEUE,
      data,
      opts: {
        jobId: ref.jobId,
        attempts: this.config.attempts,
        backoff: { type: 'exponential', delay: this.config.backoffMs },
        removeOnComplete: { age: this.config.keepDoneSeconds, count: this.config.keepDoneCount },
        removeOnFail: { age: this.config.keepFailedSeconds },
        // a document that failed every try must not hold its batch back
        ignoreDependencyOnFailure: true,
      },
    };
  }
}
