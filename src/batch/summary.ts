import type { BatchDocumentRef, DocumentResult } from './documents.js';

/** waiting/active: not finished; done: checked (a report exists, maybe a failed one); failed: every try failed. */
export type DocumentState = 'waiting' | 'active' | 'done' | 'failed';

export interface BatchDocument {
  name: string;
  sha256: string;
  state: DocumentState;
  /** Already queued or checked for another batch when this one was submitted. */
  duplicate?: boolean;
  /** The report's status (done documents). */
  status?: 'ok' | 'failed';
  /** Read, but not a budget report (未识别为报告). */
  notAReport?: true;
  /** The report's title and organization (done documents, when the report has them). */
  title?: string;
  organization?: string;
  /** The document problem (a failed report) or the infrastructure error (a failed job). */
  errorCode?: string;
  errorMessage?: string;
  /**
   * Checking it again may succeed: an infrastructure failure (or, in-process, a time-out). A corrupt, empty or
   * unsupported file would fail the same way again, so it is never offered for a retry.
   */
  retryable?: boolean;
  errors?: number;
  warnings?: number;
  checkedBy?: string;
}

export interface BatchSummary {
  documents: number;
  /** Reports with status ok. */
  ok: number;
  /** Failed reports (document problems: corrupt, encrypted, no text …). */
  unreadable: number;
  byErrorCode: Record<string, number>;
  /** Findings over the batch's reports. */
  errors: number;
  warnings: number;
  /** Documents whose every try failed for an infrastructure reason: no report was stored. */
  infrastructureFailures: number;
  /** Documents that were already queued or checked when the batch was submitted. */
  duplicates: number;
}

export interface BatchStatus {
  batchId: string;
  name: string;
  createdAt: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
  completed: boolean;
  /** How many documents a retry would check again (`documents[].retryable`). */
  retryable: number;
  documents: BatchDocument[];
  /** Set once the batch has completed. */
  summary: BatchSummary | null;
  /** Summing the batch up failed on every try (its documents are checked and archived; submit again to retry). */
  failedReason?: string;
}

/** What is known of one document of a batch. */
export type Outcome = { state: 'waiting' | 'active' } | { state: 'done'; result: DocumentResult | null } | { state: 'failed'; reason: string };

/** Marks an infrastructure failure's reason so status can show a code beside it. */
export const INFRASTRUCTURE_ERROR = 'E_INFRASTRUCTURE';

export function batchDocument(ref: Pick<BatchDocumentRef, 'name' | 'sha256'> & { duplicate?: boolean }, outcome: Outcome): BatchDocument {
  const base = { name: ref.name, sha256: ref.sha256, ...(ref.duplicate ? { duplicate: true } : {}) };
  if (outcome.state === 'failed') return { ...base, state: 'failed', errorCode: INFRASTRUCTURE_ERROR, errorMessage: outcome.reason, retryable: true };
  if (outcome.state !== 'done') return { ...base, state: outcome.state };
  const r = outcome.result;
  if (!r) return { ...base, state: 'done' };
  return {
    ...base,
    state: 'done',
    status: r.status,
    ...(r.notAReport ? { notAReport: true as const } : {}),
    ...(r.title ? { title: r.title } : {}),
    ...(r.organization ? { organization: r.organization } : {}),
    ...(r.errorCode ? { errorCode: r.errorCode, errorMessage: r.errorMessage } : {}),
    errors: r.errors,
    warnings: r.warnings,
    ...(r.checkedBy ? { checkedBy: r.checkedBy } : {}),
  };
}

/** Counts over a batch's documents. */
export function summarize(documents: readonly BatchDocument[]): BatchSummary {
  const summary: BatchSummary = { documents: documents.length, ok: 0, unreadable: 0, byErrorCode: {}, errors: 0, warnings: 0, infrastructureFailures: 0, duplicates: 0 };
  for (const d of documents) {
    if (d.duplicate) summary.duplicates++;
    if (d.state === 'failed') summary.infrastructureFailures++;
    if (d.status === 'ok') summary.ok++;
    if (d.status === 'failed') summary.unreadable++;
    if (d.errorCode) summary.byErrorCode[d.errorCode] = (summary.byErrorCode[d.errorCode] ?? 0) + 1;
    summary.errors += d.errors ?? 0;
    summary.warnings += d.warnings ?? 0;
  }
  return summary;
}

/** The batch's progress counts and, when it has completed, its summary. */
export function batchStatus(batchId: string, data: { name: string; createdAt: string }, documents: BatchDocument[], completed: boolean, summary: BatchSummary | null): BatchStatus {
  const done = documents.filter((d) => d.state === 'done').length;
  const failed = documents.filter((d) => d.state === 'failed').length;
  const retryable = documents.filter((d) => d.retryable).length;
  return { batchId, name: data.name, createdAt: data.createdAt, total: documents.length, done, failed, pending: documents.length - done - failed, completed, retryable, documents, summary };
}
