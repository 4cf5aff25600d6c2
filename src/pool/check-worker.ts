/**
 * A worker thread that checks documents for the check pool (src/pool), which the CLI, the queue worker and the server share. Parsing is CPU-bound and pdf.js blocks its thread,
 * so each document runs here, where the pool can enforce a time limit by terminating the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PackSet } from '../checks/pack-set.js';
import { checkDocument } from '../pipeline.js';
import type { ReadLimits } from '../readers/types.js';

export interface WorkerJob {
  id: number;
  file: string;
  bytes: Uint8Array;
}

// the packs come compiled and verified from the thread that started the pool
const { packs, limits, includeText, includeTimings } = workerData as { packs: PackSet; limits: ReadLimits; includeText: boolean; includeTimings: boolean };

parentPort!.on('message', async (job: WorkerJob) => {
  try {
    const report = await checkDocument(job.bytes, { file: job.file, packs, limits, includeText, includeTimings });
    parentPort!.postMessage({ id: job.id, report });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, crash: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
