import { tokenize } from '../text/tokenize.js';

/**
 * Marks word boundaries in indexed text. Both FTS5's unicode61 tokenizer and PostgreSQL's default parser treat
 * U+200B as a separator, so text with a ZWSP between jieba words indexes as those words, while the stored
 * column still reads as the original (punctuation and all) for snippet() and ts_headline once ZWSP is removed.
 */
export const ZWSP = '\u200b';

/** Quotes inside names (“三公”经费, “放管服”改革) must not break a word for substring matching. */
const QUOTES = /[“”‘’"'「」『』]/g;
const HAN_GAP = /(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu;
/** Han runs, and runs of other letters/digits. */
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

/** The text a word must occur in, for the bigram fallback: no quotes, no line breaks inside Chinese, lowercase. */
export function plainForm(text: string): string {
  return text.replace(QUOTES, '').replace(HAN_GAP, '').toLowerCase();
}

/** The text with a ZWSP before every jieba word (see ZWSP). */
export function segmentWords(text: string): string {
  const clean = text.replaceAll(ZWSP, '');
  let out = '';
  let at = 0;
  for (const token of tokenize(clean)) {
    const i = clean.indexOf(token, at);
    if (i < 0) continue;
    out += clean.slice(at, i) + ZWSP + token;
    at = i + token.length;
  }
  return out + clean.slice(at);
}

/**
 * Index side of the fallback: every Han character bigram, plus each Han run's last character (so a one-character
 * query finds it as a prefix), and other letter/digit runs whole — the words jieba cut otherwise are still found.
 */
export function indexGrams(text: string): string {
  const out: string[] = [];
  for (const m of plainForm(text).matchAll(RUNS)) {
    const han = m[1];
    if (!han) {
      out.push(m[2]!);
      continue;
    }
    const chars = [...han];
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    out.push(chars[chars.length - 1]!);
  }
  return out.join(' ');
}

export interface Gram {
  text: string;
  /** A lone Han character: matches any bigram starting with it. */
  prefix: boolean;
}

/** One whitespace-separated word of a query. */
export interface Term {
  /** jieba words, as the index saw them. */
  tokens: string[];
  /** Consecutive grams: the word as a substring. */
  grams: Gram[];
  /** plainForm of the word, for substring checks. */
  plain: string;
  /** For highlighting in the original text: the word's characters, quotes and line breaks allowed between. */
  pattern: RegExp;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function queryGrams(word: string): Gram[] {
  const out: Gram[] = [];
  for (const m of plainForm(word).matchAll(RUNS)) {
    const han = m[1];
    if (!han) {
      out.push({ text: m[2]!, prefix: false });
      continue;
    }
    const chars = [...han];
    if (chars.length === 1) out.push({ text: chars[0]!, prefix: true });
    for (let i = 0; i + 1 < chars.length; i++) out.push({ text: chars[i]! + chars[i + 1]!, prefix: false });
  }
  return out;
}

/** The words of a query; words with nothing searchable (punctuation only) are dropped. */
export function parseTerms(query: string): Term[] {
  const words = [...new Set(query.split(/\s+/).filter(Boolean))];
  return words.flatMap((word) => {
    const grams = queryGrams(word);
    if (!grams.length) return [];
    const chars = [...word.replace(QUOTES, '')];
    const gap = `[“”‘’"'「」『』\\s${ZWSP}]*`;
    return [{ tokens: tokenize(word), grams, plain: plainForm(word), pattern: new RegExp(chars.map(escapeRegExp).join(gap), 'giu') }];
  });
}
