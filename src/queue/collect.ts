import type { Job, Queue } from 'bullmq';
import type { DocumentResult } from '../batch/documents.js';
import type { BatchJobData } from './jobs.js';
import { batchDocument, type BatchDocument, type Outcome } from '../batch/summary.js';

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
 * Every document of a batch with its state. The batch's own children are read from its dependency sets in one
 * round trip (their results stay there after the child jobs are removed). Everything else is looked up as its own
 * job: a duplicate of an earlier batch, a second copy of a file within this batch, and a document that another
 * batch's simultaneous submit attached first (BullMQ gives a job one parent and drops the second attachment
 * silently, so "not among my children" is the only sign of it). Rejected files are failed reports.
 */
export async function collectDocuments(batch: Job<BatchJobData>, documents: Queue): Promise<BatchDocument[]> {
  const [dependencies, active] = await Promise.all([batch.getDependencies(), documents.getActive()]);
  const byId = <T>(entries: Record<string, T> | undefined) => new Map(Object.entries(entries ?? {}).map(([key, value]) => [idOfKey(key), value]));
  const done = byId(dependencies.processed as Record<string, DocumentResult> | undefined);
  const failed = byId(dependencies.ignored as Record<string, string> | undefined);
  const pending = new Set((dependencies.unprocessed ?? []).map(idOfKey));
  const activeIds = new Set(active.map((j) => j.id));
  const seen = new Set<string>();
  return Promise.all(
    batch.data.documents.map(async (ref) => {
      if (ref.rejected) {
        const result: DocumentResult = { name: ref.name, sha256: ref.sha256, status: 'failed', errorCode: ref.rejected.code, errorMessage: ref.rejected.message, errors: 0, warnings: 0 };
        return batchDocument(ref, { state: 'done', result });
      }
      const first = !seen.has(ref.jobId);
      seen.add(ref.jobId);
      if (first && !ref.duplicate) {
        const value = done.get(ref.jobId);
        if (value !== undefined) return batchDocument(ref, { state: 'done', result: value });
        const reason = failed.get(ref.jobId);
        if (reason !== undefined) return batchDocument(ref, { state: 'failed', reason });
        if (pending.has(ref.jobId)) return batchDocument(ref, { state: activeIds.has(ref.jobId) ? 'active' : 'waiting' });
      }
      return batchDocument({ ...ref, duplicate: true }, await outcomeOf(documents, ref.jobId));
    }),
  );
}
