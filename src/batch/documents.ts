import type { Report } from '../report/schema.js';

/**
 * A batch's documents as the queue, the in-process server and the browser all see them: what each document's check
 * left (small: no report, no text) and how the batch refers to it.
 */

/** What a document job returns (kept in its batch, so it must stay small: no report, no text). */
export interface DocumentResult {
  name: string;
  sha256: string;
  status: 'ok' | 'failed';
  /** Read, but not a budget report (the report's notAReport): shown as 未识别为报告, not as passed. */
  notAReport?: true;
  /** The report's title and organization, so that a batch's table names documents as a reviewer knows them. */
  title?: string;
  organization?: string;
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

/** The small result a checked report leaves in its batch (`archived` is added by whoever stored it). */
export function documentResult(report: Report): DocumentResult {
  const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
  return {
    name: report.file,
    sha256: report.sha256,
    status: report.status,
    ...(report.notAReport ? { notAReport: true as const } : {}),
    ...(report.title ? { title: report.title } : {}),
    ...(report.organization ? { organization: report.organization } : {}),
    ...(report.error ? { errorCode: report.error.code, errorMessage: report.error.message } : {}),
    errors: count('error'),
    warnings: count('warning'),
  };
}
