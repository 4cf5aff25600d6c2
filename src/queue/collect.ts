import type { Job, Queue } from 'bullmq';
import type { BatchJobData, DocumentResult } from './jobs.js';
import { batchDocument, type BatchDocument, type Outcome } from './summary.js';

/** The job id at the end of a BullMQ job key (`prefix:queue:id`). */
function idOfKey(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

/** Where a job that is not this batch's child stands (a duplicate checked for another batch). */
async function outcomeOf(documents: Queue, jobId: string): Promise<Outcome> {
  const job = await documents.getJob(jobId);
  // gone: it finished and was removed by the retention settings; its report is in the archive
  if (!job) return { state: 'done', result: null };
  const state = await job.getState();
  if (state === 'completed') return { state: 'done', result: (job.returnvalue as DocumentResult | null) ?? null };
  if (state === 'failed') return { state: 'failed', reason: job.failedReason };
  return { state: state === 'active' ? 'active' : 'waiting' };
}

/**
 * Every document of a batch with its state: its own children from the batch job's dependency sets (results stay
 * there after the child jobs are removed), duplicates from their own jobs, rejected files as failed reports.
 */
export async function collectDocuments(batch: Job<BatchJobData>, documents: Queue): Promise<BatchDocument[]> {
  const [values, failures, active] = await Promise.all([
    batch.getChildrenValues<DocumentResult>(),
    batch.getIgnoredChildrenFailures(),
    documents.getActive(),
  ]);
  const done = new Map(Object.entries(values).map(([key, value]) => [idOfKey(key), value]));
  const failed = new Map(Object.entries(failures).map(([key, reason]) => [idOfKey(key), reason]));
  const activeIds = new Set(active.map((j) => j.id));
  return Promise.all(
    batch.data.documents.map(async (ref) => {
      if (ref.rejected) {
        const result: DocumentResult = { name: ref.name, sha256: ref.sha256, status: 'failed', errorCode: ref.rejected.code, errorMessage: ref.rejected.message, errors: 0, warnings: 0 };
        return batchDocument(ref, { state: 'done', result });
      }
      if (ref.duplicate) return batchDocument(ref, await outcomeOf(documents, ref.jobId));
      const value = done.get(ref.jobId);
      if (value !== undefined) return batchDocument(ref, { state: 'done', result: value });
      const reason = failed.get(ref.jobId);
      if (reason !== undefined) return batchDocument(ref, { state: 'failed', reason });
      return batchDocument(ref, { state: activeIds.has(ref.jobId) ? 'active' : 'waiting' });
    }),
  );
}
