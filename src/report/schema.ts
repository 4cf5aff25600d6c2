import { z } from 'zod';
import { DocumentTypeSchema, EvidenceSchema, SeveritySchema } from '../model.js';
import { READ_ERROR_CODES } from '../readers/types.js';
import { IdentitySchema } from './identity.js';

/** The report contract (`--format jsonl`: one object per input file). The single source of truth for its shape. */
export const SCHEMA_VERSION = 1;

export { DocumentTypeSchema, SeveritySchema, type DocumentType, type Severity } from '../model.js';

export const LocationSchema = z.object({
  block: z.number().int().nonnegative(),
  /** Offsets within the block's original text (half-open). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  page: z.number().int().positive().optional(),
  /** 1-based line in the document (the source line for TXT; the block's line for DOCX/PDF). */
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  /**
   * Offsets in the document's extracted text (`Report.text`, which the archive stores) of the figure's
   * characters (half-open), for a viewer to highlight it there. Absent where the figure is not in that text: the
   * cells of a PDF's tables, whose lines the reader takes out of the text.
   */
  textStart: z.number().int().nonnegative().optional(),
  textEnd: z.number().int().nonnegative().optional(),
  /** Table cells: the table's id and the cell's 0-based row and column. */
  table: z.string().optional(),
  row: z.number().int().nonnegative().optional(),
  col: z.number().int().nonnegative().optional(),
});
export type Location = z.infer<typeof LocationSchema>;

export const FigureSchema = z.object({
  id: z.string(),
  kind: z.enum(['amount', 'percent', 'count', 'year']),
  text: z.string(),
  value: z.number(),
  /** The exact value as a decimal string (value is a JSON number and may round beyond 15 digits). */
  exact: z.string(),
  decimals: z.number().int(),
  unit: z.string(),
  yuan: z.number().optional(),
  label: z.string(),
  stage: z.string().optional(),
  bound: z.enum(['atLeast', 'atMost', 'approx']).optional(),
  direction: z.enum(['increase', 'decrease', 'flat']).optional(),
  pointChange: z.boolean().optional(),
  loc: LocationSchema,
});
export type FigureRecord = z.infer<typeof FigureSchema>;

export const FindingSchema = z.object({
  /** Stable fingerprint from rule + quoted text (never offsets), so reviews survive re-checks. */
  id: z.string(),
  ruleId: z.string(),
  messageId: z.string(),
  severity: SeveritySchema,
  /**
   * How the relation's operands were identified, which caps the severity: `structure` (a total with its 其中 list,
   * a 合计 row, a stated base, a table roll-up) may be an error, `label` (a pairing by name) at most a warning,
   * `proximity` at most info. Absent only in reports archived before grades existed.
   */
  evidence: EvidenceSchema.optional(),
  message: z.string(),
  figures: z.array(z.string()),
  expected: z.string().optional(),
  actual: z.string().optional(),
  /** How the expected value was computed, e.g. "9 + 30 + 48.85 + 91.9 = 179.75". */
  calculation: z.string().optional(),
  loc: LocationSchema,
  quote: z.string(),
  /**
   * Cross-document findings (ruleId cross/…): the other documents the claim was held against, each with the figure
   * ids there (in that document's report) that state the other side.
   */
  related: z.array(z.object({ file: z.string(), sha256: z.string(), figures: z.array(z.string()) })).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const ReportErrorSchema = z.object({ code: z.enum(READ_ERROR_CODES), message: z.string() });

export const ReportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  file: z.string(),
  sha256: z.string(),
  status: z.enum(['ok', 'failed']),
  error: ReportErrorSchema.optional(),
  /**
   * Read, but not a budget report (未识别为报告): no title of a known kind (documentType unknown) and not one amount
   * in its text or tables — a note, a letter, a wrongly chosen file — so that "no finding" says nothing about it.
   * Absent on a report; a failed file never has it.
   */
  notAReport: z.literal(true).optional(),
  format: z.enum(['docx', 'pdf', 'txt']).optional(),
  pages: z.number().int().optional(),
  title: z.string().optional(),
  fiscalYear: z.number().int().optional(),
  organization: z.string().optional(),
  documentType: DocumentTypeSchema.optional(),
  /** Which document of its unit's set this is (organization key, scope, form); the cross-document rules group by it. */
  identity: IdentitySchema.optional(),
  packs: z.array(z.object({ id: z.string(), version: z.string() })),
  tables: z.array(
    z.object({
      id: z.string(),
      title: z.string().optional(),
      page: z.number().int().optional(),
      rows: z.number().int(),
      cols: z.number().int(),
      unit: z.string(),
      /**
       * The cell texts as the reader gave them (original, not width-folded), rows × cols, the grid that
       * loc.row/col index; a merged cell stands at its top-left position, the cells it covers are ''. Only with
       * the text (includeText).
       */
      cells: z.array(z.array(z.string())).optional(),
    }),
  ),
  warnings: z.array(z.string()),
  figures: z.array(FigureSchema),
  fields: z.record(z.string(), z.number()),
  /** The figure each field was read from (field → figure id), so that other documents can cite and round it. */
  fieldFigures: z.record(z.string(), z.string()).optional(),
  checks: z.object({ run: z.number().int(), passed: z.number().int(), failed: z.number().int(), roundingOnly: z.number().int() }),
  findings: z.array(FindingSchema),
  /**
   * The cross-document relations evaluated against the other documents of the same unit in the run or the archive
   * (run, passed, failed). Absent when the unit has no other document. It changes only when the relations do, so
   * that a unit's growing set does not make its stored reports stale.
   */
  crossChecks: z
    .object({
      run: z.number().int(),
      passed: z.number().int(),
      failed: z.number().int(),
      /**
       * In the archive: the document whose arrival (or regrouping) last changed these results, so that the report
       * view can say that this report was updated without being re-submitted.
       */
      updatedBy: z.object({ file: z.string(), sha256: z.string() }).optional(),
    })
    .optional(),
  /**
   * Every relation evaluated (rule, verdict, figure ids with the stated result first), only when asked for
   * (includeRelations): the mutation evaluation breaks the ones that hold.
   */
  relations: z
    .array(z.object({ ruleId: z.string(), verdict: z.enum(['exact', 'rounding', 'uncertain', 'tail', 'fail']), figures: z.array(z.string()) }))
    .optional(),
  /**
   * Rules that broke on this document (E_RULE: a rule type threw, or reported an unknown messageId) — an internal
   * error of the rule, not the document's fault; the other rules' findings stand. Absent when none broke.
   */
  ruleErrors: z.array(z.object({ code: z.literal('E_RULE'), ruleId: z.string(), message: z.string() })).optional(),
  timingsMs: z.record(z.string(), z.number()).optional(),
  /** The extracted text (original, not width-folded), only when asked for (the archive indexes it). */
  text: z.string().optional(),
});
export type Report = z.infer<typeof ReportSchema>;
