import { z } from 'zod';
import type { Figure } from './figures/types.js';

/**
 * The vocabulary that checks, report and archive share: what kind of document, how severe a finding, how its
 * operands were identified, and a problem a rule found. Living here, below all three, it lets `checks` and `report`
 * stay independent of each other (the report contract builds on it; the checks produce it).
 */

export const DocumentTypeSchema = z.enum(['perf-eval', 'final-accounts', 'budget', 'sangong', 'unknown']);
export type DocumentType = z.infer<typeof DocumentTypeSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/**
 * How a relation's operands were identified, which bounds what a mismatch may claim: explicit structure (a total
 * with its 其中 list, a 合计 row, a stated base, a table roll-up) may raise an error; a pairing by label at most a
 * warning; mere proximity at most info.
 */
export const EvidenceSchema = z.enum(['structure', 'label', 'proximity']);
export type Evidence = z.infer<typeof EvidenceSchema>;

/** One mismatch a rule found, before it is placed in the document (the report turns it into a Finding). */
export interface Problem {
  ruleId: string;
  messageId: string;
  severity: Severity;
  evidence: Evidence;
  message: string;
  primary: Figure;
  figures: readonly Figure[];
  expected?: string;
  actual?: string;
  calculation?: string;
}

/**
 * What the cross-document rules read of a checked document. A report satisfies it as it stands (the report contract
 * builds on these shapes), so the rules work on the reports of a run and on archived reports alike.
 */
export interface CrossFigure {
  id: string;
  kind: 'amount' | 'percent' | 'count' | 'year';
  text: string;
  /** The value as printed, exact (a plain decimal string). */
  exact: string;
  decimals: number;
  unit: string;
  label: string;
  stage?: string | undefined;
  direction?: 'increase' | 'decrease' | 'flat' | undefined;
  pointChange?: boolean | undefined;
  loc: { block: number; start: number; table?: string | undefined };
}

export interface CrossDocument {
  file: string;
  sha256: string;
  status: 'ok' | 'failed';
  fiscalYear?: number | undefined;
  documentType?: DocumentType | undefined;
  identity?: { organizationKey?: string | undefined; scope?: 'department' | 'unit' | undefined; form: 'narrative' | 'tables' | 'both' } | undefined;
  figures: readonly CrossFigure[];
  fieldFigures?: Readonly<Record<string, string>> | undefined;
  /** The document's own findings: a figure its own checks dispute is weak evidence against another document. */
  findings: readonly { ruleId: string; severity: Severity; figures: readonly string[] }[];
}

/** One mismatch between documents, attached to the document whose figure it cites first. */
export interface CrossProblem {
  ruleId: string;
  messageId: string;
  severity: Severity;
  evidence: Evidence;
  message: string;
  /** The document the finding belongs to, and its figures (the wrongly stated one first). */
  document: CrossDocument;
  figures: readonly CrossFigure[];
  related: readonly { document: CrossDocument; figures: readonly CrossFigure[] }[];
  expected: string;
  actual: string;
  calculation?: string;
}
