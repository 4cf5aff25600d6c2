import type { Block } from '../readers/types.js';

const ENDS_SENTENCE = /[。！？；：!?;:…」』”"]\s*$|[。！？!?]["”’」』)）]?\s*$/;
const OPENS_ITEM = /^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}\s*[、.．](?!\d)|第[一二三四五六七八九十]+[章节条部分]|[①-⑳])/;
const INNER_PUNCTUATION = /[，,、；;：:（(]/;
const CONTINUES = /^\s*(?:[，,。、；;：:）)%％]|万?元|\d)/;

/**
 * Whether `next` continues the paragraph `prev` that a hard line wrap cut off: "…支出减" / "少929.49万元，…".
 * Reports converted from PDF, or typed with manual line breaks, arrive as one block per visual line; checks need
 * whole sentences. Short lines without inner punctuation (titles, captions) stay on their own.
 */
export function continuesParagraph(prev: Block, next: Block): boolean {
  if (prev.kind === 'heading' || next.kind === 'heading') return false;
  if (prev.kind === 'table-cell' || next.kind === 'table-cell') return false;
  if (prev.page !== undefined && next.page !== undefined && next.page < prev.page) return false;
  const a = prev.text.trimEnd();
  const b = next.text;
  if (!a || !b.trim() || ENDS_SENTENCE.test(a) || OPENS_ITEM.test(b)) return false;
  return INNER_PUNCTUATION.test(a) || a.length >= 40 || CONTINUES.test(b);
}
