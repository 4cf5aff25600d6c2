import { z } from 'zod';
import { DocumentTypeSchema, SeveritySchema } from '../report/schema.js';
import { ArchiveError } from './errors.js';

export const FIELD_OPS = ['>=', '<=', '>', '<', '='] as const;

/** A filter on a report field, e.g. `expenditure.total>=1000000` (amounts in 元). */
export const FieldRangeSchema = z.strictObject({
  key: z.string().regex(/^[A-Za-z][\w.]*$/),
  op: z.enum(FIELD_OPS),
  /** Kept as the decimal the user typed, so PostgreSQL compares it exactly as NUMERIC. */
  value: z.string().regex(/^-?\d+(?:\.\d+)?$/),
});
export type FieldRange = z.infer<typeof FieldRangeSchema>;

export const SORTS = ['relevance', 'year', 'org', 'errors'] as const;
export type Sort = (typeof SORTS)[number];

export const SearchQuerySchema = z.strictObject({
  /** Words to find (whitespace separates words; every word must occur). */
  text: z.string().optional(),
  fiscalYear: z.number().int().optional(),
  /** Substring of the organization. */
  organization: z.string().min(1).optional(),
  documentType: DocumentTypeSchema.optional(),
  /** not-a-report: read, but no amount in it (未识别为报告); ok: the budget reports that were checked. */
  status: z.enum(['ok', 'failed', 'not-a-report']).optional(),
  /**
   * Finding criteria, applied to one and the same finding: `has: 'error', unreviewed: true` keeps documents
   * with an error finding that no reviewer has accepted or dismissed.
   */
  has: SeveritySchema.optional(),
  /** A rule id, or a pack's rules: "cross/*" (the cross-document findings). */
  rule: z.string().min(1).optional(),
  unreviewed: z.boolean().default(false),
  fields: z.array(FieldRangeSchema).default([]),
  sort: z.enum(SORTS).default('relevance'),
  /** Absent: every match (exports). */
  limit: z.number().int().positive().optional(),
  offset: z.number().int().nonnegative().default(0),
});
export type SearchQuery = z.input<typeof SearchQuerySchema>;
export type ValidQuery = z.output<typeof SearchQuerySchema>;

export function validateQuery(query: SearchQuery): ValidQuery {
  const parsed = SearchQuerySchema.safeParse(query);
  if (!parsed.success) throw new ArchiveError(`invalid search: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Parses `key(op)value`, e.g. `threePublic.total<50000`. */
export function parseFieldRange(text: string): FieldRange {
  const m = /^\s*([A-Za-z][\w.]*)\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) throw new ArchiveError(`bad field filter "${text}": use key>=value, e.g. expenditure.total>=1000000 (ops >= <= > < =)`);
  return { key: m[1]!, op: m[2] as FieldRange['op'], value: m[3]! };
}
