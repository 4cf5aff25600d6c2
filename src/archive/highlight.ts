import type { Term } from './search-text.js';

/**
 * A search hit's snippet: plain text, and where its matches are as [start, end) offsets into it (UTF-16 code
 * units, as JavaScript strings index). Offsets rather than markup, so that a `<mark>` written in a report stays
 * text wherever the snippet is shown.
 */
export interface Snippet {
  text: string;
  marks: [number, number][];
}

/** The snippet's text with each match between `open` and `close` (for a terminal; a page builds nodes instead). */
export function withMarks({ text, marks }: Snippet, open: string, close: string): string {
  let out = '';
  let at = 0;
  for (const [start, end] of marks) {
    out += `${text.slice(at, start)}${open}${text.slice(start, end)}${close}`;
    at = end;
  }
  return out + text.slice(at);
}

/**
 * `pieces` joined with every run of whitespace made one space and the ends trimmed, the marked pieces' offsets
 * carried over into the result.
 */
function flatten(pieces: readonly { text: string; marked: boolean }[]): Snippet {
  let text = '';
  const marks: [number, number][] = [];
  for (const piece of pieces) {
    let flat = piece.text.replace(/\s+/g, ' ');
    if (flat.startsWith(' ') && (text === '' || text.endsWith(' '))) flat = flat.slice(1);
    if (piece.marked && flat) marks.push([text.length, text.length + flat.length]);
    text += flat;
  }
  if (text.endsWith(' ')) text = text.slice(0, -1);
  return { text, marks: marks.map(([s, e]) => [s, Math.min(e, text.length)]) };
}

/** A snippet around the first occurrence of any term in `text`, every occurrence in it marked. */
export function highlightText(text: string, terms: readonly Term[], width = 80): Snippet | undefined {
  const spans: [number, number][] = [];
  for (const term of terms) {
    for (const m of text.matchAll(term.pattern)) if (m[0]) spans.push([m.index, m.index + m[0].length]);
  }
  if (!spans.length) return undefined;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const start = Math.max(0, spans[0]![0] - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  const pieces = [{ text: start > 0 ? '…' : '', marked: false }];
  let at = start;
  for (const [s, e] of spans) {
    if (s < at || e > end) continue;
    pieces.push({ text: text.slice(at, s), marked: false }, { text: text.slice(s, e), marked: true });
    at = e;
  }
  pieces.push({ text: text.slice(at, end) + (end < text.length ? '…' : ''), marked: false });
  return flatten(pieces);
}

/** The opening of a document, when nothing in it can be marked. */
export function leadText(text: string, width = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width)}…` : flat;
}

/**
 * The snippet of a search hit, the same on both backends: the matched words marked in the original text (quotes
 * and line breaks inside a word allowed), or its opening when a match cannot be shown literally (a jieba phrase
 * across punctuation). FTS5's snippet() would re-run the whole MATCH for the page's rows (about 10 ms at 10,000
 * reports) and ts_headline costs about 1 ms per document; marking the page's texts here takes microseconds.
 */
export function snippetOf(parts: readonly (string | null)[], terms: readonly Term[]): Snippet {
  const text = parts.filter(Boolean).join('\n');
  return highlightText(text, terms) ?? { text: leadText(text), marks: [] };
}
