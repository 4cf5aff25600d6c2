import type { Term } from './search-text.js';

/** Snippet marks. The web UI HTML-escapes the snippet and then turns these (escaped) tags back into <mark>. */
export const MARK_OPEN = '<mark>';
export const MARK_CLOSE = '</mark>';

/** A snippet around the first occurrence of any term in `text`, every occurrence in it marked. */
export function highlightText(text: string, terms: readonly Term[], width = 80): string | undefined {
  const spans: [number, number][] = [];
  for (const term of terms) {
    for (const m of text.matchAll(term.pattern)) if (m[0]) spans.push([m.index, m.index + m[0].length]);
  }
  if (!spans.length) return undefined;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const start = Math.max(0, spans[0]![0] - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const [s, e] of spans) {
    if (s < at || e > end) continue;
    out += text.slice(at, s) + MARK_OPEN + text.slice(s, e) + MARK_CLOSE;
    at = e;
  }
  out += text.slice(at, end) + (end < text.length ? '…' : '');
  return out.replace(/\s+/g, ' ').trim();
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
export function snippetOf(parts: readonly (string | null)[], terms: readonly Term[]): string {
  const text = parts.filter(Boolean).join('\n');
  return highlightText(text, terms) ?? leadText(text);
}
