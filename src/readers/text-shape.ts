/**
 * Line-shape heuristics shared by the TXT and PDF readers. These formats have no styles, so headings and
 * paragraph ends must be guessed from how Chinese official documents number and punctuate their lines.
 */

import { opensItem, opensSection } from '../outline.js';

/** Sentence-final punctuation, optionally followed by closing quotes/brackets. */
const SENTENCE_END = /[。！？；：!?;][”’」』）)]*\s*$/;

/** Longest line (in characters) that we still treat as a possible heading. */
export const MAX_HEADING_CHARS = 50;

/** Raw lines opening 一. are left to the wrapped-line joining: see MarkerOptions.dotted. */
export function startsLikeOutlineHeading(line: string): boolean {
  return opensSection(line, { dotted: false });
}

/** Everything that starts a new item, including the lower levels 1、 (1) ① that are often list items. */
export function startsNewItem(line: string): boolean {
  return opensItem(line, { dotted: false });
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
