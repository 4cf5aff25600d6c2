import { dec, eq, le } from '../figures/decimal.js';
import { isHeading } from '../outline.js';
import type { Figure } from '../figures/types.js';
import { analyseLabel } from '../figures/label.js';
import { spanIndexAt } from '../text/segment.js';
import { type DocumentFacts, isChangeAmount, isLevelAmount, listItemNumber, numberStyle } from './context.js';
import { intersects, intervalOf, type Reading, sumIntervals } from './interval.js';
import { insideParentheses, isPriorLevel } from './operands.js';
import { labelSimilarity, SAME_ITEM_SIMILARITY } from './similarity.js';
import { compiled } from './regex.js';

export type Relation = 'equal' | 'atMost' | 'auto';

export interface Introducer {
  /** A RegExp source; a named group `label` (as in `(?<label>…)中,`) names the total instead of position. */
  pattern: string;
  relation: Relation;
}

/** A stated total and the parts a report lists for it ("合计X，其中：A，B，C"). */
export interface Breakdown {
  introducerText: string;
  relation: 'equal' | 'atMost';
  total: Figure;
  parts: Figure[];
  /** Level totals: the change stated for the total and for each part (比上年减少…), where stated. */
  totalChange?: Figure;
  partChanges: (Figure | undefined)[];
  /** The total is itself a change (比上年减少0.41万元，其中：…增加0.05万元…); parts are signed changes. */
  ofChanges: boolean;
  /** The total was found by the item the introducer names (“三公”经费支出中，…), not by its position: a pairing. */
  totalByLabel?: boolean;
  /**
   * The parts' own stated shares add up to more than 100 %: they overlap (中小企业 and the 小微企业 among them) or a
   * share is wrong (the share rules say which). Their sum is no evidence against the total.
   */
  overlapping?: boolean;
}

/** Budget stages add up among themselves (全年预算 = 年初预算 + 年中追加预算), and so do final figures. */
const stageFamily = (f: Figure): string | undefined => (f.stage?.startsWith('budget') ? 'budget' : f.stage);

const compatibleStage = (total: Figure, part: Figure): boolean =>
  !total.stage || !part.stage || stageFamily(total) === stageFamily(part);

/**
 * What can be added to what: amounts with amounts, 平方米 with 平方米, people with people. Counts of things in
 * several overlapping categories (其中：男20人，党员12人) do not add up; measures (areas, lengths) do.
 */
function family(f: Figure): string | undefined {
  if (f.kind === 'amount') return 'amount';
  if (f.kind !== 'count' || !f.classifier) return undefined;
  if (/平方米|平方公里|公里|亩|吨/.test(f.classifier)) return `measure:${f.classifier}`;
  return `count:${f.classifier === '名' ? '人' : f.classifier}`;
}

const isQuantity = (f: Figure): boolean => family(f) !== undefined;
const isLevel = (f: Figure): boolean => isQuantity(f) && !f.direction && !f.baseline;

/** Parenthesis depth of `offset` relative to `from` (a nested "（其中…）" list belongs to its own total). */
function depthBetween(text: string, from: number, offset: number): number {
  let depth = 0;
  for (let i = from; i < offset; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
  }
  return depth;
}

/** Where a region opened inside parentheses ends: at the ")" that closes them. */
export function closingParen(text: string, from: number, end: number): number {
  let depth = 0;
  for (let i = from; i < end; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth < 0) return i;
  }
  return end;
}

/** The nearest earlier level amount whose label names the same item as `labelText` ("…支出决算中"). */
function totalByLabel(facts: DocumentFacts, labelText: string, before: number): Figure | undefined {
  const wanted = analyseLabel(labelText);
  if (!wanted.key) return undefined;
  for (let i = facts.figures.length - 1; i >= 0; i--) {
    const f = facts.figures[i]!;
    if (f.start >= before || !isLevelAmount(f)) continue;
    if (wanted.stage && f.stage && wanted.stage !== f.stage) continue;
    if (labelSimilarity(wanted.key, f.key) >= SAME_ITEM_SIMILARITY) return f;
  }
  return undefined;
}

