import { Worker } from 'node:worker_threads';
import type { PackSetSource } from '../packs.js';
import { failedReport } from '../pipeline.js';
import { ReadError, type ReadLimits } from '../readers/types.js';
import type { Report } from '../report/schema.js';
import type { WorkerJob } from './check-worker.js';
import { heapPerThreadMb } from './heap.js';

export interface PoolOptions {
  concurrency: number;
  timeoutMs: number;
  limits: ReadLimits;
  source: PackSetSource;
  /** Heap cap per worker thread: a document that needs more is refused, not the whole run (default: sized to the host). */
  maxHeapMb?: number;
  /** Reports carry their extracted text (for the archive). */
  includeText?: boolean;
  /** Reports carry each stage's milliseconds (`check --timings`, the benchmarks). */
  includeTimings?: boolean;
}

interface Pending {
  job: WorkerJob;
  resolve: (r: Report) => void;
  reject: (error: PoolClosedError) => void;
}

interface Slot {
  worker: Worker;
  job?: Pending & { timer: NodeJS.Timeout };
}

/**
 * A check that did not run to the end because the pool was closed first: not a verdict on the document. The
 * caller decides what that means — the queue worker lets BullMQ try the job again later, the web server leaves
 * the document unchecked and says so; `crossfoot check` never closes its pool before every check is done.
 */
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
  constructor(readonly file: string) {
    super(`the checker was shut down before ${file} was checked`);
  }
}

/**
 * Worker threads that check documents in parallel. A document over its time limit gets its thread terminated
 * and a failed report (E_TIMEOUT); a thread that dies (out of memory on a hostile file) is replaced. Every
 * submitted file gets exactly one report — or, when the pool is closed before its turn is over, a rejection with
 * PoolClosedError.
 */
export class CheckPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < Math.max(1, options.concurrency); i++) this.slots.push(this.spawn());
  }

  check(file: string, bytes: Uint8Array): Promise<Report> {
    if (this.closed) return Promise.reject(new PoolClosedError(file));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, file, bytes }, resolve, reject });
      this.pump();
    });
  }

  /**
   * Stops the threads. Every check still waiting or running is rejected with PoolClosedError and its time limit
   * cleared, so nothing of the pool keeps the process alive.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const unfinished: Pending[] = this.queue.splice(0);
    for (const slot of this.slots) {
      if (!slot.job) continue;
      clearTimeout(slot.job.timer);
      unfinished.push(slot.job);
      slot.job = undefined;
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const p of unfinished) p.reject(new PoolClosedError(p.job.file));
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./check-worker.js', import.meta.url), {
      workerData: {
        source: { ...this.options.source, examplesVerified: true },
        limits: this.options.limits,
        includeText: this.options.includeText === true,
        includeTimings: this.options.includeTimings === true,
      },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? heapPerThreadMb(this.options.concurrency) },
    });
    const slot: Slot = { worker };
    worker.on('message', (msg: { id: number; report?: Report; crash?: string }) => {
      const current = slot.job;
      if (!current || current.job.id !== msg.id) return;
      clearTimeout(current.timer);
      slot.job = undefined;
      current.resolve(
        msg.report ??
          failedReport(current.job.file, current.job.bytes, new ReadError('E_CORRUPT', `检查程序内部出错（${msg.crash}）`)),
      );
      this.pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const oom = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.replace(slot, new ReadError(oom ? 'E_TOO_LARGE' : 'E_CORRUPT', oom ? '文件所需内存超过上限' : `检查程序崩溃（${error.message}）`));
    });
    worker.unref();
    return slot;
  }

  /** Fails the slot's current document with `error`, terminates its thread, and starts a fresh one. */
  private replace(slot: Slot, error: ReadError): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
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
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.job || !this.queue.length) continue;
      const next = this.queue.shift()!;
      const timer = setTimeout(
        () => this.replace(slot, new ReadError('E_TIMEOUT', `检查超时：超过 ${this.options.timeoutMs / 1000} 秒仍未完成`)),
        this.options.timeoutMs,
      );
      slot.job = { ...next, timer };
      slot.worker.ref();
      slot.worker.postMessage(next.job);
    }
    if (!this.slots.some((s) => s.job)) for (const s of this.slots) s.worker.unref();
  }
}
