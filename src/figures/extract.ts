import type { TextDocument } from '../text/document.js';
import { spanIndexAt } from '../text/segment.js';
import { CHINESE_NUMERAL_CLASS, parseChineseNumber, prefixPower } from './chinese-numerals.js';
import { type Dec, parseDec, shift } from './decimal.js';
import { analyseLabel } from './label.js';
import type { Bound, Figure, FigureKind } from './types.js';

const ARABIC = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const CHINESE = `[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾][${CHINESE_NUMERAL_CLASS}]*`;
const NUMBER = `(?<num>${ARABIC}|${CHINESE})`;
const BEFORE = `(?<pre>约|大约|近|将近|超过|逾|不足|不到|不超过|不少于|至少|最多)?`;
const AFTER = `(?<post>以上|以下|以内|左右|之内)?`;
const NOT_IN_NUMBER = String.raw`(?<![\d.A-Za-z])`;

const AMOUNT = new RegExp(
  `${NOT_IN_NUMBER}${BEFORE}${NUMBER}\\s*(?<approx>余|多)?(?<mult>千万|百万|亿|万|千)?(?<approx2>余|多)?\\s*元${AFTER}`,
  'gu',
);
const PERCENT = new RegExp(`${NOT_IN_NUMBER}${BEFORE}(?<num>${ARABIC})\\s*(?<sign>%|‰)${AFTER}`, 'gu');
const PERCENT_WORDS = new RegExp(`百分之(?<num>${ARABIC}|${CHINESE})${AFTER}`, 'gu');
const POINTS = new RegExp(`${NOT_IN_NUMBER}(?<num>${ARABIC}|${CHINESE})\\s*个百分点`, 'gu');
const CLASSIFIERS = '人次|批次|平方公里|平方米|公里|个|项|家|名|人|次|辆|处|所|批|套|台|件|场|篇|期|户|条|张|座|间|份|位|种|类|亩|吨|艘|架|栋|幢|部';
const COUNT = new RegExp(
  `${NOT_IN_NUMBER}${BEFORE}${NUMBER}\\s*(?<approx>余|多)?(?<mult>万|千)?(?<cls>${CLASSIFIERS})${AFTER}`,
  'gu',
);
// "2026预算安排": budget tables and their notes often drop the 年
const YEAR = /(?<![\d.])((?:19|20)\d{2})(?:\s*年(?!代)度?|(?=[预决]算))/gu;

interface RawFigure {
  kind: FigureKind;
  start: number;
  end: number;
  numberStart: number;
  value: Dec;
  decimals: number;
  unit: string;
  power: number;
  bound?: Bound;
  pointChange?: boolean;
  classifier?: string;
}

function parseNumber(literal: string): { value: Dec; decimals: number } | null {
  if (/^[\d,.]+$/.test(literal)) {
    const plain = literal.replace(/,/g, '');
    const value = parseDec(plain);
    return { value, decimals: value.scale };
  }
  // A Chinese numeral that swallowed a trailing multiplier (三千万) is handled by the caller via `mult`.
  const value = parseChineseNumber(literal);
  return value ? { value, decimals: 0 } : null;
}

function boundOf(groups: Record<string, string | undefined>): Bound | undefined {
  const pre = groups.pre;
  const post = groups.post;
  if (post === '以上' || groups.approx || groups.approx2 || pre === '超过' || pre === '逾' || pre === '不少于' || pre === '至少') return 'atLeast';
  if (post === '以下' || post === '以内' || post === '之内' || pre === '不足' || pre === '不到' || pre === '不超过' || pre === '近' || pre === '将近' || pre === '最多') return 'atMost';
  if (pre === '约' || pre === '大约' || post === '左右') return 'approx';
  return undefined;
}

/** Splits a Chinese numeral's trailing 万/亿/千 off into the unit multiplier (十万元 → 10 万元). */
function splitChineseMultiplier(num: string, mult: string | undefined): [string, string] {
  if (mult || /^[\d,.]/.test(num)) return [num, mult ?? ''];
  const m = /^(.*?)((?:千万|百万|万|亿|千)?)$/u.exec(num)!;
  return m[1] && m[2] && parseChineseNumber(m[1]) ? [m[1], m[2]] : [num, ''];
}

