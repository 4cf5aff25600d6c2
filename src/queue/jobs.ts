import { createHash } from 'node:crypto';
import type { PackSet } from '../checks/pack-set.js';
import type { BatchDocumentRef } from '../batch/documents.js';

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
