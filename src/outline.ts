/**
 * What an outline marker is: the one heading heuristic of the readers, the text layer and the checks. Chinese
 * official documents number their sections 一、 （一） 第一章/第一节/第一部分 and their items 1、 1. (1) ①. The
 * readers see raw lines and the checks width-folded text, so every marker accepts both widths.
 */

const NUMERALS = '一二三四五六七八九十百零〇';

/** Section markers (一、 （一） 第一章 第二部分 第三篇); with `dotted`, also 一. and 一．. */
const section = (dotted: boolean): string =>
  `[${NUMERALS}]+${dotted ? '[、.．]' : '、'}|[（(][${NUMERALS}]+[）)]|第[${NUMERALS}\\d]+[章节部分篇]`;

/**
 * Item markers below the sections: 1、 1. (1) ① (and 第一条). `1.` must not be followed by a digit, or `1.5万元` at
 * the start of a wrapped line would count.
 */
const ITEM = `\\d{1,2}\\s*(?:、|[.．](?!\\d))|[（(]\\d{1,2}[）)]|[\\u2460-\\u2473]|第[${NUMERALS}]+条`;

const OPENS_SECTION = new RegExp(`^\\s*(?:${section(true)})`);
const OPENS_UNDOTTED_SECTION = new RegExp(`^\\s*(?:${section(false)})`);
const OPENS_ITEM = new RegExp(`^\\s*(?:${section(true)}|${ITEM})`);
const OPENS_UNDOTTED_ITEM = new RegExp(`^\\s*(?:${section(false)}|${ITEM})`);

export interface MarkerOptions {
  /**
   * Whether 一. counts like 一、 (default true). The TXT and PDF readers say no: a raw line opening 一. is as often
   * a wrapped sentence as a heading, and they decide block boundaries on it.
   */
  dotted?: boolean;
}

/** The line opens with a section marker: 一、基本情况, （二）绩效目标, 第三部分. */
export function opensSection(line: string, { dotted = true }: MarkerOptions = {}): boolean {
  return (dotted ? OPENS_SECTION : OPENS_UNDOTTED_SECTION).test(line);
}

/** The line opens a new section or item: a section marker, or 1、 1. (1) ① 第一条. */
export function opensItem(line: string, { dotted = true }: MarkerOptions = {}): boolean {
  return (dotted ? OPENS_ITEM : OPENS_UNDOTTED_ITEM).test(line);
}

/** The longest text the checks still take for a heading: a section marker on a paragraph is prose. */
export const MAX_HEADING_TEXT = 60;

/** A heading by its text, whatever the reader called its block: a section marker on a short line. */
export function isHeading(text: string, maxChars = MAX_HEADING_TEXT): boolean {
  return opensSection(text) && text.length <= maxChars;
}

const CHAPTER = new RegExp(`^\\s*(?:[${NUMERALS}]+[、.．]|第[${NUMERALS}\\d]+[章部分篇])`);
const SUBSECTION = new RegExp(`^\\s*(?:[（(][${NUMERALS}]+[）)]|第[${NUMERALS}\\d]+节)`);

/**
 * A heading's depth by its marker: 1 for 一、 and 第一章/第一部分, 2 for （一） and 第一节; undefined for a line that
 * is no heading (isHeading's rule: a section marker on a short line).
 */
export function headingLevel(text: string, maxChars = MAX_HEADING_TEXT): 1 | 2 | undefined {
  if (!isHeading(text.trim(), maxChars)) return undefined;
  if (CHAPTER.test(text)) return 1;
  return SUBSECTION.test(text) ? 2 : undefined;
}

/** The heading lines of a text, by line index, with their depth: what a viewer styles as h1/h2. */
export function headingLines(text: string): { line: number; level: 1 | 2 }[] {
  return text.split('\n').flatMap((line, index) => {
    const level = headingLevel(line);
    return level ? [{ line: index, level }] : [];
  });
}
