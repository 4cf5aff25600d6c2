/** The API's shapes as the browser sees them (the server's zod schemas are the source of truth). */

export type Severity = 'error' | 'warning' | 'info';
export type Decision = 'accepted' | 'false-positive' | 'comment';

export interface Location {
  block: number;
  start: number;
  end: number;
  page?: number;
  line: number;
  column: number;
  textStart?: number;
  textEnd?: number;
  table?: string;
  row?: number;
  col?: number;
}

export interface Figure {
  id: string;
  kind: 'amount' | 'percent' | 'count' | 'year';
  text: string;
  value: number;
  exact: string;
  unit: string;
  label: string;
  loc: Location;
}

export interface Finding {
  id: string;
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  figures: string[];
  expected?: string;
  actual?: string;
  calculation?: string;
  loc: Location;
  quote: string;
}

export interface ReportTable {
  id: string;
  title?: string;
  page?: number;
  rows: number;
  cols: number;
  unit: string;
  cells?: string[][];
}

export interface Report {
  schemaVersion: number;
  file: string;
  sha256: string;
  status: 'ok' | 'failed';
  error?: { code: string; message: string };
  format?: 'docx' | 'pdf' | 'txt';
  pages?: number;
  title?: string;
  fiscalYear?: number;
  organization?: string;
  documentType?: string;
  tables: ReportTable[];
  warnings: string[];
  figures: Figure[];
  fields: Record<string, number>;
  checks: { run: number; passed: number; failed: number; roundingOnly: number };
  findings: Finding[];
}

export interface Review {
  id: number;
  sha256: string;
  fingerprint: string;
  decision: Decision;
  comment: string | null;
  reviewer: string;
  at: string;
  orphaned: boolean;
}

export interface DocumentRecord {
  sha256: string;
  file: string;
  title: string | null;
  organization: string | null;
  fiscalYear: number | null;
  documentType: string | null;
  format: 'docx' | 'pdf' | 'txt' | null;
  pages: number | null;
  status: 'ok' | 'failed';
  error: { code: string; message: string } | null;
  checkedAt: string;
  errors: number;
  warnings: number;
  infos: number;
  fields: Record<string, number>;
}

export interface SearchHit extends DocumentRecord {
  score: number | null;
  snippet: string | null;
}

export interface Paged {
  total: number;
  page: number;
  limit: number;
  pages: number;
}

export type DocumentState = 'waiting' | 'active' | 'done' | 'failed';

export interface BatchDocument {
  name: string;
  sha256: string;
  state: DocumentState;
  duplicate?: boolean;
  status?: 'ok' | 'failed';
  errorCode?: string;
  errorMessage?: string;
  errors?: number;
  warnings?: number;
}

export interface BatchSummary {
  documents: number;
  ok: number;
  unreadable: number;
  byErrorCode: Record<string, number>;
  errors: number;
  warnings: number;
  infrastructureFailures: number;
  duplicates?: number;
}

export interface BatchStatus {
  batchId: string;
  name?: string;
  createdAt: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
  completed: boolean;
  documents: BatchDocument[];
  summary: BatchSummary | null;
}

export interface Info {
  version: string;
  mode: 'in-process' | 'queue';
  archive: 'sqlite' | 'postgres';
  tokenRequired: boolean;
  limits: { maxFileBytes: number; maxFiles: number; maxZipEntries: number; extensions: string[] };
  queueDashboard: string | null;
}
