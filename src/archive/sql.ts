import type { FieldRange, ValidQuery } from './query.js';
import { NOT_A_REPORT } from './records.js';

/**
 * A finding's (alias f) latest review that is not a comment: its verdict, `reopened`, or NULL when never decided.
 * Both backends' finding lists and the unreviewed filter read it, so they agree on what is decided.
 */
export const LATEST_DECISION = `(SELECT r.decision FROM reviews r WHERE r.doc = f.doc AND r.fingerprint = f.fingerprint AND r.decision <> 'comment'
  ORDER BY r.at DESC, r.id DESC LIMIT 1)`;

/**
 * The SQL both backends share for filters and sorting. Only the placeholder style, the case-insensitive LIKE,
 * the collation and how a field is compared with a decimal differ; a Dialect supplies those.
 */
export interface Dialect {
  placeholder(index: number): string;
  ilike: string;
  /** Sorting by text in code-point order on both backends. */
  collate: string;
  /** The condition `column op decimal`, exact on both backends; `decimal` is the placeholder of its text. */
  fieldComparison(column: string, op: FieldRange['op'], decimal: string): string;
  /** LIMIT for "no limit" (SQLite -1, PostgreSQL ALL). */
  noLimit: string;
}

export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Filter conditions on documents `d` (ANDed by the caller). */
export function filterConditions(q: ValidQuery, p: Params, dialect: Dialect): string[] {
  const where: string[] = [];
  if (q.fiscalYear !== undefined) where.push(`d.fiscal_year = ${p.add(q.fiscalYear)}`);
  if (q.organization) where.push(`d.organization ${dialect.ilike} ${p.add(`%${escapeLike(q.organization)}%`)} ESCAPE '\\'`);
  if (q.documentType) where.push(`d.document_type = ${p.add(q.documentType)}`);
  if (q.status === 'failed') where.push(`d.status = 'failed'`);
  else if (q.status === 'ok') where.push(`d.status = 'ok' AND NOT ${NOT_A_REPORT}`);
  else if (q.status === 'not-a-report') where.push(NOT_A_REPORT);
  const finding: string[] = [];
  if (q.has) finding.push(`f.severity = ${p.add(q.has)}`);
  // "cross/*": every rule of a pack (the cross-document findings, say)
  if (q.rule?.endsWith('/*')) finding.push(`f.rule_id LIKE ${p.add(`${escapeLike(q.rule.slice(0, -1))}%`)} ESCAPE '\\'`);
  else if (q.rule) finding.push(`f.rule_id = ${p.add(q.rule)}`);
  if (q.unreviewed) finding.push(`COALESCE(${LATEST_DECISION}, 'reopened') = 'reopened'`);
  if (finding.length) where.push(`d.id IN (SELECT f.doc FROM findings f WHERE ${finding.join(' AND ')})`);
  for (const range of q.fields) {
    where.push(
      `d.id IN (SELECT x.doc FROM fields x WHERE x.key = ${p.add(range.key)} AND ${dialect.fieldComparison('x.value', range.op, p.add(range.value))})`,
    );
  }
  return where;
}

/** ORDER BY for documents `d`; `score` is the relevance column when there is a text query. */
export function orderBy(q: ValidQuery, hasScore: boolean, dialect: Dialect): string {
  const c = dialect.collate;
  const tail = `d.file${c}, d.sha256`;
  switch (q.sort) {
    case 'relevance':
      return hasScore ? `score DESC, d.fiscal_year DESC NULLS LAST, ${tail}` : `d.fiscal_year DESC NULLS LAST, d.organization${c} NULLS LAST, ${tail}`;
    case 'year':
      return `d.fiscal_year DESC NULLS LAST, d.organization${c} NULLS LAST, ${tail}`;
    case 'org':
      return `d.organization${c} NULLS LAST, d.fiscal_year DESC NULLS LAST, ${tail}`;
    case 'errors':
      return `d.errors DESC, d.warnings DESC, d.fiscal_year DESC NULLS LAST, ${tail}`;
  }
}

export function paging(q: ValidQuery, p: Params, dialect: Dialect): string {
  return `LIMIT ${q.limit === undefined ? dialect.noLimit : p.add(q.limit)} OFFSET ${p.add(q.offset)}`;
}

/** IN lists are bound in parts: SQLite takes at most 32,766 parameters in a statement. */
export function* chunks<T>(items: readonly T[], size = 500): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** A sha256 prefix (6+ hex digits) as a range [from, to) on the hex text, which both backends index. */
export function hashPrefix(ref: string): [string, string] | undefined {
  if (!/^[0-9a-f]{6,64}$/i.test(ref)) return undefined;
  const from = ref.toLowerCase();
  return [from, `${from}g`];
}
