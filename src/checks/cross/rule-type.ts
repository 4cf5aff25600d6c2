import type { z } from 'zod';
import type { CrossDocument, CrossFigure, CrossProblem, Severity } from '../../model.js';

/** What a cross-document rule reports: a problem before the engine names its rule, severity and message. */
export type CrossProblemReport = Omit<CrossProblem, 'ruleId' | 'severity' | 'message'> & {
  data: Record<string, string | number>;
  /** An upper bound below the rule's severity, if the rule wants one. */
  severity?: Severity;
};

/**
 * The documents of one unit (one organization key) that a run or the archive holds, each version of a document
 * once. `versionsOf` groups them into documents (the same kind, year, scope and form: a DOCX and its PDF, a
 * corrected re-submission), so that a rule compares documents, never a document with another copy of itself.
 */
export interface CrossContext {
  documents: readonly CrossDocument[];
  /** The version sets among `documents` that satisfy `where`, in a fixed order. */
  versionSets(where: (d: CrossDocument) => boolean): readonly (readonly CrossDocument[])[];
  /** Whether the document's own findings (error or warning) cite this figure. */
  disputed(document: CrossDocument, figure: CrossFigure): boolean;
  /** One relation evaluated for `document` (the one holding the claim, stated by `figures`); `held` when the documents agree. */
  tally(document: CrossDocument, held: boolean, figures: readonly CrossFigure[]): void;
  report(problem: CrossProblemReport): void;
}

/** A cross-document rule type: code, like the in-document ones (one module each, ESLint-style meta). */
export interface CrossRuleType<Options extends z.ZodType = z.ZodType> {
  type: string;
  meta: {
    description: string;
    messages: Record<string, string>;
    options: Options;
  };
  check(ctx: CrossContext, options: z.infer<Options>): void;
}

export function defineCrossRuleType<Options extends z.ZodType>(t: CrossRuleType<Options>): CrossRuleType<Options> {
  return t;
}

/** A document as a finding names it to a reviewer: its file name, without the folders. */
export const fileNameOf = (d: CrossDocument): string => d.file.split(/[\\/]/).pop() ?? d.file;
