import { z } from 'zod';
import { DECISIONS } from '../archive/repository.js';
import { parseFieldRange, type SearchQuery } from '../archive/query.js';
import { DocumentTypeSchema, SeveritySchema } from '../report/schema.js';

/** zod schemas of the API's inputs: query parameters and JSON bodies. */

/** A query parameter given twice arrives as an array: the last one counts (except `field`, which repeats). */
const last = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);
const text = (max: number) => z.preprocess(last, z.string().trim().min(1).max(max));
const flag = z.preprocess(last, z.enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v)));

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, '应为 64 位十六进制 sha256');

/** PUT /api/documents/:sha256/unit: with another document's unit, alone, or back to the unit read from it. */
export const RegroupBodySchema = z.union([
  z.object({ with: Sha256Schema }).strict(),
  z.object({ alone: z.literal(true) }).strict(),
  z.object({ auto: z.literal(true) }).strict(),
]);
/** Finding ids are fingerprints (hex). */
export const FingerprintSchema = z.string().regex(/^[0-9a-f]{8,128}$/, '发现编号格式不正确');

const FilterShape = {
  q: text(200).optional(),
  year: z.preprocess(last, z.coerce.number().int().min(1900).max(2100)).optional(),
  org: text(200).optional(),
  type: z.preprocess(last, DocumentTypeSchema).optional(),
  status: z.preprocess(last, z.enum(['ok', 'failed', 'not-a-report'])).optional(),
  has: z.preprocess(last, SeveritySchema).optional(),
  rule: text(100).optional(),
  unreviewed: flag.optional(),
  /** `key>=value` (元), repeatable: `field=expenditure.total>=1000000&field=staff.actual<20`. */
  field: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => [v].flat().filter((s) => s.trim() !== ''))
    .optional(),
  sort: z.preprocess(last, z.enum(['relevance', 'year', 'org', 'errors'])).optional(),
};

export const FilterQuerySchema = z.strictObject(FilterShape);
export type FilterQuery = z.output<typeof FilterQuerySchema>;

export const ListQuerySchema = z.strictObject({
  ...FilterShape,
  page: z.preprocess(last, z.coerce.number().int().min(1).max(1_000_000)).default(1),
  limit: z.preprocess(last, z.coerce.number().int().min(1).max(500)).default(50),
});
export type ListQuery = z.output<typeof ListQuerySchema>;

export const SearchQueryParamsSchema = ListQuerySchema.extend({ q: text(200) });

export const UploadQuerySchema = z.strictObject({
  /** Answer with the reports once checked (the default in-process) or at once with the batch (`wait=0`). */
  wait: flag.optional(),
  name: text(100).optional(),
  /** Add the files to this batch (a drop sent as several requests); the answer is then always the batch (202). */
  batch: z.preprocess(last, z.string().regex(/^[\w-]{1,100}$/, '批次编号格式不正确')).optional(),
});

export const ReviewBodySchema = z
  .strictObject({
    sha256: Sha256Schema,
    decision: z.enum(DECISIONS),
    comment: z.string().trim().max(2000).optional(),
    reviewer: z.string().trim().min(1).max(100).optional(),
  })
  .refine((b) => b.decision !== 'comment' || (b.comment ?? '') !== '', { message: '备注不能为空', path: ['comment'] });
export type ReviewBody = z.output<typeof ReviewBodySchema>;

/** Drops empty parameters (an empty form field means "no filter") and the access token. */
export function cleanQuery(query: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (k === 'token' || v === '' || v === undefined) continue;
    out[k] = Array.isArray(v) ? v.filter((x) => x !== '') : v;
    if (Array.isArray(out[k]) && !(out[k] as unknown[]).length) delete out[k];
  }
  return out;
}

/** The archive search a filter describes (field ranges parsed; ArchiveError on a bad one). */
export function archiveQuery(f: FilterQuery, paging?: { page: number; limit: number }): SearchQuery {
  const query: SearchQuery = {
    fields: (f.field ?? []).map(parseFieldRange),
    sort: f.sort ?? (f.q ? 'relevance' : 'year'),
    unreviewed: f.unreviewed ?? false,
  };
  if (f.q) query.text = f.q;
  if (f.year !== undefined) query.fiscalYear = f.year;
  if (f.org) query.organization = f.org;
  if (f.type) query.documentType = f.type;
  if (f.status) query.status = f.status;
  if (f.has) query.has = f.has;
  if (f.rule) query.rule = f.rule;
  if (paging) {
    query.limit = paging.limit;
    query.offset = (paging.page - 1) * paging.limit;
  }
  return query;
}

const TYPE_NAMES: Record<string, string> = { number: '数字', int: '整数', string: '文字', boolean: '布尔值', array: '列表', object: '对象' };
const HAN = /[\u4e00-\u9fff]/;

/** Why one zod issue refused a value, in Chinese (a schema's own Chinese message is kept). */
function reason(issue: z.core.$ZodIssue): string {
  if (HAN.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves the input out of its issues; its message says when there was none
      return issue.message.endsWith('received undefined') ? '缺少此项' : `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${issue.minimum} 个字符`;
      if (issue.origin === 'array') return `至少 ${issue.minimum} 项`;
      return `不能小于 ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `最多 ${issue.maximum} 个字符`;
      if (issue.origin === 'array') return `最多 ${issue.maximum} 项`;
      return `不能大于 ${issue.maximum}`;
    case 'invalid_value':
      return `应为 ${issue.values.map(String).join('、')} 之一`;
    case 'invalid_format':
      return '格式不正确';
    case 'unrecognized_keys':
      return `不支持的参数 ${issue.keys.join('、')}`;
    default:
      return '取值不正确';
  }
}

/**
 * A zod error as reviewers read it: `参数 <name> 无效：<why>` per issue (`<what>` names a value that is not one of
 * several, such as a path parameter), joined by `；`.
 */
export function zodMessage(error: z.ZodError, what: string): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `不支持的参数：${issue.keys.join('、')}`;
      const name = issue.path.length ? issue.path.join('.') : what;
      return `参数 ${name} 无效：${reason(issue)}`;
    })
    .join('；');
}