function recognise(text: string): RawFigure[] {
  const out: RawFigure[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const g = m.groups!;
    const [num, mult] = splitChineseMultiplier(g.num!, g.mult);
    const parsed = parseNumber(num);
    if (!parsed) continue;
    const numberStart = m.index + (g.pre?.length ?? 0);
    out.push({ kind: 'amount', start: m.index, end: m.index + m[0].length, numberStart, ...parsed,
      unit: `${mult}元`, power: prefixPower(mult), bound: boundOf(g) });
  }
  for (const m of text.matchAll(PERCENT)) {
    const g = m.groups!;
    const parsed = parseNumber(g.num!);
    if (!parsed) continue;
    out.push({ kind: 'percent', start: m.index, end: m.index + m[0].length, numberStart: m.index + (g.pre?.length ?? 0),
      ...parsed, unit: g.sign!, power: 0, bound: boundOf(g) });
  }
  for (const m of text.matchAll(PERCENT_WORDS)) {
    const g = m.groups!;
    const parsed = parseNumber(g.num!);
    if (!parsed) continue;
    out.push({ kind: 'percent', start: m.index, end: m.index + m[0].length, numberStart: m.index, ...parsed, unit: '%', power: 0, bound: boundOf(g) });
  }
  for (const m of text.matchAll(POINTS)) {
    const parsed = parseNumber(m.groups!.num!);
    if (!parsed) continue;
    out.push({ kind: 'percent', start: m.index, end: m.index + m[0].length, numberStart: m.index, ...parsed, unit: '个百分点', power: 0, pointChange: true });
  }
  for (const m of text.matchAll(COUNT)) {
    const g = m.groups!;
    const [num, mult] = splitChineseMultiplier(g.num!, g.mult);
    const parsed = parseNumber(num);
    if (!parsed) continue;
    const power = prefixPower(mult);
    // Counts carry their multiplier in the value: 10万人 is 100000 people.
    out.push({ kind: 'count', start: m.index, end: m.index + m[0].length, numberStart: m.index + (g.pre?.length ?? 0),
      value: shift(parsed.value, power), decimals: parsed.decimals, unit: `${mult}${g.cls}`, power: 0,
      bound: boundOf(g), classifier: g.cls });
  }
  for (const m of text.matchAll(YEAR)) {
    out.push({ kind: 'year', start: m.index, end: m.index + m[0].length, numberStart: m.index, value: parseDec(m[1]!), decimals: 0, unit: '年', power: 0 });
  }
  return resolveOverlaps(out);
}

/** Keeps the longest of overlapping matches (1.2万元 over a count 2万…); ties go to the earlier kind in the list. */
function resolveOverlaps(figures: RawFigure[]): RawFigure[] {
  const sorted = [...figures].sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: RawFigure[] = [];
  for (const f of sorted) {
    const last = kept[kept.length - 1];
    if (last && f.start < last.end) {
      if (f.end - f.start > last.end - last.start) kept[kept.length - 1] = f;
      continue;
    }
    kept.push(f);
  }
  return kept;
}

