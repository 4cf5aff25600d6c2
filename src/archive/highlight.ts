import { plainForm, ZWSP, type Term } from './search-text.js';

/** Snippet marks. The web UI HTML-escapes the snippet and then turns these (escaped) tags back into <mark>. */
export const MARK_OPEN = '<mark>';
export const MARK_CLOSE = '</mark>';

/** Database snippets come from word-segmented text: drop the ZWSPs and join marks of adjacent words. */
export function cleanSnippet(snippet: string): string {
  return snippet
    .replace(new RegExp(`${MARK_CLOSE}${ZWSP}*${MARK_OPEN}`, 'g'), '')
    .replaceAll(ZWSP, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const MARKED = new RegExp(`${MARK_OPEN}(.*?)${MARK_CLOSE}`, 'g');

/**
 * Whether a database snippet marks a whole query word. ts_headline marks every query lexeme it sees, so for
 * 预防控制 it may mark a lone 预防 in a text that matched only through the bigram fallback.
 */
export function marksATerm(snippet: string, terms: readonly Term[]): boolean {
  for (const m of snippet.matchAll(MARKED)) if (terms.some((t) => plainForm(m[1]!) === t.plain)) return true;
  return false;
}

/**
 * A snippet around the first occurrence of any term in `text`, every occurrence in it marked. Used when the
 * database's own snippet has nothing to mark: the match came from the bigram fallback, not from jieba words.
 */
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
