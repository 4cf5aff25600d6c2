import type { DocumentType, Report } from '../report/schema.js';
import type { DocumentRecord, FindingRow, Verdict } from './repository.js';

/** The verdict a latest decision gives: a reopened finding is undecided. */
export const verdictOf = (decision: string | null): Verdict | null => (decision === 'accepted' || decision === 'false-positive' ? decision : null);
import type { PackVersion } from './write-plan.js';

/** Report → rows, and rows → records: the part of storage both backends share. */

export interface FigureRow {
  id: string;
  kind: string;
  text: string;
  exact: string;
  unit: string;
  decimals: number;
  /** Amounts only; the Report's number in 元. */
  yuan: number | null;
  label: string;
  stage: string | null;
  direction: string | null;
  loc: string;
}

export const figureRows = (report: Report): FigureRow[] =>
  report.figures.map((f) => ({
    id: f.id,
    kind: f.kind,
    text: f.text,
    exact: f.exact,
    unit: f.unit,
    decimals: f.decimals,
    yuan: f.yuan ?? null,
    label: f.label,
    stage: f.stage ?? null,
    direction: f.direction ?? null,
    loc: JSON.stringify(f.loc),
  }));

export interface FindingInsert {
  fingerprint: string;
  ruleId: string;
  messageId: string;
  severity: string;
  message: string;
  expected: string | null;
  actual: string | null;
  calculation: string | null;
  quote: string;
  loc: string;
  figureIds: string;
}

export const findingRows = (report: Report): FindingInsert[] =>
  report.findings.map((f) => ({
    fingerprint: f.id,
    ruleId: f.ruleId,
    messageId: f.messageId,
    severity: f.severity,
    message: f.message,
    expected: f.expected ?? null,
    actual: f.actual ?? null,
    calculation: f.calculation ?? null,
    quote: f.quote,
    loc: JSON.stringify(f.loc),
    figureIds: JSON.stringify(f.figures),
  }));

export interface TableRow {
  id: string;
  title: string | null;
  page: number | null;
  rows: number;
  cols: number;
  unit: string;
}

export const tableRows = (report: Report): TableRow[] =>
  (report.tables ?? []).map((t) => ({ id: t.id, title: t.title ?? null, page: t.page ?? null, rows: t.rows, cols: t.cols, unit: t.unit }));

/** A documents row as both backends read it back (after their own type conversions). */
export interface DocumentRowOut {
  sha256: string;
  file: string;
  title: string | null;
  organization: string | null;
  fiscal_year: number | null;
  document_type: string | null;
  format: string | null;
  pages: number | null;
  status: string;
  /** 0/1 from SQLite, a boolean from PostgreSQL. */
  not_a_report: number | boolean;
  error_code: string | null;
  error_message: string | null;
  checked_at: string;
  pack_versions: PackVersion[];
  errors: number;
  warnings: number;
  infos: number;
}

/**
 * A document read but not a budget report (the report's `notAReport`: type unknown, no amount), from the stored figures: no column, no
 * migration, and it holds for reports stored before the flag existed. A look-up by the figures' primary key.
 */
export const NOT_A_REPORT = `(d.status = 'ok' AND d.document_type = 'unknown' AND NOT EXISTS (SELECT 1 FROM figures nr WHERE nr.doc = d.id AND nr.kind = 'amount'))`;

/** The documents columns read for records (never the large text and report columns). */
export const RECORD_COLUMNS = `d.sha256, d.file, d.title, d.organization, d.fiscal_year, d.document_type, d.format, d.pages, d.status, ${NOT_A_REPORT} AS not_a_report, d.error_code, d.error_message, d.checked_at, d.pack_versions, d.errors, d.warnings, d.infos`;

export function recordFromRow(row: DocumentRowOut, fields: Record<string, number>): DocumentRecord {
  return {
    sha256: row.sha256,
    file: row.file,
    title: row.title,
    organization: row.organization,
    fiscalYear: row.fiscal_year,
    documentType: row.document_type as DocumentType | null,
    format: row.format as DocumentRecord['format'],
    pages: row.pages,
    status: row.status as DocumentRecord['status'],
    notAReport: !!row.not_a_report,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    checkedAt: row.checked_at,
    packs: row.pack_versions,
    errors: row.errors,
    warnings: row.warnings,
    infos: row.infos,
    fields,
  };
}

/** A findings row as both backends read it back. */
export interface FindingRowOut {
  sha256: string;
  fingerprint: string;
  rule_id: string;
  severity: string;
  message: string;
  expected: string | null;
  actual: string | null;
  calculation: string | null;
  quote: string;
  loc: { line: number; column: number; page?: number };
  /** The latest decision's review as JSON (text from SQLite, an object from PostgreSQL). */
  review: string | { decision: string; reviewer: string; at: string } | null;
  comment: string | null;
}

export function findingFromRow(row: FindingRowOut): FindingRow {
  const review = typeof row.review === 'string' ? (JSON.parse(row.review) as Exclude<FindingRowOut['review'], string>) : row.review;
  return {
    sha256: row.sha256,
    fingerprint: row.fingerprint,
    ruleId: row.rule_id,
    severity: row.severity as FindingRow['severity'],
    message: row.message,
    expected: row.expected,
    actual: row.actual,
    calculation: row.calculation,
    quote: row.quote,
    line: row.loc.line,
    column: row.loc.column,
    page: row.loc.page ?? null,
    decision: verdictOf(review?.decision ?? null),
    reviewer: review?.reviewer ?? null,
    // PostgreSQL's json_build_object writes a timestamptz without the T; a Date reads both
    reviewedAt: review ? new Date(review.at).toISOString() : null,
    comment: row.comment,
  };
}

/** Findings in the order of the documents asked for, then by position in each document. */
export function sortFindings(rows: FindingRow[], sha256s: readonly string[]): FindingRow[] {
  const order = new Map(sha256s.map((s, i) => [s, i]));
  return rows.sort(
    (a, b) => order.get(a.sha256)! - order.get(b.sha256)! || (a.page ?? 0) - (b.page ?? 0) || a.line - b.line || a.column - b.column || a.fingerprint.localeCompare(b.fingerprint),
  );
}
