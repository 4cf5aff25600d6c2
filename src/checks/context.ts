import { parseChineseNumber } from '../figures/chinese-numerals.js';
import { isHeading } from '../outline.js';
import type { Figure } from '../figures/types.js';
import type { DocumentType, Evidence, Severity } from '../model.js';
import type { TextDocument } from '../text/document.js';
import type { Verdict } from './interval.js';
import type { Table } from '../figures/tables.js';
import { documentPrecision, type PrecisionMap } from './precision.js';

/** What a rule type sees of the document: read-only, shared by every rule. */
export interface DocumentFacts {
  doc: TextDocument;
  /** Figures of the running text (table cells are in `tables`). */
  figures: readonly Figure[];
  tables: readonly Table[];
  /** Every table cell's figure, with its precision read per table. */
  cellFigures: readonly Figure[];
  /** Effective decimals of table cells: the most decimals printed per table and unit. */
  cellPrecision: PrecisionMap;
  precision: PrecisionMap;
  documentType: DocumentType;
  fiscalYear?: number;
  /** The stage the title names (stageOfTitle): a 预算's sections may quote last year's execution. */
  documentStage?: 'budget' | 'final';
  /** Where the fiscal year was read (title, headings, body): a year slip is only as sure as the year itself. */
  fiscalYearFrom?: 'title' | 'heading' | 'body';
  /** Amount figures by sentence index. */
  bySentence: ReadonlyMap<number, readonly Figure[]>;
  /** Every figure by block index. */
  byBlock: ReadonlyMap<number, readonly Figure[]>;
  /** Block index of the heading that opens each block's section (-1 before the first heading). */
  sectionOf: readonly number[];
  /** A configuration's `rounding: strict`: a one-unit 尾差 is a finding like any other mismatch. */
  strictRounding?: boolean;
}

/** Rule types name the evidence of what they report (the vocabulary lives in the model). */
export type { Evidence };

export interface ProblemReport {
  messageId: string;
  evidence: Evidence;
  data: Record<string, string | number>;
  /** The figure stated wrongly (or the one the finding is anchored on). */
  primary: Figure;
  /** Every figure involved: total and parts, share and operands, both mentions. */
  figures: readonly Figure[];
  expected?: string;
  actual?: string;
  calculation?: string;
  /** Lowers (never raises) the rule's configured severity, e.g. a different budget basis. */
  severity?: Severity;
}

export interface RuleContext extends DocumentFacts {
  report(problem: ProblemReport): void;
  /**
   * Records the outcome of one relation the rule evaluated, with the figures it relates, stated result first (for
   * the report's `checks` counts, and its `relations` when asked: what the mutation evaluation breaks).
   */
  tally(verdict: Verdict, figures: readonly Figure[]): void;
}

export function buildFacts(
  doc: TextDocument,
  figures: readonly Figure[],
  precision: PrecisionMap,
  documentType: DocumentType,
  fiscalYear: number | undefined,
  tables: readonly Table[] = [],
  cellFigures: readonly Figure[] = [],
): DocumentFacts {
  const bySentence = new Map<number, Figure[]>();
  const byBlock = new Map<number, Figure[]>();
  for (const f of figures) {
    if (!bySentence.has(f.sentence)) bySentence.set(f.sentence, []);
    bySentence.get(f.sentence)!.push(f);
    if (!byBlock.has(f.block)) byBlock.set(f.block, []);
    byBlock.get(f.block)!.push(f);
  }
  const sectionOf: number[] = [];
  let current = -1;
  for (const [i, b] of doc.blocks.entries()) {
    if (b.kind === 'heading' || isHeading(doc.text.slice(b.start, b.end))) current = i;
    sectionOf.push(current);
  }
  const facts: DocumentFacts = {
    doc,
    figures,
    tables,
    cellFigures,
    cellPrecision: documentPrecision(cellFigures),
    precision,
    documentType,
    bySentence,
    byBlock,
    sectionOf,
  };
  if (fiscalYear !== undefined) facts.fiscalYear = fiscalYear;
  return facts;
}

/** "1、…", "2.…", "(3)…": numbered items, returning the number, or null. */
export function itemNumber(text: string): number | null {
  const m = /^\s*(?:\((\d{1,2})\)|(\d{1,2})\s*(?:、|\.(?!\d)))/.exec(text);
  return m ? Number(m[1] ?? m[2]) : null;
}

/** How an item is numbered: "1." / "1、" / "(1)" / "(一)" / "一、". Items of one list share a style; another is a sub-list. */
export function numberStyle(text: string): string | undefined {
  const m = /^\s*(?:(\()\d{1,2}\)|\d{1,2}\s*(、|\.(?!\d))|(\()[一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}(、))/u.exec(text);
  if (!m) return undefined;
  // Chinese numerals make styles of their own: (一) items hold (1) ones, not the other way round
  return m[1] ?? m[2] ?? (m[3] ? '(一)' : m[4] ? '一、' : undefined);
}

/**
 * An item's number, arabic or Chinese: "（三）卫生健康支出（类）96.52万元" is the third item of a list numbered (一)(二)(三),
 * whatever its length (a short one reads like a heading).
 */
export function listItemNumber(text: string): number | null {
  const arabic = itemNumber(text);
  if (arabic !== null) return arabic;
  const m = /^\s*(?:\(([一二三四五六七八九十]{1,3})\)|([一二三四五六七八九十]{1,3})、)/u.exec(text);
  const value = m ? parseChineseNumber(m[1] ?? m[2]!) : null;
  return value === null ? null : Number(value.units);
}

export const isLevelAmount = (f: Figure): boolean => f.kind === 'amount' && !f.direction;
export const isChangeAmount = (f: Figure): boolean => f.kind === 'amount' && f.direction !== undefined;
