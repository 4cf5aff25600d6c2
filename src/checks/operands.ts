import { cmp } from '../figures/decimal.js';
import type { Figure } from '../figures/types.js';
import { type DocumentFacts, isChangeAmount, isLevelAmount } from './context.js';
import { labelSimilarity, SAME_ITEM_SIMILARITY } from './similarity.js';

/**
 * Figures of the percentage's sentence that precede it, back to the previous percentage or the previous "；" (its
 * own clause group): "…减少0.55万元，下降4.82%（2024年为11.40万元）；公务接待费减少0.84万元，下降18.18%" — the
 * parenthesis belongs to the item before the "；".
 */
export function groupBefore(facts: DocumentFacts, pct: Figure): Figure[] {
  const segmentStart = semicolonBefore(facts, pct);
  const before = (facts.bySentence.get(pct.sentence) ?? []).filter((f) => f.start < pct.start && f.start >= segmentStart);
  let from = 0;
  before.forEach((f, i) => {
    if (f.kind === 'percent') from = i + 1;
  });
  return before.slice(from);
}

/** Where the figure's "；"-segment of its sentence starts (the sentence's start when none comes before it). */
export function semicolonBefore(facts: DocumentFacts, f: Figure): number {
  const sentence = facts.doc.sentences[f.sentence];
  const start = sentence?.start ?? 0;
  const at = facts.doc.text.lastIndexOf(';', f.start);
  return at >= start ? at + 1 : start;
}

/** A level stated for an earlier period: 上年…, 2023年…, or inside a baseline (比2023年预算执行数120万元…). */
export function isPriorLevel(f: Figure, fiscalYear: number | undefined): boolean {
  if (!isLevelAmount(f)) return false;
  if (f.baseline) return true;
  if (/上年|上一年|去年|上年度/.test(f.label)) return true;
  return fiscalYear !== undefined && f.labelYear !== undefined && f.labelYear < fiscalYear;
}

const LAST_YEAR = /上年|上一年|去年/;

/**
 * The previous level a stated change follows: inside its baseline (比上年…120万元), named as last year's
 * (（上年度预算安排为5,210.40万元）), or an earlier year's level in parentheses (…下降4.82%（2024年为11.40万元）).
 * Outside parentheses, a level labelled with an earlier year beside a change is the current level with a slipped
 * year, which is the year rule's finding.
 */
export function isStatedPrior(facts: DocumentFacts, f: Figure): boolean {
  if (!isLevelAmount(f)) return false;
  if (f.baseline || LAST_YEAR.test(f.label)) return true;
  if (facts.fiscalYear === undefined || f.labelYear === undefined || f.labelYear >= facts.fiscalYear) return false;
  return insideParentheses(facts, f) || (f.labelYear === facts.fiscalYear - 1 && currentChangeFollows(facts, f.end, f.sentence));
}

/**
 * "2022年同口径支出171,530.40元，2023年比上年减少18,283.60元" or "2022年该项支出112,806.10元，本年减少…": after a
 * mention of the year before, its sentence goes on to the current period (本年, 今年, the fiscal year) and how it
 * changed — the earlier year's level is the base of that change, stated on purpose, not a current level whose year
 * slipped (the seed's "2023年决算收入合计276.10万元，其中：…" in a report on 2024 goes on to no change).
 */
export function currentChangeFollows(facts: DocumentFacts, from: number, sentenceIndex: number): boolean {
  const sentence = facts.doc.sentences[sentenceIndex];
  if (!sentence || facts.fiscalYear === undefined) return false;
  const rest = facts.doc.text.slice(from, sentence.end);
  return new RegExp(`(?:本年度?|今年|${facts.fiscalYear}\\s*年度?)[^,;。]{0,16}?(?:增加|减少|增长|下降|上升|降低|持平)`, 'u').test(rest);
}

/** The figure stands inside parentheses opened earlier in its sentence. */
export function insideParentheses(facts: DocumentFacts, f: Figure): boolean {
  const sentence = facts.doc.sentences[f.sentence];
  let depth = 0;
  for (let i = sentence?.start ?? 0; i < f.start; i++) {
    const ch = facts.doc.text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
  }
  return depth > 0;
}

/** The current-period level a change or rate speaks of: in the sentence, else the paragraph's last like-named level. */
export function currentLevel(facts: DocumentFacts, anchor: Figure, candidates: readonly Figure[]): Figure | undefined {
  const inSentence = candidates.filter((f) => isLevelAmount(f) && !isPriorLevel(f, facts.fiscalYear)).pop();
  if (inSentence) return inSentence;
  if (!anchor.key) return undefined;
  // "与上年相比，三公经费支出决算增加1.19万元" names the item whose level an earlier sentence stated
  const earlier = facts.figures.filter(
    (f) =>
      f.start < anchor.start &&
      isLevelAmount(f) &&
      !isPriorLevel(f, facts.fiscalYear) &&
      (!anchor.stage || !f.stage || anchor.stage === f.stage) &&
      labelSimilarity(anchor.key, f.key) >= SAME_ITEM_SIMILARITY,
  );
  return earlier.pop();
}