/** Parts after the introducer up to `end`, with each part's change figure (the first change before the next part). */
function partsIn(facts: DocumentFacts, total: Figure, ofChanges: boolean, from: number, end: number) {
  const parts: Figure[] = [];
  const partChanges: (Figure | undefined)[] = [];
  const text = facts.doc.text;
  const stop = closingParen(text, from, end);
  const kind = family(total);
  for (const f of facts.figures) {
    if (f.start < from || f.start >= stop || family(f) !== kind || depthBetween(text, from, f.start) > 0) continue;
    if (f.bound === 'atLeast' || f.bound === 'atMost') continue; // 单价100万元以上: a threshold, not an item
    if (ofChanges) {
      if (f.direction) parts.push(f);
    } else if (isLevel(f)) {
      if (!compatibleStage(total, f)) continue;
      parts.push(f);
      partChanges.push(undefined);
    } else if (f.direction && parts.length && partChanges[partChanges.length - 1] === undefined) {
      // the part's change (增加271.62万元), not last year's level its comparison quotes (比上年5,512.36万元)
      partChanges[partChanges.length - 1] = f;
    }
  }
  return { parts, partChanges };
}

type PartList = { parts: Figure[]; partChanges: (Figure | undefined)[] };

const keepParts = (list: PartList, keep: (p: Figure, i: number) => boolean): PartList => ({
  parts: list.parts.filter(keep),
  partChanges: list.partChanges.filter((_, i) => keep(list.parts[i]!, i)),
});

/**
 * "免费开放补助资金共计120.00万元，中央补助80.00万元、市级补助25.00万元、区级配套15.00万元；群众文化活动经费…": a
 * part stated as 共计/合计/小计 that the run of parts after it adds up to is a subtotal; the run details it.
 */
function withoutSubtotalRuns(facts: DocumentFacts, list: PartList): PartList {
  const { parts } = list;
  const inner = new Set<number>();
  for (let i = 0; i < parts.length - 2; i++) {
    const head = parts[i]!;
    if (!/(?:共计|合计|小计|总计)\s*$/.test(facts.doc.text.slice(Math.max(0, head.start - 4), head.numberStart))) continue;
    for (let j = i + 2; j < parts.length; j++) {
      if (!levelSumMeets(facts, head, parts.slice(i + 1, j + 1))) continue;
      for (let k = i + 1; k <= j; k++) inner.add(k);
      i = j;
      break;
    }
  }
  return inner.size ? keepParts(list, (_, i) => !inner.has(i)) : list;
}

/**
 * Where a list's items are joined by "，" or "、", a "；" ends it: what follows is the next item of an enclosing list
 * ("教育支出（类）…，其中：A，B，C；社会保障和就业支出（类）…") or another matter ("…通用设备829.40万元；学校无公务用车…").
 * Items that are themselves separated by "；" run to the end of the sentence.
 */
function endOfCommaList(text: string, list: PartList, end: number): PartList {
  const [first, second] = list.parts;
  if (!first || !second || text.slice(first.end, second.start).includes(';')) return list;
  const semicolon = text.indexOf(';', second.start);
  return semicolon >= 0 && semicolon < end ? keepParts(list, (p) => p.start < semicolon) : list;
}

/**
 * "其中授予中小企业196.56万元，占90.00%；授予小微企业152.30万元，占69.73%": parts whose own shares of the total add
 * up to more than 100 % overlap (小微企业 are among the 中小企业); they are not a breakdown.
 */
function overlappingShares(facts: DocumentFacts, parts: readonly Figure[], end: number): boolean {
  const shares = parts.map((p) => attachedShare(facts, p, end));
  if (shares.length < 2 || shares.some((s) => !s)) return false;
  // stated shares over 100 % say the parts are not a partition: they overlap, or a share is itself wrong (the share
  // rules say which); either way their sum is no evidence against the total
  const least = sumIntervals(shares.map((s) => intervalOf(s!, 'printed', facts.precision))).lo;
  return least !== null && !le(least, dec(100));
}

