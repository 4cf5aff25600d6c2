import { randomUUID } from 'node:crypto';
import type { QueueClient } from '../queue/index.js';
import { batchStatus } from '../queue/summary.js';
import { type BatchDocument, type BatchService, type BatchStatus, localStatus, rejectedDocument, type SubmitOptions } from './batches.js';
import type { UploadOutcome } from './uploads.js';

/** How often a watched batch's status is read from Redis. */
const POLL_MS = 1000;

interface Submitted {
  batchId: string;
  name?: string;
  createdAt: string;
  /** Files refused at upload: never queued, but part of the batch the reviewer sees. */
  rejected: BatchDocument[];
  /** Where each queued document is stored (to resubmit it), by sha256. */
  files: Map<string, { path: string; name: string }>;
}

/**
 * Queue mode: uploads are submitted to the queue (issue 5) and checked by the workers; status comes from Redis.
 * The server remembers which batches it submitted (for the batch list) and the files it refused, which the queue
 * never saw, so a batch shows every uploaded file exactly once in both modes.
 */
export class QueueBatches implements BatchService {
  readonly mode = 'queue' as const;
  private readonly submitted = new Map<string, Submitted>();

  constructor(
    private readonly client: QueueClient,
    private readonly maxBatches: number,
  ) {}

  async submit(uploads: readonly UploadOutcome[], options: SubmitOptions = {}): Promise<BatchStatus> {
    const accepted = uploads.filter((u) => u.kind === 'accepted');
    const rejected = uploads.filter((u) => u.kind === 'rejected').map(rejectedDocument);
    const files = new Map(accepted.map((u) => [u.sha256, { path: u.path, name: u.name }]));
    let batchId: string;
    if (accepted.length) {
      const result = await this.client.submit(
        accepted.map((u) => ({ path: u.path, name: u.name })),
        { name: options.name ?? `${uploads.length} 个文件` },
      );
      batchId = result.batchId;
    } else {
      batchId = `refused-${randomUUID()}`;
    }
    this.remember({ batchId, name: options.name ?? `${uploads.length} 个文件`, createdAt: new Date().toISOString(), rejected, files });
    return (await this.status(batchId))!;
  }

  async status(batchId: string): Promise<BatchStatus | null> {
    const mine = this.submitted.get(batchId);
    const remote = batchId.startsWith('refused-') ? null : await this.client.status(batchId);
    if (!remote && !mine) return null;
    if (!remote) {
      // queued a moment ago and not visible yet, or only refused files
      const waiting: BatchDocument[] = [...(mine!.files.entries())].map(([sha256, f]) => ({ name: f.name, sha256, state: 'waiting' }));
      return localStatus(batchId, mine!.createdAt, [...waiting, ...mine!.rejected], mine!.name ?? batchId);
    }
    const rejected = mine?.rejected ?? [];
    const documents = [...remote.documents, ...rejected];
    const status = batchStatus(batchId, { name: remote.name || mine?.name || batchId, createdAt: remote.createdAt }, documents, remote.completed, null);
    if (remote.summary) {
      const byErrorCode = { ...remote.summary.byErrorCode };
      for (const d of rejected) if (d.errorCode) byErrorCode[d.errorCode] = (byErrorCode[d.errorCode] ?? 0) + 1;
      status.summary = { ...remote.summary, documents: remote.summary.documents + rejected.length, unreadable: remote.summary.unreadable + rejected.length, byErrorCode };
    }
    return status;
  }

  async list(): Promise<BatchStatus[]> {
    const ids = [...this.submitted.keys()].reverse();
    const all = await Promise.all(ids.map((id) => this.status(id)));
    return all.filter((s): s is BatchStatus => s !== null);
  }

  /**
   * Resubmits the documents whose every try failed (infrastructure failures). The queue retries a failed job
   * where it stands; the new batch (another set of files, so another id) is the one to follow.
   */
  async retry(batchId: string): Promise<BatchStatus | null> {
    const status = await this.status(batchId);
    if (!status) return null;
    const mine = this.submitted.get(batchId);
    const again = status.documents.filter((d) => d.state === 'failed' && d.sha256 && mine?.files.has(d.sha256));
    if (!again.length || !mine) return status;
    const files = again.map((d) => mine.files.get(d.sha256)!);
    const result = await this.client.submit(files, { name: `${status.name ?? batchId}（重试）` });
    // every file of the batch failed: the queue answers with the same batch, whose record stays as it is
    if (result.batchId === batchId) return this.status(batchId);
    this.remember({ batchId: result.batchId, name: `${status.name ?? batchId}（重试）`, createdAt: new Date().toISOString(), rejected: [], files: new Map(again.map((d) => [d.sha256, mine.files.get(d.sha256)!])) });
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

  async close(): Promise<void> {
    await this.client.close();
  }

  private remember(record: Submitted): void {
    this.submitted.delete(record.batchId);
    this.submitted.set(record.batchId, record);
    while (this.submitted.size > this.maxBatches) this.submitted.delete(this.submitted.keys().next().value!);
  }
}
