import { Worker } from 'node:worker_threads';
import type { PackSetSource } from '../packs.js';
import { failedReport } from '../pipeline.js';
import { ReadError, type ReadLimits } from '../readers/types.js';
import type { Report } from '../report/schema.js';
import type { WorkerJob } from './check-worker.js';

export interface PoolOptions {
  concurrency: number;
  timeoutMs: number;
  limits: ReadLimits;
  source: PackSetSource;
  /** Heap cap per worker thread: a document that needs more is refused, not the whole run. */
  maxHeapMb: number;
  /** Reports carry their extracted text (for the archive). */
  includeText?: boolean;
}

interface Slot {
  worker: Worker;
  job?: { job: WorkerJob; resolve: (r: Report) => void; timer: NodeJS.Timeout };
}

/**
 * Worker threads that check documents in parallel. A document over its time limit gets its thread terminated
 * and a failed report (E_TIMEOUT); a thread that dies (out of memory on a hostile file) is replaced. Every
 * submitted file gets exactly one report.
 */
export class CheckPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { job: WorkerJob; resolve: (r: Report) => void }[] = [];
  private nextId = 0;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < Math.max(1, options.concurrency); i++) this.slots.push(this.spawn());
  }

  check(file: string, bytes: Uint8Array): Promise<Report> {
    return new Promise((resolve) => {
      this.queue.push({ job: { id: this.nextId++, file, bytes }, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./check-worker.js', import.meta.url), {
      workerData: {
        source: { ...this.options.source, examplesVerified: true },
        limits: this.options.limits,
        includeText: this.options.includeText === true,
      },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
    });
    const slot: Slot = { worker };
    worker.on('message', (msg: { id: number; report?: Report; crash?: string }) => {
      const current = slot.job;
      if (!current || current.job.id !== msg.id) return;
      clearTimeout(current.timer);
      slot.job = undefined;
      current.resolve(
        msg.report ??
          failedReport(current.job.file, current.job.bytes, new ReadError('E_CORRUPT', `internal error while checking: ${msg.crash}`)),
      );
      this.pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.replace(slot, new ReadError(oom ? 'E_TOO_LARGE' : 'E_CORRUPT', oom ? 'document needs more memory than allowed' : `checker crashed: ${error.message}`));
    });
    worker.unref();
    return slot;
  }

  /** Fails the slot's current document with `error`, terminates its thread, and starts a fresh one. */
  private replace(slot: Slot, error: ReadError): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const current = slot.job;
    slot.job = undefined;
    void slot.worker.terminate();
    this.slots[i] = this.spawn();
    if (current) {
      clearTimeout(current.timer);
      current.resolve(failedReport(current.job.file, current.job.bytes, error));
    }
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || !this.queue.length) continue;
      const next = this.queue.shift()!;
      const timer = setTimeout(
        () => this.replace(slot, new ReadError('E_TIMEOUT', `checking took longer than ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      slot.job = { ...next, timer };
      slot.worker.ref();
      slot.worker.postMessage(next.job);
    }
    if (!this.slots.some((s) => s.job)) for (const s of this.slots) s.worker.unref();
  }
}
