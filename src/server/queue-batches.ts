import { stat } from 'node:fs/promises';
import type { QueueClient } from '../queue/index.js';
import { batchStatus } from '../batch/summary.js';
import { type BatchDocument, BatchRetryError, defaultBatchName, type BatchService, type BatchStatus, type BatchSummary, type SubmitOptions } from './batches.js';
import { DOCUMENT_EXTENSIONS, type DocumentExtension, extensionOf, type UploadOutcome, type UploadStore } from './uploads.js';

/** How often a watched batch's status is read from Redis. */
const POLL_MS = 1000;

interface Part {
  /** The queue's batch id. */
  id: string;
  /** Its files by sha256, where they are stored (to resubmit them, and to show them before the queue does). */
  files: Map<string, { path: string; name: string }>;
}

interface Submitted {
  batchId: string;
  name?: string;
  createdAt: string;
  /**
   * The queue batches the server's batch is made of: one per upload request (a drop larger than one request is
   * sent as several, appended to the first one's batch).
   */
  parts: Part[];
}

const sum = (a: BatchSummary, b: BatchSummary): BatchSummary => {
  const byErrorCode = { ...a.byErrorCode };
  for (const [code, n] of Object.entries(b.byErrorCode)) byErrorCode[code] = (byErrorCode[code] ?? 0) + n;
  return {
    documents: a.documents + b.documents,
    ok: a.ok + b.ok,
    unreadable: a.unreadable + b.unreadable,
    byErrorCode,
    errors: a.errors + b.errors,
    warnings: a.warnings + b.warnings,
    infrastructureFailures: a.infrastructureFailures + b.infrastructureFailures,
    duplicates: a.duplicates + b.duplicates,
  };
};

/**
 * Queue mode: uploads are submitted to the queue (issue 5) and checked by the workers; status comes from Redis.
 * Files refused at upload go into the queue batch as failed reports, so a batch shows every uploaded file exactly
 * once in both modes. The server remembers which batches it submitted (for the batch list) and the queue batches
 * a multi-request drop was sent as. A batch this process does not remember (submitted before a restart, or by `crossfoot
 * submit`) is read from the queue by its id.
 */
export class QueueBatches implements BatchService {
  readonly mode = 'queue' as const;
  private readonly submitted = new Map<string, Submitted>();

  constructor(
    private readonly client: QueueClient,
    private readonly maxBatches: number,
    /** The upload folder: where a remembered-by-the-queue-only batch's files are found again for a retry. */
    private readonly uploads?: UploadStore,
  ) {}

  async submit(uploads: readonly UploadOutcome[], options: SubmitOptions = {}): Promise<BatchStatus> {
    const name = options.name ?? defaultBatchName(uploads.length);
    const part = await this.queue(uploads, name);
    this.remember({ batchId: part.id, name, createdAt: new Date().toISOString(), parts: [part] });
    return (await this.status(part.id))!;
  }

  async append(batchId: string, uploads: readonly UploadOutcome[]): Promise<BatchStatus | null> {
    let mine = this.submitted.get(batchId);
    if (!mine) {
      // submitted before this process started: the queue still knows it
      const remote = await this.client.status(batchId);
      if (!remote) return null;
      mine = { batchId, name: remote.name, createdAt: remote.createdAt, parts: [{ id: batchId, files: new Map() }] };
      this.remember(mine);
    }
    const part = await this.queue(uploads, mine.name ?? batchId);
    if (!mine.parts.some((p) => p.id === part.id)) mine.parts.push(part);
    return this.status(batchId);
  }

  async status(batchId: string): Promise<BatchStatus | null> {
    const mine = this.submitted.get(batchId);
    if (!mine) return this.client.status(batchId);
    const remotes = await Promise.all(mine.parts.map((p) => this.client.status(p.id)));
    const documents: BatchDocument[] = [];
    let completed = true;
    const summaries: BatchSummary[] = [];
    for (const [i, part] of mine.parts.entries()) {
      const remote = remotes[i];
      if (!remote) {
        // queued a moment ago and not visible yet
        completed = false;
        for (const [sha256, f] of part.files) documents.push({ name: f.name, sha256, state: 'waiting' });
        continue;
      }
      documents.push(...remote.documents);
      completed &&= remote.completed;
      if (remote.summary) summaries.push(remote.summary);
    }
    const first = remotes[0];
    const status = batchStatus(batchId, { name: first?.name || mine.name || batchId, createdAt: first?.createdAt ?? mine.createdAt }, documents, completed, null);
    // a part whose summary failed leaves the batch without one, as the queue does
    if (completed && summaries.length === mine.parts.length) status.summary = summaries.reduce(sum);
    const failedReason = remotes.find((r) => r?.failedReason)?.failedReason;
    if (failedReason) status.failedReason = failedReason;
    return status;
  }

