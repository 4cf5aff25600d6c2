import { opensItem } from '../outline.js';
import { isOutlineHeading } from '../readers/text-shape.js';
import type { Block } from '../readers/types.js';

const ENDS_SENTENCE = /[。！？；：!?;:…」』”"]\s*$|[。！？!?]["”’」』)）]?\s*$/;
const INNER_PUNCTUATION = /[，,、；;：:（(]/;
const CONTINUES = /^\s*(?:[，,。、；;：:）)%％]|万?元|\d)/;

/**
 * Whether `next` continues the paragraph `prev` that a hard line wrap cut off: "…支出减" / "少929.49万元，…".
 * Reports converted from PDF, or typed with manual line breaks, arrive as one block per visual line; checks need
 * whole sentences. Short lines without inner punctuation (titles, captions) stay on their own.
 */
export function continuesParagraph(prev: Block, next: Block, wrapWidth = Infinity): boolean {
  if (prev.kind === 'heading' || next.kind === 'heading') return false;
  if (prev.kind === 'table-cell' || next.kind === 'table-cell') return false;
  if (prev.page !== undefined && next.page !== undefined && next.page < prev.page) return false;
  const a = prev.text.trimEnd();
  const b = next.text;
  if (!a || !b.trim() || ENDS_SENTENCE.test(a) || opensItem(b)) return false;
  // an outline heading ("一、总体情况", "五、2026年“三公”经费预算安排") that a DOCX or PDF gives as a plain paragraph
  // ends there, whatever its next line starts with; so does a text table's row ("| 合计 | 86,430.00 |")
  if (isOutlineHeading(a) || /^\s*\|/.test(a) || /^\s*\|/.test(b)) return false;
  return INNER_PUNCTUATION.test(a) || displayWidth(a) >= 0.85 * wrapWidth || a.length >= 40 || CONTINUES.test(b);
}

/** A line that holds only a page number: 17, - 17 -, 第17页, 17/31. */
export function isPageNumberLine(text: string): boolean {
  return /^\s*(?:[-—–]\s*)?\d{1,3}(?:\s*[-—–])?\s*$|^\s*第\s*\d{1,3}\s*页(?:\s*[,，]?\s*共\s*\d{1,3}\s*页)?\s*$|^\s*\d{1,3}\s*\/\s*\d{1,3}\s*$/.test(text);
}

/** Width in full-width cells: Chinese characters count 1, Latin letters, digits and spaces ½. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) < 0x2e80 ? 0.5 : 1;
  return width;
}

/**
 * The width at which a hard-wrapped document breaks its lines: the 90th percentile of its paragraph widths.
 * In a document without hard wraps paragraphs are long and this is never reached by a title or caption.
 */
export function typicalWrapWidth(blocks: readonly Block[]): number {
  const widths = blocks
    .filter((b) => b.kind === 'paragraph')
    .map((b) => displayWidth(b.text.trim()))
    .filter((w) => w >= 10)
    .sort((x, y) => x - y);
  return widths.length >= 5 ? widths[Math.floor(widths.length * 0.9)]! : Infinity;
}
