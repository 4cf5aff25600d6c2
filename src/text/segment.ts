/** Sentences and clauses over the normalized text, as half-open spans. */
export interface Span {
  start: number;
  end: number;
}

const SENTENCE_END = /[。!?\n]/g;
// A comma between digits followed by exactly three digits is a thousands separator, not a clause break.
const CLAUSE_BREAK = /[;:、。!?\n]|,(?!\d{3}(?!\d))|(?<!\d),/g;

function splitAt(text: string, from: number, to: number, breaks: RegExp): Span[] {
  const spans: Span[] = [];
  let start = from;
  const re = new RegExp(breaks.source, 'g');
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const end = m.index + 1;
    if (text.slice(start, end).trim()) spans.push({ start, end });
    start = end;
  }
  if (start < to && text.slice(start, to).trim()) spans.push({ start, end: to });
  return spans;
}

export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  return splitAt(text, from, to, SENTENCE_END);
}

export function splitClauses(text: string, from = 0, to = text.length): Span[] {
  return splitAt(text, from, to, CLAUSE_BREAK);
}

/** Index of the span containing `offset` (binary search over sorted, non-overlapping spans), or -1. */
export function spanIndexAt(spans: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