  async list(): Promise<BatchStatus[]> {
    const ids = [...this.submitted.keys()].reverse();
    const all = await Promise.all(ids.map((id) => this.status(id)));
    return all.filter((s): s is BatchStatus => s !== null);
  }

  /**
   * Resubmits the documents whose every try failed (infrastructure failures). The queue retries a failed job
   * where it stands; the new batch (another set of files, so another id) is the one to follow. Throws
   * BatchRetryError when there is nothing that can be resubmitted.
   */
  async retry(batchId: string): Promise<BatchStatus | null> {
    const status = await this.status(batchId);
    if (!status) return null;
    const failed = status.documents.filter((d) => d.retryable && d.sha256);
    if (!failed.length) throw new BatchRetryError('这个批次没有处理失败、可以重新提交的文件');
    const known = new Map<string, { path: string; name: string }>();
    for (const part of this.submitted.get(batchId)?.parts ?? []) for (const [sha256, f] of part.files) known.set(sha256, f);
    const again = new Map<string, { path: string; name: string }>();
    for (const d of failed) {
      const file = known.get(d.sha256) ?? (await this.find(d.sha256, d.name));
      if (file) again.set(d.sha256, file);
    }
    if (!again.size) throw new BatchRetryError(`这个批次处理失败的 ${failed.length} 个文件已不在上传目录中，无法重新提交，请重新上传`);
    const name = `${status.name || batchId}（重试）`;
    const result = await this.client.submit([...again.values()], { name });
    // every file of the batch failed: the queue answers with the same batch, whose record stays as it is
    if (result.batchId === batchId) return this.status(batchId);
    this.remember({ batchId: result.batchId, name, createdAt: new Date().toISOString(), parts: [{ id: result.batchId, files: again }] });
    return this.status(result.batchId);
  }

  watch(batchId: string, listener: (status: BatchStatus) => void): () => void {
    let last = '';
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      try {
        const status = await this.status(batchId);
        if (status) {
          const json = JSON.stringify(status);
          if (json !== last) {
            last = json;
            listener(status);
          }
        }
      } catch {
        // Redis hiccup: try again at the next tick
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    let timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  ready(): Promise<boolean> {
    return this.client.ping();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Submits a request's files to the queue as one queue batch; refused ones go in as failed reports. */
  private async queue(uploads: readonly UploadOutcome[], name: string): Promise<Part> {
    const result = await this.client.submit(
      uploads.map((u) =>
        u.kind === 'accepted' ? { path: u.path, name: u.name } : { path: '', name: u.name, rejected: { code: u.code, message: u.message, sha256: u.sha256 } },
      ),
      { name },
    );
    const accepted = uploads.filter((u) => u.kind === 'accepted');
    return { id: result.batchId, files: new Map(accepted.map((u) => [u.sha256, { path: u.path, name: u.name }])) };
  }

  /** A document's stored upload, found by its hash and name's extension. */
  private async find(sha256: string, name: string): Promise<{ path: string; name: string } | undefined> {
    const ext = extensionOf(name);
    if (!this.uploads || !(DOCUMENT_EXTENSIONS as readonly string[]).includes(ext)) return undefined;
    const file = this.uploads.pathOf(sha256, ext as DocumentExtension);
    return (await stat(file).then((s) => s.isFile(), () => false)) ? { path: file, name } : undefined;
  }

  private remember(record: Submitted): void {
    this.submitted.delete(record.batchId);
    this.submitted.set(record.batchId, record);
    while (this.submitted.size > this.maxBatches) this.submitted.delete(this.submitted.keys().next().value!);
  }
}
