import { createHash } from 'node:crypto';
import type { Problem } from '../model.js';
import { toNumber, toPlain } from '../figures/decimal.js';
import type { Figure } from '../figures/types.js';
import { pieceAt, type Piece, type TextDocument } from '../text/document.js';
import { toOriginal } from '../text/normalize.js';
import { findingText, oneLine } from './finding-text.js';
import type { FigureRecord, Finding, Location } from './schema.js';

/** Where a normalized span sits in the reader's block: block index, block-relative original offsets, page, line. */
export function locate(doc: TextDocument, start: number, end: number): Location {
  const piece = pieceAt(doc, start)!;
  const origin = doc.normalized.origin;
  const oStart = origin[start] ?? piece.originalStart;
  const oEnd = end > start ? origin[end - 1]! + 1 : oStart;
  const rel = Math.max(0, oStart - piece.originalStart);
  const loc: Location = {
    block: piece.block.index,
    start: rel,
    end: Math.max(rel, Math.min(oEnd - piece.originalStart, piece.block.text.length)),
    line: piece.block.sourceLine ?? piece.block.index + 1,
    column: rel + 1,
  };
  if (piece.block.page !== undefined) loc.page = piece.block.page;
  return loc;
}

/**
 * Where a cell's figure stands in the document's text: DOCX and TXT cells are blocks of it, so the figure is
 * inside its cell's block; a PDF's table rows are taken out of the text, and its cells have no block.
 */
function cellTextSpan(piece: Piece | undefined, f: Figure): Pick<Location, 'textStart' | 'textEnd'> {
  const at = piece?.block.cell ? piece.block.text.indexOf(f.text) : -1;
  return at < 0 ? {} : { textStart: piece!.originalStart + at, textEnd: piece!.originalStart + at + f.text.length };
}

/** Each document's pieces by block index, built once: a table-heavy DOCX has a piece and figures per cell. */
const piecesByBlock = new WeakMap<TextDocument, Map<number, Piece>>();

function pieceOfBlock(doc: TextDocument, block: number): Piece | undefined {
  let map = piecesByBlock.get(doc);
  if (!map) {
    map = new Map();
    // the first piece of a block, as a search from the start would find it
    for (const p of doc.pieces) if (!map.has(p.block.index)) map.set(p.block.index, p);
    piecesByBlock.set(doc, map);
  }
  return map.get(block);
}

/** A table cell's location: its DOCX block (or the block the PDF table follows), page, table, row and column. */
function locateCell(doc: TextDocument, f: Figure, cell: NonNullable<Figure['cell']>): Location {
  const own = pieceOfBlock(doc, cell.block);
  const piece = own ?? doc.pieces[0];
  const loc: Location = {
    block: piece?.block.index ?? 0,
    start: 0,
    end: piece && piece.block.cell ? piece.block.text.length : 0,
    line: piece?.block.sourceLine ?? (piece?.block.index ?? 0) + 1,
    column: 1,
    table: `t${cell.table + 1}`,
    row: cell.row,
    col: cell.col,
    ...cellTextSpan(own, f),
  };
  const page = cell.page ?? piece?.block.page;
  if (page !== undefined) loc.page = page;
  return loc;
}

/** A figure's location, with its span in the document's original text (what `Report.text` holds). */
export function locateFigure(doc: TextDocument, f: Figure): Location {
  if (f.cell) return locateCell(doc, f, f.cell);
  const { start, end } = toOriginal(doc.normalized, f.start, f.end);
  return { ...locate(doc, f.start, f.end), textStart: start, textEnd: end };
}

export function figureRecord(doc: TextDocument, f: Figure): FigureRecord {
  const record: FigureRecord = {
    id: f.id,
    kind: f.kind,
    text: f.text,
    value: toNumber(f.value),
    exact: toPlain(f.value),
    decimals: f.decimals,
    unit: f.unit,
    label: f.label,
    loc: locateFigure(doc, f),
  };
  if (f.yuan) record.yuan = toNumber(f.yuan);
  if (f.stage) record.stage = f.stage;
  if (f.bound) record.bound = f.bound;
  if (f.direction) record.direction = f.direction;
  if (f.pointChange) record.pointChange = true;
  return record;
}

/** The original text of the sentence holding the figure: what a reviewer reads beside the finding. */
function quoteOf(doc: TextDocument, f: Figure): string {
  if (f.cell) return oneLine([f.cell.tableTitle, f.shownLabel, f.cell.header].filter(Boolean).join(' · ') + `：${f.text}`);
  const s = doc.sentences[f.sentence];
  if (!s) return f.text;
  const origin = doc.normalized.origin;
  const text = doc.original.slice(origin[s.start]!, origin[s.end - 1]! + 1).replace(/\s+/g, ' ').trim();
  return text.length > 240 ? `${text.slice(0, 237)}…` : text;
}

/**
 * Findings keyed by a fingerprint of rule, message and the quoted words (never offsets), so that a reviewer's
 * decision survives a re-check after an edit elsewhere in the report.
 */
export function findingRecords(doc: TextDocument, problems: readonly Problem[]): Finding[] {
  const used = new Map<string, number>();
  return problems.map((p) => {
    const quote = quoteOf(doc, p.primary);
    const basis = [p.ruleId, p.messageId, p.primary.text, quote.replace(/\s+/g, ''), ...p.figures.map((f) => f.text)].join('\u0000');
    const hash = createHash('sha256').update(basis).digest('hex').slice(0, 16);
    const n = used.get(hash) ?? 0;
    used.set(hash, n + 1);
    const text = findingText(p.message, p.calculation);
    const finding: Finding = {
      id: n ? `${hash}-${n + 1}` : hash,
      ruleId: p.ruleId,
      messageId: p.messageId,
      severity: p.severity,
      evidence: p.evidence,
      message: text.message,
      figures: p.figures.map((f) => f.id),
      loc: locateFigure(doc, p.primary),
      quote,
    };
    if (p.expected !== undefined) finding.expected = p.expected;
    if (p.actual !== undefined) finding.actual = p.actual;
    if (text.calculation !== undefined) finding.calculation = text.calculation;
    return finding;
  });
}
