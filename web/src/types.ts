/**
 * The API's shapes as the browser sees them. Type-only re-exports of the server's own declarations (compiled to
 * dist/ before the web build): the zod schemas and the archive's interfaces stay the one source of truth.
 */
export type { Finding, Location, Report, Severity } from '../../dist/report/schema.js';
export type { FigureRecord as Figure } from '../../dist/report/schema.js';
export type { Decision, DocumentRecord, Review, SearchHit } from '../../dist/archive/repository.js';
export type { Snippet } from '../../dist/archive/highlight.js';
export type { BrowserLabels } from '../../dist/report/labels.js';
export type { RuleInfo } from '../../dist/server/rule-info.js';
export type { BatchDocument, BatchStatus, BatchSummary, DocumentState } from '../../dist/batch/summary.js';
import type { Report } from '../../dist/report/schema.js';

export type ReportTable = Report['tables'][number];

export interface Paged {
  total: number;
  page: number;
  limit: number;
  pages: number;
}

export interface Info {
  version: string;
  mode: 'in-process' | 'queue';
  archive: 'sqlite' | 'postgres';
  tokenRequired: boolean;
  limits: { maxFileBytes: number; maxFiles: number; maxZipEntries: number; extensions: string[] };
  queueDashboard: string | null;
}