/**
 * "单位预留机动经费预算数为1685.72万元。与上年相比增加1557.29万元，增长…": a sentence that opens with the comparison
 * (与上年相比 / 比上年 / 同比) has no subject of its own; it continues the previous sentence of its paragraph, whose
 * level it compares. Returns undefined when the sentence has a subject of its own; otherwise `{ level }`, the one
 * current level of the previous sentence — none when that sentence states several amounts, or only last year's: the
 * subject is then unknown, and no level found elsewhere by its label stands in for it.
 */
const COMPARISON_OPENING =
  /^\s*(?:(?:与|同|比|较)?\s*(?:上年|上年度|上一年|去年|(?:19|20)\d{2}\s*年度?)\s*(?:决算数?|预算数?|执行数)?\s*(?:相比|相较|比较|同期)?|同比)\s*[,，]?\s*(?:[\p{Script=Han}“”"、]{0,20}?(?:总计|合计|支出|收入|经费)各?)?\s*(?:增加|减少|增长|下降|上升|降低|多|少)\s*(?:了)?\s*$/u;

/** The words before a change are only its comparison (与上年相比增加 / 比2019年决算数减少): it has no subject of its own. */
export function opensWithComparison(opening: string): boolean {
  return COMPARISON_OPENING.test(opening);
}

export function elidedSubject(facts: DocumentFacts, change: Figure): { level?: Figure } | undefined {
  const sentence = facts.doc.sentences[change.sentence];
  if (!sentence || change.sentence < 1) return undefined;
  if (!opensWithComparison(facts.doc.text.slice(sentence.start, change.numberStart))) return undefined;
  const previous = facts.bySentence.get(change.sentence - 1) ?? [];
  if (!previous.length || previous[0]!.block !== change.block) return undefined;
  const levels = previous.filter((f) => isLevelAmount(f) && !isPriorLevel(f, facts.fiscalYear));
  const all = previous.filter(isLevelAmount);
  // several levels of one amount (收入总计 and 支出总计 both 3862.47, then "收入、支出总计各增加…") are one subject's worth
  const one = levels.length >= 1 && all.length === levels.length && levels.every((f) => f.yuan && levels[0]!.yuan && cmp(f.yuan, levels[0]!.yuan) === 0);
  return { level: one && !previous.some(isChangeAmount) ? levels[levels.length - 1] : undefined };
}

export function lastChange(figures: readonly Figure[]): Figure | undefined {
  return figures.filter(isChangeAmount).pop();
}

/** Budget stages (年初, 调整, 全年) are one family, the outturn (决算, 实际) another. */
export const stageFamilyOf = (stage: string | undefined): string | undefined =>
  stage?.startsWith('budget') ? 'budget' : stage === 'actual' ? 'final' : stage;

export const stageFamily = (f: Figure): string | undefined => stageFamilyOf(f.stage);

/** The stage of an amount that names none: a budget's own figures are budgets, anything else reports outturn. */
export const documentFamily = (facts: Pick<DocumentFacts, 'documentType' | 'documentStage'>): 'budget' | 'final' =>
  facts.documentType === 'budget' || facts.documentStage === 'budget' ? 'budget' : 'final';

/** The stage a comparison names just before its change or rate: 比上年决算数 → final, 比上年预算 → budget. */
export function comparedStage(facts: DocumentFacts, at: Figure): string | undefined {
  const clause = facts.doc.clauses[at.clause];
  const before = facts.doc.text.slice(Math.max(clause?.start ?? 0, at.start - 16), at.numberStart);
  const m = /(?:比|较|与|同)[^,;。]*(决算|执行数|实际|预算)[^,;。]*$/.exec(before);
  if (!m) return undefined;
  return m[1] === '预算' ? 'budget' : 'final';
}

/**
 * The levels a stated change sits between, from its own "；"-segment: the previous one (inside a baseline or named
 * as last year's) and the current one it follows, whatever year that one's label names (a slipped year is the year
 * rule's finding). "支出决算68.48万元，完成全年预算80.00万元的85.6%，比上年决算71.60万元减少3.12万元": the change is of
 * the level at the stage its comparison names (决算 with 决算); with levels at several stages and none named, of none.
 */
export function changeOperands(facts: DocumentFacts, change: Figure): { prior?: Figure; current?: Figure } {
  const segmentStart = semicolonBefore(facts, change);
  const before = (facts.bySentence.get(change.sentence) ?? []).filter((f) => f.start < change.start && f.start >= segmentStart);
  const isPrior = (f: Figure) => isStatedPrior(facts, f);
  const prior = before.filter(isPrior).pop();
  const levels = before.filter((f) => isLevelAmount(f) && !isPrior(f));
  const stage = comparedStage(facts, change);
  const families = new Set(levels.map(stageFamily));
  const current = stage ? levels.filter((f) => stageFamily(f) === stage).pop() : families.size <= 1 ? levels.pop() : undefined;
  return { ...(prior ? { prior } : {}), ...(current ? { current } : {}) };
}
