/**
 * Line-shape heuristics shared by the TXT and PDF readers. These formats have no styles, so headings and
 * paragraph ends must be guessed from how Chinese official documents number and punctuate their lines.
 */

const CN_NUM = '一二三四五六七八九十百零〇';

/**
 * Top-level outline markers that official documents use for headings:
 * `一、` `（一）`/`(一)` `第一章`/`第一节`/`第一部分`.
 */
const OUTLINE_HEADING = new RegExp(
  `^\\s*(?:[${CN_NUM}]+、|[（(][${CN_NUM}]+[）)]|第[${CN_NUM}\\d]+[章节部分篇])`,
);

/**
 * Everything that starts a new item, including the lower levels `1、` `1.` `1．` `(1)` `（1）` `①` which are
 * often list items rather than headings. `1.` must not be followed by a digit, or `1.5万元` at the start of a
 * wrapped line would count.
 */
const ITEM_START = new RegExp(
  `${OUTLINE_HEADING.source}|^\\s*(?:\\d{1,2}[、]|\\d{1,2}[.．](?!\\d)|[（(]\\d{1,2}[）)]|[\\u2460-\\u2473])`,
);

/** Sentence-final punctuation, optionally followed by closing quotes/brackets. */
const SENTENCE_END = /[。！？；：!?;][”’」』）)]*\s*$/;

/** Longest line (in characters) that we still treat as a possible heading. */
export const MAX_HEADING_CHARS = 50;

export function startsLikeOutlineHeading(line: string): boolean {
  return OUTLINE_HEADING.test(line);
}

export function startsNewItem(line: string): boolean {
  return ITEM_START.test(line);
}

export function endsSentence(line: string): boolean {
  return SENTENCE_END.test(line);
}

/** A short line that does not end with 。 (headings in these reports never do). */
export function isHeadingShaped(line: string): boolean {
  const text = line.trim();
  return text.length > 0 && text.length <= MAX_HEADING_CHARS && !/[。.]$/.test(text);
}

/** Outline-numbered and heading-shaped: `一、基本情况`, `（二）绩效目标`, but not `一、……。` prose. */
export function isOutlineHeading(line: string): boolean {
  return startsLikeOutlineHeading(line) && isHeadingShaped(line);
}
