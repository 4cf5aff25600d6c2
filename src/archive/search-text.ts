import { tokenize } from '../text/tokenize.js';

/** Quotes inside names (“三公”经费, “放管服”改革) must not break a word for substring matching. */
const QUOTES = /[“”‘’"'「」『』]/g;
const HAN_GAP = /(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Han characters by code point (a regex per character made indexing three times slower). */
function isHan(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x20000 && c <= 0x323af) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x2e80 && c <= 0x2fdf) ||
    c === 0x3005 ||
    c === 0x3007 ||
    (c >= 0x3021 && c <= 0x3029) ||
    (c >= 0x3038 && c <= 0x303b)
  );
}

const isWordChar = (ch: string, c: number) => (c < 0x80 ? /[0-9a-z]/.test(ch) : LETTER_OR_DIGIT.test(ch));

/** Runs of Han characters (as arrays of characters), and runs of other letters and digits, of plainForm text. */
function* runs(text: string): Generator<{ han: true; chars: string[] } | { han: false; text: string }> {
  let han: string[] = [];
  let other = '';
  for (const ch of plainForm(text)) {
    const c = ch.codePointAt(0)!;
    if (isHan(c)) {
      if (other) yield { han: false, text: other };
      other = '';
      han.push(ch);
    } else {
      if (han.length) yield { han: true, chars: han };
      han = [];
      if (isWordChar(ch, c)) other += ch;
      else if (other) {
        yield { han: false, text: other };
        other = '';
      }
    }
  }
  if (han.length) yield { han: true, chars: han };
  if (other) yield { han: false, text: other };
}

/** Text as the bigrams see it: no quotes, no line breaks inside Chinese, lowercase. */
export function plainForm(text: string): string {
  return text.replace(QUOTES, '').replace(HAN_GAP, '').toLowerCase();
}

/**
 * The jieba words of a text joined by spaces: what FTS5's unicode61 tokenizer and PostgreSQL's 'simple'
 * configuration index, so that both see the words the checker's segmenter (with its finance dictionary) sees.
 */
export function segmentWords(text: string): string {
  return tokenize(text).join(' ');
}

/**
 * Index side of substring matching: every Han character bigram, plus each Han run's last character (so that a
 * one-character query finds it as a prefix), and other letter/digit runs whole — so that a word is found
 * whatever jieba made of it in context.
 */
export function indexGrams(text: string): string {
  const out: string[] = [];
  for (const run of runs(text)) {
    if (!run.han) {
      out.push(run.text);
      continue;
    }
    const { chars } = run;
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
  /** For highlighting in the original text: the word's characters, quotes and line breaks allowed between. */
  pattern: RegExp;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function queryGrams(word: string): Gram[] {
  const out: Gram[] = [];
  for (const run of runs(word)) {
    if (!run.han) {
      out.push({ text: run.text, prefix: false });
      continue;
    }
    const { chars } = run;
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
    const gap = `[“”‘’"'「」『』\\s]*`;
    return [{ tokens: tokenize(word), grams, pattern: new RegExp(chars.map(escapeRegExp).join(gap), 'giu') }];
  });
}
