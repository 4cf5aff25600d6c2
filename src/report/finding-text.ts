/**
 * A finding's words as a reviewer reads them. The rules build messages from the figures as printed and from the
 * numbers they work out, so one message can mix the document's "64,840,547.00" with a computed "129681094.00",
 * and a PDF cell's text can carry its tab ("307.82 \t万元"). Only the presentation changes here: the fingerprint
 * is made from the rule, the message id and the quote without its white space, never from these words.
 */

const GROUPED = /\d{1,3}(?:,\d{3})+(?:\.\d+)?/;

/** Source white space (tabs, line breaks) as one space; none between a number and its unit. */
export function oneLine(text: string): string {
  return text
    .replace(/[\t\r\n\u00a0\u3000]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/(\d) (?=[万亿千百]?元|%)/g, '$1');
}

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * "129681094.00" → "129,681,094.00": amounts with four or more integer digits that carry decimals, or that stand
 * in a calculation (whose every number is an amount or a rate). A bare integer in the prose is left as it is: it
 * may be a year (2024年) or a subject code (科目20406).
 */
function grouped(text: string, everyNumber: boolean): string {
  return text.replace(/(?<![\d,.])(\d{4,})(\.\d+)?(?![\d,])/g, (all, int: string, frac: string | undefined) =>
    frac !== undefined || everyNumber ? `${group(int)}${frac ?? ''}` : all,
  );
}

/** A message's calculation comes after its last colon ("…不一致：9 + 30 = 39"). */
const CALCULATION_TAIL = /^(.*：)([^：]*[=≠÷+−>] [^：]*)$/s;

/**
 * The message and the calculation of one finding, in one way of writing numbers: grouped in thousands when the
 * document writes them so (the message quotes a grouped figure), as they are otherwise.
 */
export function findingText(message: string, calculation: string | undefined): { message: string; calculation?: string } {
  const m = oneLine(message);
  const c = calculation === undefined ? undefined : oneLine(calculation);
  const out = (message: string, calculation: string | undefined) => (calculation === undefined ? { message } : { message, calculation });
  if (!GROUPED.test(m) && !(c && GROUPED.test(c))) return out(m, c);
  const tail = CALCULATION_TAIL.exec(m);
  const prose = tail ? `${grouped(tail[1]!, false)}${grouped(tail[2]!, true)}` : grouped(m, false);
  return out(prose, c === undefined ? undefined : grouped(c, true));
}
