import { Worker } from 'node:worker_threads';
import type { PackSet } from '../checks/pack-set.js';
import { failedReport } from '../pipeline.js';
import { ReadError, type ReadLimits } from '../readers/types.js';
import type { Report } from '../report/schema.js';
import type { WorkerJob } from './check-worker.js';
import { heapPerThreadMb } from './heap.js';

export interface PoolOptions {
  concurrency: number;
  timeoutMs: number;
  limits: ReadLimits;
  /**
   * The run's packs, loaded and verified once by the caller; each thread gets a structured clone (RegExps
   * included) instead of reading and validating the YAML again. A promise lets threads started by `start()` load
   * the pipeline while the caller is still loading the packs; the caller awaits (and reports) their failure.
   */
  packs: PackSet | Promise<PackSet>;
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

  private readonly packs: Promise<PackSet>;
  /** The packs once known: a thread started after that gets them at once, before any document. */
  private loaded?: PackSet;

  /** Threads start when there is work for them (one document starts one thread), and stay for the next. */
  constructor(private readonly options: PoolOptions) {
    this.packs = Promise.resolve(options.packs);
    // registered before any check() awaits the packs, so threads started early have them before a document
    this.packs.then(
      (packs) => {
        this.loaded = packs;
        for (const slot of this.slots) slot.worker.postMessage({ packs });
      },
      () => {},
    );
  }

  /** Starts `threads` threads now (at most the concurrency), for a caller that knows it has that many documents. */
  start(threads: number): void {
    while (!this.closed && this.slots.length < Math.min(threads, Math.max(1, this.options.concurrency))) this.slots.push(this.spawn());
  }

  async check(file: string, bytes: Uint8Array): Promise<Report> {
    // every thread is sent the packs before its first document
    await this.packs;
    if (this.closed) throw new PoolClosedError(file);
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
        limits: this.options.limits,
        includeText: this.options.includeText === true,
        includeTimings: this.options.includeTimings === true,
      },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? heapPerThreadMb(this.options.concurrency) },
    });
    if (this.loaded) worker.postMessage({ packs: this.loaded });
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
    const idle = this.slots.filter((s) => !s.job).length;
    for (let n = Math.min(this.queue.length - idle, Math.max(1, this.options.concurrency) - this.slots.length); n > 0; n--) this.slots.push(this.spawn());
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
