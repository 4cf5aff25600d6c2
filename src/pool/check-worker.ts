/**
 * A worker thread that checks documents for the check pool (src/pool), which the CLI, the queue worker and the server share. Parsing is CPU-bound and pdf.js blocks its thread,
 * so each document runs here, where the pool can enforce a time limit by terminating the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PackSet } from '../checks/pack-set.js';
import { checkDocument, prepareTokenizer } from '../pipeline.js';
import type { ReadLimits } from '../readers/types.js';

export interface WorkerJob {
  id: number;
  file: string;
  bytes: Uint8Array;
}

const { limits, includeText, includeTimings } = workerData as { limits: ReadLimits; includeText: boolean; includeTimings: boolean };
// the packs come compiled and verified from the thread that started the pool, in the first message
let packs: PackSet | undefined;

// segmenting's dictionary is built while the thread waits for the packs and its first document
prepareTokenizer();

parentPort!.on('message', async (message: WorkerJob | { packs: PackSet }) => {
  if ('packs' in message) {
    packs = message.packs;
    return;
  }
  const job = message;
  try {
    const report = await checkDocument(job.bytes, { file: job.file, packs, limits, includeText, includeTimings });
    parentPort!.postMessage({ id: job.id, report });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, crash: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