const NOUN_AFTER_COUNT = /^[\p{Script=Han}]{1,6}?(?=[,;:、。!?\s(]|涉及|共|合计|总|的|分别|具体|包括|$)/u;

const escapeRe = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The original text of a label found inside the normalized span [from, to) (spaces may separate its characters). */
/**
 * The figure as the report prints it: the original characters of its normalized span, without what the
 * normalization removed inside it (a page number between two lines of the figure).
 */
function originalText(doc: TextDocument, start: number, end: number): string {
  const origin = doc.normalized.origin;
  const from = origin[start]!;
  const to = origin[end - 1]! + 1;
  if (to - from === end - start) return doc.original.slice(from, to);
  let text = '';
  for (let i = start; i < end; i++) text += doc.original[origin[i]!] ?? '';
  return text;
}

function originalOf(doc: TextDocument, from: number, to: number, label: string): string {
  if (!label) return '';
  const slice = doc.text.slice(from, to);
  const at = slice.lastIndexOf(label);
  // most labels stand in the text as they are; only a label broken by spaces needs the pattern
  const m = at >= 0 ? { index: at, 0: label } : new RegExp([...label].map(escapeRe).join('\\s*'), 'u').exec(slice);
  if (!m) return label;
  const origin = doc.normalized.origin;
  const start = origin[from + m.index]!;
  const end = origin[from + m.index + m[0].length - 1]! + 1;
  return doc.original.slice(start, end).replace(/\s+/g, '');
}

/** Finds every amount, percentage, count and year in the document, with labels. */
export function extractFigures(doc: TextDocument): Figure[] {
  const text = doc.text;
  const raws = recognise(text);
  const figures: Figure[] = [];
  let previousEndInClause = -1;
  let previousClause = -1;
  for (const raw of raws) {
    // table cells are read as tables (their unit comes from the table's note), not as running text
    if (doc.blocks[spanIndexAt(doc.blocks, raw.start)]?.kind === 'table-cell') continue;
    const clause = spanIndexAt(doc.clauses, raw.start);
    const sentence = spanIndexAt(doc.sentences, raw.start);
    const block = spanIndexAt(doc.blocks, raw.start);
    const clauseStart = doc.clauses[clause]?.start ?? raw.start;
    const labelFrom = clause === previousClause ? Math.max(clauseStart, previousEndInClause) : clauseStart;
    previousClause = clause;
    // a year is part of the next figure's label (比2025年预算4871.55万元: the baseline needs its year)
    if (raw.kind !== 'year') previousEndInClause = raw.end;
    const info = analyseLabel(text.slice(labelFrom, raw.start));
    const shownLabel = originalOf(doc, labelFrom, raw.start, info.label);
    const figure: Figure = {
      id: `f${figures.length + 1}`,
      kind: raw.kind,
      start: raw.start,
      end: raw.end,
      numberStart: raw.numberStart,
      text: originalText(doc, raw.start, raw.end),
      value: raw.value,
      decimals: raw.decimals,
      unit: raw.unit,
      power: raw.power,
      label: info.label,
      shownLabel,
      key: info.key,
      block,
      sentence,
      clause,
    };
    if (raw.kind === 'amount') figure.yuan = shift(raw.value, raw.power);
    if (raw.bound) figure.bound = raw.bound;
    if (raw.pointChange) figure.pointChange = true;
    if (raw.classifier) {
      figure.classifier = raw.classifier;
      const noun = NOUN_AFTER_COUNT.exec(text.slice(raw.end, raw.end + 12))?.[0];
      if (noun) figure.noun = noun;
    }
    if (info.stage) figure.stage = info.stage;
    if (info.labelYear !== undefined) figure.labelYear = info.labelYear;
    if (info.direction) figure.direction = info.direction;
    if (info.baseline) figure.baseline = info.baseline;
    figures.push(figure);
  }
  inheritSubjects(figures);
  pairYearsRespectively(doc, figures);
  attachAliases(doc, figures);
  return figures;
}

const JOINER = /^\s*(?:年度?)?\s*(?:、|和|及|与)\s*$/u;

/**
 * "2022年、2023年支出决算分别为1,216.40万元和1,302.75万元": years listed before 分别 pair, in order, with the amounts
 * listed after it; each amount is that year's level of the one item the sentence names.
 */
function pairYearsRespectively(doc: TextDocument, figures: Figure[]): void {
  for (let i = 0; i < figures.length; i++) {
    const years = [figures[i]!];
    if (years[0]!.kind !== 'year') continue;
    let j = i + 1;
    while (figures[j]?.kind === 'year' && JOINER.test(doc.text.slice(figures[j - 1]!.end, figures[j]!.start))) years.push(figures[j++]!);
    if (years.length < 2) continue;
    const amounts = [figures[j]];
    if (!amounts[0] || amounts[0].kind !== 'amount' || amounts[0].sentence !== years[0]!.sentence) continue;
    if (!/分别\s*(?:为|是)?\s*$/u.test(doc.text.slice(years[years.length - 1]!.end, amounts[0].numberStart))) continue;
    for (let k = j + 1; amounts.length < years.length && figures[k]?.kind === 'amount' && JOINER.test(doc.text.slice(figures[k - 1]!.end, figures[k]!.start)); k++) amounts.push(figures[k]);
    if (amounts.length !== years.length) continue;
    const first = amounts[0];
    amounts.forEach((a, n) => {
      a!.labelYear = Number(years[n]!.value.units);
      a!.key = first.key;
      if (first.stage) a!.stage = first.stage;
    });
    i = j;
  }
}

const WHOLLY = /^全部(?:为|是|属于|系)([^,;:。!?\n]{2,16})/u;

/**
 * "决算为1万元，全部为公务接待费" (or "…1.86万元，完成预算的74.40%，全部为公务接待费"): a clause after an amount,
 * before the next amount of its sentence, that renames all of it.
 */
function attachAliases(doc: TextDocument, figures: Figure[]): void {
  for (const [i, f] of figures.entries()) {
    if (f.kind !== 'amount') continue;
    const nextAmount = figures.slice(i + 1).find((g) => g.kind === 'amount');
    for (let c = f.clause + 1; c < doc.clauses.length; c++) {
      const clause = doc.clauses[c]!;
      if (spanIndexAt(doc.sentences, clause.start) !== f.sentence || (nextAmount && clause.start >= nextAmount.start)) break;
      const m = WHOLLY.exec(doc.text.slice(clause.start, clause.end));
      if (m) {
        f.aliases = [m[1]!];
        break;
      }
    }
  }
}

/**
 * "公务接待费预算为1万元，支出决算为0.53万元，比上年减少0.2万元": the second and third figures name no item
 * of their own; they measure the item named last in the same sentence.
 */
function inheritSubjects(figures: Figure[]): void {
  let subject: Figure | undefined;
  for (const f of figures) {
    if (f.kind !== 'amount') continue;
    if (subject && subject.sentence !== f.sentence) subject = undefined;
    if (f.key) {
      if (!f.direction) subject = f;
    } else if (subject) {
      f.key = subject.key;
    }
  }
}
