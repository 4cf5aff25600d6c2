import { createHash } from 'node:crypto';
import type { PackSet } from '../checks/pack-set.js';
import type { Report } from '../report/schema.js';

/** Queue names (under the configured prefix). */
export const DOCUMENTS_QUEUE = 'documents';
export const BATCHES_QUEUE = 'batches';

/** A document job: where the workers find the file; never the bytes (Redis holds references only). */
export interface DocumentJobData {
  /** Absolute path the workers can read (a shared folder, or the store `submit --store` copied it into). */
  path: string;
  /** The name reports and the archive show (the path as submitted). */
  name: string;
  sha256: string;
  /** The submitter's rule packs (id@version …); the worker checks with its own and says if they differ. */
  packs: string;
}

/** What a document job returns (kept in its batch, so it must stay small: no report, no text). */
export interface DocumentResult {
  name: string;
  sha256: string;
  status: 'ok' | 'failed';
  errorCode?: string;
  errorMessage?: string;
  errors: number;
  warnings: number;
  /** The worker that checked it (host:pid), for operators tracing a report to a machine. */
  checkedBy?: string;
  /** What the archive did with the report (absent for a file rejected at submission: nothing was stored). */
  archived?: 'added' | 'unchanged' | 'replaced' | 'stale';
}

export interface BatchDocumentRef {
  name: string;
  sha256: string;
  jobId: string;
  /** Already queued or checked before this batch (same file, same packs): not checked again. */
  duplicate: boolean;
  /** The file could not be read when it was submitted (so it was not queued): its code and cause. */
  rejected?: { code: string; message: string };
}

export interface BatchJobData {
  name: string;
  createdAt: string;
  documents: BatchDocumentRef[];
}

/** The pack versions a report depends on, as one short stable string. */
export function packsKey(packs: PackSet): string {
  return packs.packs
    .map((p) => `${p.pack.id}@${p.pack.version}`)
    .sort()
    .join(' ');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * A document's job id: its content and the packs that check it. Submitting the same file again (under any name,
 * in any batch) finds the same job; new pack versions make a new one. BullMQ ids must not contain ':'.
 */
export function documentJobId(sha256: string, packs: string): string {
  return `doc-${sha256}-${digest(packs)}`;
}

/** A batch's id: the set of its document jobs, so re-submitting the same files is the same batch. */
export function batchJobId(documentJobIds: readonly string[]): string {
  return `batch-${digest([...new Set(documentJobIds)].sort().join('\n'))}`;
}

/** The small result a checked report leaves in its batch (`archived` is added by whoever stored it). */
export function documentResult(report: Report): DocumentResult {
  const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
  return {
    name: report.file,
    sha256: report.sha256,
    status: report.status,
    ...(report.error ? { errorCode: report.error.code, errorMessage: report.error.message } : {}),
    errors: count('error'),
    warnings: count('warning'),
  };
}
