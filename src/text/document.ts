import type { Block, ExtractedDocument } from '../readers/types.js';
import { normalizeText, type NormalizedText } from './normalize.js';
import { continuesParagraph, isPageNumberLine, typicalWrapWidth } from './reflow.js';
import { splitClauses, splitSentences, spanIndexAt, type Span } from './segment.js';

/** One block as the reader gave it, placed in the document text. */
export interface Piece extends Span {
  block: Block;
  /** Where the block starts in the original (un-normalized) joined text. */
  originalStart: number;
}

/** A logical paragraph: one or more pieces that a hard line wrap had cut apart. */
export interface Paragraph extends Span {
  kind: Block['kind'];
  firstPiece: number;
  lastPiece: number;
}

/**
 * The document as one normalized string, with paragraphs, sentences and clauses as spans over it. Paragraphs are
 * joined with "\n", so no sentence or clause crosses a paragraph boundary; the pieces of a wrapped paragraph are
 * joined with nothing, so its sentences read whole.
 */
export interface TextDocument {
  original: string;
  normalized: NormalizedText;
  text: string;
  pieces: Piece[];
  /** Logical paragraphs (what rules call blocks). */
  blocks: Paragraph[];
  sentences: Span[];
  clauses: Span[];
}

/** The document before segmentation: normalized text, pieces and paragraphs. */
export type AssembledText = Omit<TextDocument, 'sentences' | 'clauses'>;

export function buildTextDocument(doc: ExtractedDocument, strip: readonly RegExp[] = []): TextDocument {
  return segmentText(assembleText(doc, strip));
}

/** Splits the assembled text into sentences and clauses. */
export function segmentText(assembled: AssembledText): TextDocument {
  return { ...assembled, sentences: splitSentences(assembled.text), clauses: splitClauses(assembled.text) };
}

/** Joins the reader's blocks into one normalized text, re-joining hard-wrapped paragraphs. */
export function assembleText(doc: ExtractedDocument, strip: readonly RegExp[] = []): AssembledText {
  const originalStarts: number[] = [];
  const joinsPrevious: boolean[] = [];
  let original = '';
  const wrapWidth = typicalWrapWidth(doc.blocks);
  // A page number printed between two lines of one sentence ("…增加215.30" / "17" / "万元，…") is furniture: it is
  // removed from the text (the offset map keeps it in the original) and the sentence joins across it.
  const furniture: [number, number][] = [];
  const isFurniture = (i: number): boolean => {
    const [before, line, after] = [doc.blocks[i - 1], doc.blocks[i], doc.blocks[i + 1]];
    return !!before && !!line && !!after && isPageNumberLine(line.text) && !/^\s*\d/.test(after.text) && continuesParagraph(before, after, wrapWidth);
  };
  doc.blocks.forEach((block, i) => {
    const skipped = i >= 2 && isFurniture(i - 1);
    const previous = skipped ? doc.blocks[i - 2] : doc.blocks[i - 1];
    const join = isFurniture(i) || (previous !== undefined && continuesParagraph(previous, block, wrapWidth));
    if (i > 0 && !join) original += '\n';
    joinsPrevious.push(join);
    originalStarts.push(original.length);
    if (isFurniture(i)) furniture.push([original.length, original.length + block.text.length]);
    original += block.text;
  });
  const normalized = normalizeText(original, strip, furniture);
  const text = normalized.text;
  const pieces: Piece[] = [];
  let cursor = 0;
  doc.blocks.forEach((block, i) => {
    const oStart = originalStarts[i]!;
    const oEnd = oStart + block.text.length;
    while (cursor < text.length && normalized.origin[cursor]! < oStart) cursor++;
    const start = cursor;
    let end = start;
    while (end < text.length && normalized.origin[end]! < oEnd) end++;
    pieces.push({ start, end, block, originalStart: oStart });
    cursor = end;
  });
  const blocks: Paragraph[] = [];
  pieces.forEach((piece, i) => {
    const last = blocks[blocks.length - 1];
    if (last && joinsPrevious[i]) {
      last.end = piece.end;
      last.lastPiece = i;
    } else {
      blocks.push({ start: piece.start, end: piece.end, kind: piece.block.kind, firstPiece: i, lastPiece: i });
    }
  });
  return { original, normalized, text, pieces, blocks };
}

/** The reader's block that holds a normalized offset (for locations in the report). */
export function pieceAt(doc: TextDocument, offset: number): Piece | undefined {
  const i = spanIndexAt(doc.pieces, offset);
  if (i >= 0) return doc.pieces[i];
  // an offset on a joining boundary belongs to the piece that ends there
  return doc.pieces.find((p) => p.end === offset) ?? doc.pieces[doc.pieces.length - 1];
}