/** The share stated for a part right after it ("196.56万元，占90.00%"): before any other amount or percentage. */
function attachedShare(facts: DocumentFacts, part: Figure, end: number): Figure | undefined {
  const next = facts.figures.find((f) => f.start > part.end && f.start < end && (f.kind === 'amount' || f.kind === 'percent'));
  if (!next || next.kind !== 'percent' || next.unit !== '%' || next.direction) return undefined;
  return /^\s*,?\s*(?:分别)?占[\p{Script=Han}“”"]{0,20}?\s*$/u.test(facts.doc.text.slice(part.end, next.numberStart)) ? next : undefined;
}

/** "其中：" closing a block: the parts are the leading amounts of the blocks that follow, one item each. */
function partsInFollowingBlocks(facts: DocumentFacts, total: Figure, fromBlock: number) {
  const parts: Figure[] = [];
  const partChanges: (Figure | undefined)[] = [];
  for (let b = fromBlock + 1; b < facts.doc.blocks.length; b++) {
    const span = facts.doc.blocks[b]!;
    const text = facts.doc.text.slice(span.start, span.end);
    if (isHeading(text) || listItemNumber(text) !== null) break;
    const first = (facts.byBlock.get(b) ?? []).find((f) => f.kind === 'amount');
    const firstClause = facts.doc.clauses[spanIndexAt(facts.doc.clauses, span.start)];
    if (!first || !isLevelAmount(first) || !firstClause || first.start >= firstClause.end) break;
    if (!compatibleStage(total, first)) break;
    parts.push(first);
    partChanges.push(undefined);
  }
  return { parts, partChanges };
}

/**
 * "财政拨款支出主要内容如下：" closing a block, then "1.“…（项）”1,623.18万元，主要用于…", "2.…": the parts are the
 * items' own amounts (the first current level in each item). Only items of the first item's numbering style are
 * parts — a differently numbered sub-list details its own item — and an item printed twice with the same number
 * and text (a page reprinted at a break) counts once. A list whose numbers do not run 1, 2, 3… or an item without
 * an amount leaves the list unassessed (no parts).
 */
function numberedItemParts(facts: DocumentFacts, total: Figure, fromBlock: number) {
  const parts: Figure[] = [];
  const printed = new Set<string>();
  const { blocks, text } = facts.doc;
  const style = numberStyle(text.slice(blocks[fromBlock + 1]?.start ?? 0, blocks[fromBlock + 1]?.end ?? 0));
  let expected = 1;
  for (let b = fromBlock + 1; b < blocks.length; b++) {
    const blockText = text.slice(blocks[b]!.start, blocks[b]!.end);
    const n = listItemNumber(blockText);
    if (n === null || numberStyle(blockText) !== style) {
      if (n !== null || !isHeading(blockText)) continue; // a sub-list's item, or an item's second paragraph
      break;
    }
    if (printed.has(blockText.trim())) continue;
    if (n !== expected) return n === 1 ? parts : [];
    const amount = (facts.byBlock.get(b) ?? []).find((f) => isLevelAmount(f) && !f.baseline && compatibleStage(total, f) && (facts.fiscalYear === undefined || f.labelYear === undefined || f.labelYear === facts.fiscalYear));
    if (!amount) return [];
    printed.add(blockText.trim());
    parts.push(amount);
    expected++;
  }
  return parts;
}

/** The 功能分类 level a label names its item at: (类) 1, (款) 2, (项) 3 — the outermost one it names. */
function subjectLevel(label: string): number | undefined {
  const m = /\((类|款|项)\)/u.exec(label);
  return m ? '类款项'.indexOf(m[1]!) + 1 : undefined;
}

function levelSumMeets(facts: DocumentFacts, total: Figure, parts: readonly Figure[]): boolean {
  const computed = sumIntervals(parts.map((p) => intervalOf(p, 'effective', facts.precision)));
  return intersects(intervalOf(total, 'effective', facts.precision), computed);
}

/** The change a sentence states right after a level figure ("…328,661万元，比上年增加115,649万元"). */
function changeStatedFor(facts: DocumentFacts, level: Figure): Figure | undefined {
  if (!isLevelAmount(level)) return undefined;
  const rest = (facts.bySentence.get(level.sentence) ?? []).filter((f) => f.kind === 'amount' && f.start > level.start);
  const next = rest[0];
  return next && isChangeAmount(next) ? next : undefined;
}

/**
 * "公务用车费7.39万元，预算10.00万元，完成预算的73.90%。其中：…": the sentence before the list states several
 * levels. The total is the one the listed parts add up to; failing that, the last one at a stage the parts can
 * share (a list of spending does not break down a budget), else the last one.
 */
function chooseLevelTotal(facts: DocumentFacts, candidates: readonly Figure[], after: number, end: number): Figure | undefined {
  const sentence = facts.doc.sentences[spanIndexAt(facts.doc.sentences, after)];
  const stop = sentence && sentence.end > after ? Math.min(sentence.end, end) : end;
  const only = candidates.length === 1 ? candidates[0]! : undefined;
  // "2024年“三公”经费实际支出23.33万元（决算数）。其中：…" in the 2025 budget: a list after last year's level breaks it
  // down only when its parts add up to it; else the list goes on about this year's money stated earlier
  if (only && isPriorLevel(only, facts.fiscalYear)) {
    const { parts } = partsIn(facts, only, false, after, stop);
    return parts.length >= 2 && levelSumMeets(facts, only, parts) ? only : undefined;
  }
  if (candidates.length <= 1) return candidates[0];
  for (let i = candidates.length - 1; i >= 0; i--) {
    const c = candidates[i]!;
    const { parts } = partsIn(facts, c, false, after, stop);
    if (parts.length >= 2 && levelSumMeets(facts, c, parts)) return c;
  }
  // last year's level, stated beside this year's ("增幅4.67%（上年为8,102,455.20元）。其中：…"), an aside in
  // parentheses (（约848.09万元，不含…124,000.00元）) or an approximation is no list's total
  const current = candidates.filter((c) => !isPriorLevel(c, facts.fiscalYear) && !insideParentheses(facts, c) && !c.bound);
  if (!current.length) return undefined;
  return [...current].reverse().find((c) => stageFamily(c) !== 'budget') ?? current[current.length - 1];
}

/** After a one-item list, another named item of the same kind later in the paragraph: the list runs on. */
function listMayContinue(facts: DocumentFacts, part: Figure, from: number, end: number): boolean {
  return facts.figures.some((f) => f.start >= from && f.start < end && isLevel(f) && family(f) === family(part) && f.key !== '' && f.key !== part.key);
}

/**
 * A part with its own list ("公务用车购置及运行维护费12.40万元，其中：购置费8.00万元，运行维护费4.40万元；公务接待费…"):
 * the sub-list's items break down that part, not the total, so they are taken out of the outer list. A sub-list ends
 * at the ";" that separates the outer items; where none does, it is the run of items that adds up to its parent,
 * and when no run does the structure is unclear and the outer list is not assessed (undefined).
 */
function withoutSubLists(
  facts: DocumentFacts,
  list: { parts: Figure[]; partChanges: (Figure | undefined)[] },
  from: number,
  end: number,
  nested: RegExp,
): { parts: Figure[]; partChanges: (Figure | undefined)[] } | undefined {
  const text = facts.doc.text;
  const { parts } = list;
  const inner = new Set<number>();
  for (const m of text.slice(from, end).matchAll(nested)) {
    const at = from + m.index;
    if (depthBetween(text, from, at) > 0) continue; // a parenthesised sub-list is never read as the outer's parts
    let parent = -1;
    parts.forEach((p, i) => {
      if (p.start < at) parent = i;
    });
    if (parent < 0) continue;
    const semicolon = text.indexOf(';', at);
    const closed = semicolon >= 0 && semicolon < end;
    const items = parts.map((_, i) => i).filter((i) => parts[i]!.start > at && (!closed || parts[i]!.start < semicolon));
    if (closed) {
      items.forEach((i) => inner.add(i));
      continue;
    }
    const run: number[] = [];
    const adds = items.some((i) => {
      run.push(i);
      return run.length >= 1 && levelSumMeets(facts, parts[parent]!, run.map((j) => parts[j]!));
    });
    if (!adds) return undefined;
    run.forEach((i) => inner.add(i));
  }
  if (!inner.size) return list;
  const keep = (_: unknown, i: number) => !inner.has(i);
  return { parts: parts.filter(keep), partChanges: list.partChanges.filter(keep) };
}

/** The introducers that open a list (其中：, 包括：), as one pattern: what opens a sub-list inside another. */
function listOpeners(introducers: readonly Introducer[]): RegExp | undefined {
  const plain = introducers.filter((i) => !i.pattern.includes('(?<'));
  return plain.length ? compiled(plain.map((i) => `(?:${i.pattern})`).join('|'), 'gu') : undefined;
}

/** Several rules ask for the same breakdowns of one document: find them once per document and introducer set. */
const cache = new WeakMap<readonly unknown[], Map<string, Breakdown[]>>();

export function findBreakdowns(facts: DocumentFacts, introducers: readonly Introducer[]): Breakdown[] {
  const key = JSON.stringify(introducers);
  let perDoc = cache.get(facts.figures);
  if (!perDoc) cache.set(facts.figures, (perDoc = new Map()));
  let found = perDoc.get(key);
  if (!found) perDoc.set(key, (found = computeBreakdowns(facts, introducers)));
  return found;
}

/** Where the list an introducer opens runs: to its sentence's end, or to the ";" that closes a sub-list. */
interface ListSpan {
  at: number;
  after: number;
  blockIndex: number;
  block: { start: number; end: number };
  sentenceEnd: number;
  /** Another list opened earlier in the sentence: this one is a sub-list inside one of its items. */
  opensEarlier: boolean;
  closedBySemicolon: boolean;
}

function listSpan(facts: DocumentFacts, m: RegExpExecArray, openers: RegExp | undefined): ListSpan | undefined {
  const { doc } = facts;
  const at = m.index;
  const after = at + m[0].length;
  const blockIndex = spanIndexAt(doc.blocks, at);
  const block = doc.blocks[blockIndex];
  if (!block) return undefined;
  const sentence = doc.sentences[spanIndexAt(doc.sentences, Math.min(after, block.end - 1))];
  let sentenceEnd = sentence && sentence.end > after ? sentence.end : after;
  // a list inside another list's item ends with that item, at the ";" before the next outer item
  const opensEarlier = openers && sentence ? [...doc.text.slice(sentence.start, at).matchAll(openers)].length > 0 : false;
  const semicolon = doc.text.indexOf(';', after);
  const closedBySemicolon = semicolon >= 0 && semicolon < sentenceEnd;
  if (opensEarlier && closedBySemicolon) sentenceEnd = semicolon;
  return { at, after, blockIndex, block, sentenceEnd, opensEarlier, closedBySemicolon };
}

/** The total a list breaks down: the one its introducer names, else the amount stated just before it. */
function listTotal(facts: DocumentFacts, m: RegExpExecArray, span: ListSpan): { total: Figure; totalChange?: Figure } | undefined {
  const { at, after, blockIndex, block, sentenceEnd, opensEarlier } = span;
  if (m.groups?.label !== undefined) {
    const total = totalByLabel(facts, m.groups.label, at);
    return total && { total };
  }
  const before = (facts.byBlock.get(blockIndex) ?? []).filter((f) => isQuantity(f) && f.end <= at && !(f.baseline && !f.direction));
  const last = before[before.length - 1];
  if (!last) return undefined;
  if (isChangeAmount(last)) {
    // "支出1165.08万元，同比减少63.96万元。其中：…": the level is the total, the change its change.
    const level = before.filter((f) => isLevel(f) && f.sentence === last.sentence).pop();
    return level ? { total: level, totalChange: last } : { total: last };
  }
  const total = chooseLevelTotal(facts, before.filter((f) => isLevel(f) && f.sentence === last.sentence), after, opensEarlier ? sentenceEnd : block.end);
  return total && { total };
}

/** The parts listed for `total` and how they relate to it, or none when the list's extent or kind is unclear. */
function listParts(
  facts: DocumentFacts,
  m: RegExpExecArray,
  span: ListSpan,
  total: Figure,
  intro: Introducer,
  openers: RegExp | undefined,
): { parts: Figure[]; partChanges: (Figure | undefined)[]; relation: Relation; overlapping: boolean } | undefined {
  const { doc } = facts;
  const { at, after, blockIndex, block, sentenceEnd, opensEarlier, closedBySemicolon } = span;
  const ofChanges = isChangeAmount(total);
  // "人员经费X万元，主要包括：工资、津贴…；公用经费Y万元…": a list of kinds, not of amounts. The parts of a
  // breakdown start before its first ";".
  const firstSegmentEnd = doc.text.indexOf(';', after);
  if (firstSegmentEnd >= 0 && firstSegmentEnd < sentenceEnd && !facts.figures.some((f) => f.kind === 'amount' && f.start >= after && f.start < firstSegmentEnd)) return undefined;
  const direct = partsIn(facts, total, ofChanges, after, sentenceEnd);
  const outer = openers ? withoutSubLists(facts, direct, after, sentenceEnd, openers) : direct;
  if (!outer) return undefined;
  let { parts, partChanges } = endOfCommaList(doc.text, withoutSubtotalRuns(facts, outer), sentenceEnd);
  // judged on the list as the sentence gives it, before a sub-list is cut short or the following blocks are read
  const overlapping = overlappingShares(facts, parts, sentenceEnd);
  const closedByParen = closingParen(doc.text, after, sentenceEnd) < sentenceEnd;
  if (opensEarlier && !closedBySemicolon && !closedByParen && !ofChanges) {
    // a sub-list that nothing closes runs as far as its items add up to its parent; if they never do, its
    // extent is unknown and it is not assessed
    const run = parts.findIndex((_, i) => i >= 1 && levelSumMeets(facts, total, parts.slice(0, i + 1)));
    if (run < 0) return undefined;
    parts = parts.slice(0, run + 1);
    partChanges = partChanges.slice(0, run + 1);
  }
  let relation: Relation = intro.relation;
  if (!parts.length && doc.text.slice(after, block.end).trim() === '') {
    // the blocks that follow break down the total the introducer names, or the one level its sentence states
    // ("合计X万元，具体如下："); after a sentence that lists several amounts they detail those, and add up to none
    const levels = (facts.bySentence.get(total.sentence) ?? []).filter(isLevel);
    const ownLevel = m.groups?.label !== undefined || (levels.length === 1 && total.sentence === spanIndexAt(doc.sentences, at));
    const next = doc.blocks[blockIndex + 1];
    if (next && listItemNumber(doc.text.slice(next.start, next.end)) !== null) {
      if (!ownLevel) return undefined;
      parts = numberedItemParts(facts, total, blockIndex);
      partChanges = parts.map(() => undefined);
      // "主要内容如下": the main items, which may leave some out — together they cannot exceed the total
      if (/主要/.test(m[0]) || /主要/.test(doc.text.slice(block.start, at))) relation = 'atMost';
      if (parts.length < 2) return undefined;
    } else {
      ({ parts, partChanges } = partsInFollowingBlocks(facts, total, blockIndex));
      // "因公出国费6.12万元，…；公务接待费5.17万元。具体如下：" then a paragraph per item restating its amount
      const restates = (p: Figure) => levels.some((l) => l !== total && eq(l.value, p.value) && l.unit === p.unit);
      if (!ownLevel && parts.some(restates)) return undefined;
      // after a sentence of several levels ("累计支出2,487.36万元，…，结余162.64万元。…如下："), which one the lines
      // below break down is known only when they add up to it (or when the levels are one amount restated)
      const oneAmount = levels.every((l) => eq(l.value, total.value) && l.unit === total.unit);
      if (!ownLevel && !oneAmount && !levelSumMeets(facts, total, parts)) return undefined;
    }
  } else if (parts.length <= 1 && !ofChanges && sentenceEnd < block.end) {
    // The list may run on over several sentences ("其中：A0万元。B204.78万元，同比…；C…。"): accept the
    // longer reading only when the report's own level figures confirm it by adding up to the total.
    const longer = partsIn(facts, total, false, after, block.end);
    if (longer.parts.length >= 2 && levelSumMeets(facts, total, longer.parts)) ({ parts, partChanges } = longer);
  }
  if (!parts.length || parts.includes(total)) return undefined;
  // "…（类）634.16万元，其中：A（款）598.56万元，含a（项）412.36万元、b（项）186.20万元；B（款）…": parts named at two
  // levels of the 功能分类 are a list with its sub-list inline; the total's parts are those of the outer level, and
  // when they do not add up the list's extent is unclear
  const levels = parts.map((p) => subjectLevel(p.label));
  if (new Set(levels.filter((l) => l !== undefined)).size > 1) {
    const outer = Math.min(...levels.filter((l): l is number => l !== undefined));
    const keep = levels.map((l) => l === outer);
    const outerParts = parts.filter((_, i) => keep[i]);
    if (!levelSumMeets(facts, total, outerParts)) return undefined;
    parts = outerParts;
    partChanges = partChanges.filter((_, i) => keep[i]);
  }
  if (parts.length > 1 && family(total)?.startsWith('count:')) return undefined;
  if (intro.relation === 'equal' && parts.length === 1 && listMayContinue(facts, parts[0]!, sentenceEnd, block.end)) return undefined;
  // a list of one item ("社会保障和就业支出中，就业补助1,067.63万元，主要用于…") names a part, not the whole: it may
  // not exceed its total, and need not make it up
  if (relation === 'equal' && parts.length === 1) relation = 'atMost';
  return { parts, partChanges, relation, overlapping };
}

function computeBreakdowns(facts: DocumentFacts, introducers: readonly Introducer[]): Breakdown[] {
  const found: Breakdown[] = [];
  const seen = new Set<string>();
  const openers = listOpeners(introducers);
  for (const intro of introducers) {
    for (const m of facts.doc.text.matchAll(compiled(intro.pattern, 'gu'))) {
      const span = listSpan(facts, m, openers);
      const stated = span && listTotal(facts, m, span);
      if (!span || !stated) continue;
      const { total } = stated;
      const listed = listParts(facts, m, span, total, intro, openers);
      if (!listed) continue;
      const { parts, partChanges, relation, overlapping } = listed;
      const key = `${total.id}:${parts.map((p) => p.id).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const breakdown: Breakdown = {
        introducerText: m[0],
        relation: relation === 'auto' ? (parts.length === 1 ? 'atMost' : 'equal') : relation,
        total,
        parts,
        partChanges,
        ofChanges: isChangeAmount(total),
      };
      if (m.groups?.label !== undefined) breakdown.totalByLabel = true;
      if (overlapping) breakdown.overlapping = true;
      const totalChange = stated.totalChange ?? changeStatedFor(facts, total);
      if (totalChange) breakdown.totalChange = totalChange;
      found.push(breakdown);
    }
  }
  return found.sort((a, b) => a.total.start - b.total.start);
}

/** Σ parts as an interval, signed when the parts are changes. */
export function partsInterval(facts: DocumentFacts, parts: readonly Figure[], reading: Reading, signed: boolean) {
  return sumIntervals(parts.map((p) => intervalOf(p, reading, facts.precision, signed)));
}

