import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ArchiveRepository } from '../archive/repository.js';
import type { PackSet } from '../checks/pack-set.js';
import { storeWithUnit } from '../cross/archive.js';
import { type CheckPool, PoolClosedError } from '../pool/pool.js';
import { failedReport } from '../pipeline.js';
import { ReadError } from '../readers/types.js';
import type { Report } from '../report/schema.js';
import { documentResult } from '../batch/documents.js';
import { batchDocument, batchStatus, summarize, type BatchDocument, type BatchStatus } from '../batch/summary.js';
import type { RejectedUpload, UploadOutcome } from './uploads.js';

export type { BatchDocument, BatchStatus, BatchSummary, DocumentState } from '../batch/summary.js';

/**
 * Batches: the files of one upload and how far their checks have got. The same shape in both modes (checked
 * in-process here, or by the queue's workers), so the UI does not care which runs.
 */

export interface SubmitOptions {
  name?: string;
  /** The uploads' sha256s the archive held before this upload (a re-upload): their documents are marked duplicate. */
  archived?: ReadonlySet<string>;
  /** Keep each document's report in memory until `reports()` is called (a synchronous upload). */
  keepReports?: boolean;
}

/** What the HTTP layer needs from either mode. */
export interface BatchService {
  readonly mode: 'in-process' | 'queue';
  submit(uploads: readonly UploadOutcome[], options?: SubmitOptions): Promise<BatchStatus>;
  /** Adds files to a batch (the next request of a drop too large for one); null when there is no such batch. */
  append(batchId: string, uploads: readonly UploadOutcome[]): Promise<BatchStatus | null>;
  status(batchId: string): Promise<BatchStatus | null>;
  /** Batches submitted through this server, newest first. */
  list(): Promise<BatchStatus[]>;
  /** Checks the batch's failed files again; the batch to follow (in queue mode a new one). */
  retry(batchId: string): Promise<BatchStatus | null>;
  /** Calls `listener` with the batch's status whenever it may have changed; returns the unsubscribe function. */
  watch(batchId: string, listener: (status: BatchStatus) => void): () => void;
  /** Whether what checking depends on beyond the archive answers now (Redis in queue mode; /readyz). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A batch's name when the uploader gives none: how many files and when (server time), so that a list of batches
 * tells them apart ("3 个文件（12-07 15:58）").
 */
export function defaultBatchName(files: number, at: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${files} 个文件（${p(at.getMonth() + 1)}-${p(at.getDate())} ${p(at.getHours())}:${p(at.getMinutes())}）`;
}

/** A batch's default name with another file count (files appended to it), or undefined for a name someone gave. */
function renamedForCount(name: string, files: number): string | undefined {
  const m = /^\d+ 个文件（(.+)）$/.exec(name);
  return m ? `${files} 个文件（${m[1]}）` : undefined;
}

/** A retry that cannot do anything: the message (Chinese) says why. */
export class BatchRetryError extends Error {
  override name = 'BatchRetryError';
}

/** The failed report a refused upload stands for in a synchronous response (it is not archived). */
export function rejectedReport(upload: RejectedUpload): Report {
  const report = failedReport(upload.name, new Uint8Array(), new ReadError(upload.code, upload.message));
  report.sha256 = upload.sha256;
  return report;
}

export function rejectedDocument(upload: RejectedUpload): BatchDocument {
  return { name: upload.name, sha256: upload.sha256, state: 'done', status: 'failed', errorCode: upload.code, errorMessage: upload.message, errors: 0, warnings: 0 };
}

/** A checked document of a batch (the same entry a queue worker's result makes). */
export function documentOfReport(name: string, report: Report): BatchDocument {
  return batchDocument({ name, sha256: report.sha256 }, { state: 'done', result: { ...documentResult(report), name } });
}

/** Counts and, once nothing is pending, the summary of a batch's documents. */
export function localStatus(batchId: string, createdAt: string, documents: BatchDocument[], name: string): BatchStatus {
  const completed = documents.every((d) => d.state === 'done' || d.state === 'failed');
  return batchStatus(batchId, { name, createdAt }, documents, completed, completed ? summarize(documents) : null);
}

interface LocalDocument {
  doc: BatchDocument;
  /** The stored upload (absent for a refused file). */
  path?: string;
  report?: Report;
}

function entriesOf(uploads: readonly UploadOutcome[], keepReports: boolean, archived: ReadonlySet<string> = new Set()): LocalDocument[] {
  return uploads.map((u) =>
    u.kind === 'accepted'
      ? { doc: { name: u.name, sha256: u.sha256, state: 'waiting', ...(archived.has(u.sha256) ? { duplicate: true } : {}) }, path: u.path }
      : { doc: rejectedDocument(u), ...(keepReports ? { report: rejectedReport(u) } : {}) },
  );
}

/**
 * In-process, a retry checks the stored upload again: after a failure of the pool or the archive (state failed),
 * or a time-out (the machine may have been busy). Refused uploads have no stored file.
 */
function retryableHere(e: LocalDocument): boolean {
  return e.path !== undefined && (e.doc.state === 'failed' || (e.doc.state === 'done' && e.doc.errorCode === 'E_TIMEOUT'));
}

interface LocalBatch {
  id: string;
  name: string;
  createdAt: string;
  entries: LocalDocument[];
  keepReports: boolean;
  listeners: Set<(status: BatchStatus) => void>;
  settled: { promise: Promise<void>; resolve: () => void } | null;
}

/** A small counting semaphore: at most `size` documents read into memory at once, across batches. */
class Lanes {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export interface LocalBatchesOptions {
  pool: CheckPool;
  archive: ArchiveRepository;
  /** The packs the pool checks with: their cross-document rules run here, against the archive. */
  packs: PackSet;
  /** Documents read into memory at once (a couple per worker thread). */
  inFlight: number;
  maxBatches: number;
  /** How long `close()` waits for the checks already running to be stored (default 10 s). */
  closeGraceMs?: number;
}

type Log = { error(obj: unknown, msg: string): void };

/**
 * In-process batches: uploads → the worker-thread pool (time limit per document, a failed report on any
 * problem) → the archive (with the cross-year check). Kept in memory only: a restart forgets the batches, not the
 * archived reports.
 */
export class LocalBatches implements BatchService {
  readonly mode = 'in-process' as const;
  private readonly batches = new Map<string, LocalBatch>();
  private readonly lanes: Lanes;
  /** Where failures are logged (the server's logger). */
  log: Log | undefined;
  /** Where `close()` says what it leaves unchecked (one line, English): the server's stderr. */
  notice: (line: string) => void = (line) => process.stderr.write(`${line}\n`);
  private closing = false;
  /** Checks that have a lane: running in the pool or being stored. */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: LocalBatchesOptions) {
    this.lanes = new Lanes(Math.max(1, options.inFlight));
  }

  async submit(uploads: readonly UploadOutcome[], options: SubmitOptions = {}): Promise<BatchStatus> {
    const batch: LocalBatch = {
      id: randomUUID(),
      name: options.name ?? defaultBatchName(uploads.length),
      createdAt: new Date().toISOString(),
      entries: entriesOf(uploads, options.keepReports === true, options.archived),
      keepReports: options.keepReports === true,
      listeners: new Set(),
      settled: null,
    };
    this.batches.set(batch.id, batch);
    while (this.batches.size > this.options.maxBatches) this.batches.delete(this.batches.keys().next().value!);
    this.start(batch, batch.entries.filter((e) => e.path !== undefined));
    return this.snapshot(batch);
  }

  async append(batchId: string, uploads: readonly UploadOutcome[]): Promise<BatchStatus | null> {
    const batch = this.batches.get(batchId);
    if (!batch) return null;
    const added = entriesOf(uploads, batch.keepReports);
    batch.entries.push(...added);
    // a batch named after its file count keeps saying how many files it has
    batch.name = renamedForCount(batch.name, batch.entries.length) ?? batch.name;
    this.start(batch, added.filter((e) => e.path !== undefined));
    this.emit(batch);
    return this.snapshot(batch);
  }

  async status(batchId: string): Promise<BatchStatus | null> {
    const batch = this.batches.get(batchId);
    return batch ? this.snapshot(batch) : null;
  }

  async list(): Promise<BatchStatus[]> {
    return [...this.batches.values()].reverse().map((b) => this.snapshot(b));
  }

  async retry(batchId: string): Promise<BatchStatus | null> {
    const batch = this.batches.get(batchId);
    if (!batch) return null;
    const again = batch.entries.filter((e) => retryableHere(e));
    if (!again.length) throw new BatchRetryError('这个批次没有可以重试的文件：损坏、为空或不支持的文件重试也会同样失败');
    for (const e of again) e.doc = { name: e.doc.name, sha256: e.doc.sha256, state: 'waiting' };
    this.start(batch, again);
    return this.snapshot(batch);
  }

  watch(batchId: string, listener: (status: BatchStatus) => void): () => void {
    const batch = this.batches.get(batchId);
    if (!batch) return () => {};
    batch.listeners.add(listener);
    return () => batch.listeners.delete(listener);
  }

  /** Resolves when every document of the batch has an outcome. */
  async settled(batchId: string): Promise<BatchStatus | null> {
    const batch = this.batches.get(batchId);
    if (!batch) return null;
    if (batch.settled) await batch.settled.promise;
    return this.snapshot(batch);
  }

  /** The reports of a batch submitted with `keepReports`, in upload order (then forgotten). */
  takeReports(batchId: string): Report[] {
    const batch = this.batches.get(batchId);
    if (!batch) return [];
    const reports = batch.entries.map((e) => e.report ?? failedReport(e.doc.name, new Uint8Array(), new ReadError('E_IO', e.doc.errorMessage ?? 'not checked')));
    for (const e of batch.entries) delete e.report;
    batch.keepReports = false;
    return reports;
  }

  /**
   * Stops starting documents, waits a bounded time for the checks already running to be stored, and says how
   * many documents of which batches are left unchecked (their uploads stay in the upload folder). Checks still
   * running after that end with the pool, which the server closes next.
   */
  /** In-process checking depends on nothing beyond the archive. */
  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const batch of this.batches.values()) batch.listeners.clear();
    if (this.running.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(this.running), new Promise((resolve) => (timer = setTimeout(resolve, this.options.closeGraceMs ?? 10_000)))]);
      clearTimeout(timer);
    }
    const left = [...this.batches.values()]
      .map((b) => ({ b, n: b.entries.filter((e) => e.doc.state === 'waiting' || e.doc.state === 'active').length }))
      .filter((x) => x.n > 0);
    if (left.length) {
      const total = left.reduce((sum, x) => sum + x.n, 0);
      const which = left.map((x) => `${x.b.id} ("${x.b.name}") ${x.n} of ${x.b.entries.length}`).join('; ');
      this.notice(`shutting down with ${total} document(s) left unchecked in ${left.length} batch(es): ${which} — their uploads stay in the upload folder; upload them again to check them`);
    }
  }

  private snapshot(batch: LocalBatch): BatchStatus {
    return localStatus(batch.id, batch.createdAt, batch.entries.map((e) => ({ ...e.doc, ...(retryableHere(e) ? { retryable: true } : {}) })), batch.name);
  }

  private emit(batch: LocalBatch): void {
    if (!batch.listeners.size) return;
    const status = this.snapshot(batch);
    for (const listener of batch.listeners) listener(status);
  }

  private start(batch: LocalBatch, entries: LocalDocument[]): void {
    if (!entries.length) return;
    if (!batch.settled) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      batch.settled = { promise, resolve };
    }
    for (const entry of entries) void this.run(batch, entry);
  }

  private async run(batch: LocalBatch, entry: LocalDocument): Promise<void> {
    await this.lanes.take();
    if (this.closing) {
      // shutting down: the document stays waiting (close() counts it)
      this.lanes.give();
      return;
    }
    const work = this.check(batch, entry);
    this.running.add(work);
    await work;
    this.running.delete(work);
    if (this.closing) return;
    this.emit(batch);
    if (batch.settled && batch.entries.every((e) => e.doc.state === 'done' || e.doc.state === 'failed')) {
      const { resolve } = batch.settled;
      batch.settled = null;
      resolve();
    }
  }

  private async check(batch: LocalBatch, entry: LocalDocument): Promise<void> {
    try {
      entry.doc.state = 'active';
      this.emit(batch);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(entry.path!);
      } catch (error) {
        throw new Error(`upload ${entry.doc.sha256} cannot be read back: ${(error as Error).message}`);
      }
      const report = await this.options.pool.check(entry.doc.name, bytes);
      const text = report.text;
      delete report.text;
      const { report: stored } = await storeWithUnit(this.options.archive, report, text, this.options.packs);
      // checked again all the same (cheap, and the packs may be newer), but still known as a re-upload
      entry.doc = { ...documentOfReport(entry.doc.name, stored), ...(entry.doc.duplicate ? { duplicate: true } : {}) };
      if (batch.keepReports) entry.report = stored;
    } catch (error) {
      if (error instanceof PoolClosedError) {
        // the server is shutting down: unchecked, not failed
        entry.doc = { name: entry.doc.name, sha256: entry.doc.sha256, state: 'waiting' };
        return;
      }
      this.log?.error({ err: error, batch: batch.id, file: entry.doc.name }, 'document could not be checked or stored');
      entry.doc = { name: entry.doc.name, sha256: entry.doc.sha256, state: 'failed', errorCode: 'E_INTERNAL', errorMessage: `检查或入库失败：${(error as Error).message}` };
    } finally {
      this.lanes.give();
    }
  }
}
