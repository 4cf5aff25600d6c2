import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type DocumentType, type Finding, type Report, ReportSchema } from '../report/schema.js';
import { ArchiveError } from './errors.js';
import type { DocumentRecord, FindingRow } from './repository.js';
import { indexGrams, plainForm, segmentWords } from './search-text.js';

/** Report → rows, and rows → records: the part of storage both backends share. */

export type PackVersion = { id: string; version: string };

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/**
 * The text stored and indexed for a report. Reports do not carry their text yet; without it, the quoted
 * sentences of the findings are the only text we have (title and organization are indexed separately).
 */
export function textOf(report: Report, text: string | undefined): string {
  return text ?? [...new Set(report.findings.map((f) => f.quote))].join('\n');
}

/**
 * What makes two stored reports the same: everything but the timings and the path the bytes were read from
 * (the same bytes under another name are the same document).
 */
export function contentDigest(report: Report, text: string): string {
  const content = JSON.stringify({ ...report, file: undefined, timingsMs: undefined });
  return createHash('sha256').update(content).update('\u0000').update(text).digest('hex');
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const d = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** Every pack of `incoming` is also in `stored`, none newer there, one older: a stale worker's result. */
function olderPacks(incoming: readonly PackVersion[], stored: readonly PackVersion[]): boolean {
  let older = false;
  for (const p of incoming) {
    const s = stored.find((q) => q.id === p.id);
    if (!s) return false;
    const c = compareVersions(p.version, s.version);
    if (c > 0) return false;
    if (c < 0) older = true;
  }
  return older;
}

export type WritePlan = 'insert' | 'replace' | 'unchanged' | 'stale';

export function planWrite(stored: { digest: string; packs: PackVersion[] } | undefined, digest: string, packs: readonly PackVersion[]): WritePlan {
  if (!stored) return 'insert';
  if (stored.digest === digest) return 'unchanged';
  return olderPacks(packs, stored.packs) ? 'stale' : 'replace';
}

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
  error_code: string | null;
  error_message: string | null;
  checked_at: string;
  pack_versions: PackVersion[];
  errors: number;
  warnings: number;
  infos: number;
}

/** The documents columns read for records (never the large text and report columns). */
export const RECORD_COLUMNS =
  'd.sha256, d.file, d.title, d.organization, d.fiscal_year, d.document_type, d.format, d.pages, d.status, d.error_code, d.error_message, d.checked_at, d.pack_versions, d.errors, d.warnings, d.infos';

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
  decision: string | null;
}

export function findingFromRow(row: FindingRowOut): FindingRow {
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
    decision: row.decision as FindingRow['decision'],
  };
}

/** Reports come from workers and files: check them against the contract before they reach the database. */
export function validReport(report: Report): Report {
  const parsed = ReportSchema.safeParse(report);
  if (!parsed.success) throw new ArchiveError(`not a valid report (${report.file ?? '?'}): ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The indexed forms of a document (computed outside the write transaction: segmentation is the slow part). */
export interface SearchColumns {
  head: string;
  body: string;
  grams: string;
  plain: string;
}

export function searchColumns(report: Report, text: string): SearchColumns {
  const head = [report.title, report.organization].filter(Boolean).join('\n');
  return { head: segmentWords(head), body: segmentWords(text), grams: indexGrams(`${head}\n${text}`), plain: plainForm(`${head}\n${text}`) };
}

export function* chunks<T>(items: readonly T[], size = 500): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Findings in the order of the documents asked for, then by position in each document. */
export function sortFindings(rows: FindingRow[], sha256s: readonly string[]): FindingRow[] {
  const order = new Map(sha256s.map((s, i) => [s, i]));
  return rows.sort(
    (a, b) => order.get(a.sha256)! - order.get(b.sha256)! || (a.page ?? 0) - (b.page ?? 0) || a.line - b.line || a.column - b.column || a.fingerprint.localeCompare(b.fingerprint),
  );
}

/** A sha256 prefix (6+ hex digits) as a range [from, to) on the hex text, which both backends index. */
export function hashPrefix(ref: string): [string, string] | undefined {
  if (!/^[0-9a-f]{6,64}$/i.test(ref)) return undefined;
  const from = ref.toLowerCase();
  return [from, `${from}g`];
}
