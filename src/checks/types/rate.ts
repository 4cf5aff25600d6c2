import { z } from 'zod';
import { Pattern } from '../pattern.js';
import { abs, dec, type Dec, divRound, neg, sub, toFixed } from '../../figures/decimal.js';
import type { Figure } from '../../figures/types.js';
import { type Evidence, isLevelAmount, type RuleContext } from '../context.js';
import { inUnitOf, printed } from '../format.js';
import { addIntervals, type Interval, intersects, intervalOf, judge, negate, ratioMeets, type Reading, statedInterval } from '../interval.js';
import { lowVerdict } from '../verdict-message.js';
import { changeOperands, comparedStage, currentLevel, elidedSubject, groupBefore, isPriorLevel, isStatedPrior, lastChange, opensWithComparison, semicolonBefore, stageFamily } from '../operands.js';
import { effectiveDecimals } from '../precision.js';
import { defineRuleType } from '../rule-type.js';
import { labelSimilarity } from '../similarity.js';
import { compiled } from '../regex.js';

const Options = z.discriminatedUnion('form', [
  /** 完成预算的X% / 执行率X% = actual ÷ budget. */
  z.object({
    form: z.literal('execution'),
    marker: Pattern,
    markerWindow: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe('How many characters before a percentage (within its clause) the marker is looked for in.'),
    itemSimilarity: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('How alike (0..1) the labels of a budget stated earlier in the paragraph and the actual amount must be to measure one item.'),
  }),
  /** 增长/下降X% = change ÷ previous. */
  z.object({ form: z.literal('growth') }),
  /** 比上年增加/减少A = current − previous, when all three are stated. */
  z.object({ form: z.literal('difference') }),
]);

const HUNDRED = dec(100);
const signedOf = (f: Figure): Dec => (f.direction === 'decrease' ? neg(f.yuan!) : f.yuan!);

function percentOf(num: Dec, den: Dec, decimals: number): string {
  return toFixed(divRound({ units: num.units * 100n, scale: num.scale }, den, decimals), decimals);
}

/** Two figures that may measure one item: same or unnamed item (全年实际支出 after 项目全年预算). */
function sameItem(a: Figure, b: Figure, minSimilarity: number): boolean {
  return !a.key || !b.key || labelSimilarity(a.key, b.key) >= minSimilarity;
}

/**
 * Several budget figures earlier in the paragraph ("全年预算186万元，其中：年初预算160万元，年中追加26万元"): "完成预算的"
 * speaks of the whole budget, the adjusted one if stated, else the first stated (the others break it down).
 */
function preferredBudget(budgets: readonly Figure[]): Figure | undefined {
  return budgets.find((f) => f.stage === 'budget-adjusted') ?? budgets[0];
}

function checkExecution(ctx: RuleContext, options: Extract<z.output<typeof Options>, { form: 'execution' }>): void {
  const marker = compiled(`(?:${options.marker})$`, 'u');
  for (const pct of ctx.figures) {
    if (pct.kind !== 'percent' || pct.pointChange || pct.direction) continue;
    const clause = ctx.doc.clauses[pct.clause];
    const m = marker.exec(ctx.doc.text.slice(Math.max(clause?.start ?? 0, pct.start - options.markerWindow), pct.numberStart));
    if (!m) continue;
    const group = groupBefore(ctx, pct);
    const actual = group.filter((f) => isLevelAmount(f) && (!f.stage || f.stage === 'final' || f.stage === 'actual')).pop();
    if (!actual) continue;
    const named = m.groups?.stage;
    const wantedStage = named === '年初' ? 'budget-initial' : named === '全年' || named === '调整' ? 'budget-adjusted' : undefined;
    // the budget is in the same clause group, else earlier in the paragraph for the same item
    const inGroup = group.filter((f) => isLevelAmount(f) && f !== actual && f.stage?.startsWith('budget'));
    const budgets = inGroup.length
      ? inGroup
      : (ctx.byBlock.get(actual.block) ?? []).filter(
          (f) => isLevelAmount(f) && f.start < actual.start && f.stage?.startsWith('budget') && sameItem(f, actual, options.itemSimilarity),
        );
    // (not pop(): budgets may be inGroup itself, whose length grades the evidence below)
    // a rate that names its budget's stage is of that stage, or of a budget stated without one — never of another
    const budget = wantedStage
      ? (budgets.filter((f) => f.stage === wantedStage).at(-1) ?? budgets.filter((f) => f.stage === 'budget').at(-1))
      : inGroup.length
        ? budgets.at(-1)
        : preferredBudget(budgets);
    if (!budget || !budget.yuan) continue;
    const holdsAgainst = (base: Figure) => (r: Reading) =>
      ratioMeets(intervalOf(actual, r, ctx.precision), intervalOf(base, r, ctx.precision), statedInterval(pct, r, ctx.precision), HUNDRED);
    if (budget.yuan.units <= 0n) {
      // "年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%": no rate of a zero budget
      // exists; when the stated one is the rate of another budget the sentence states, it names the wrong base
      const other = budgets.find((f) => f !== budget && f.yuan && f.yuan.units > 0n && judge(holdsAgainst(f)) !== 'fail');
      if (other) reportZeroBase(ctx, pct, actual, budget, other, inGroup.length > 0);
      continue;
    }
    const holds = holdsAgainst(budget);
    const verdict = judge(holds, { tail: true, strict: ctx.strictRounding });
    ctx.tally(verdict, [pct, actual, budget]);
    if (verdict === 'exact' || verdict === 'rounding') continue;
    const computed = percentOf(actual.yuan!, budget.yuan, effectiveDecimals(ctx.precision, pct));
    ctx.report({
      // a budget in the rate's own clause group is structure; one found earlier in the paragraph by its label is not
      evidence: inGroup.length ? 'structure' : 'label',
      ...lowVerdict(verdict, { uncertain: 'executionUncertain', tail: 'executionTail', fail: 'executionMismatch' }),
      data: { actualText: actual.text, budgetText: budget.text, computed, stated: printed(pct) },
      primary: pct,
      figures: [pct, actual, budget],
      expected: computed,
      actual: printed(pct),
      calculation: `${actual.text} ÷ ${budget.text} = ${computed}% ≠ ${pct.text}`,
    });
  }
}

/** A rate stated of a zero budget that is the rate of another budget in the sentence: the wrong base is named. */
function reportZeroBase(ctx: RuleContext, pct: Figure, actual: Figure, zero: Figure, other: Figure, inGroup: boolean): void {
  ctx.report({
    // the figures are right, the words naming the base are not: a warning at most
    evidence: inGroup ? 'structure' : 'label',
    messageId: 'executionZeroBase',
    severity: 'warning',
    data: { stated: printed(pct), zeroText: zero.text, otherText: other.text, actualText: actual.text },
    primary: pct,
    figures: [pct, actual, zero, other],
    expected: `${actual.text} ÷ ${other.text}`,
    actual: printed(pct),
    calculation: `${actual.text} ÷ ${zero.text}：除数为0；${actual.text} ÷ ${other.text} ≈ ${pct.text}`,
  });
}

/** Previous-period value as an interval: current − signed change, or the stated prior level. */
function previousOf(ctx: RuleContext, r: Reading, current?: Figure, change?: Figure, prior?: Figure): Interval | undefined {
  if (prior) return intervalOf(prior, r, ctx.precision);
  if (current && change) return addIntervals(intervalOf(current, r, ctx.precision), negate(intervalOf(change, r, ctx.precision, true)));
  return undefined;
}

function checkGrowth(ctx: RuleContext): void {
  for (const pct of ctx.figures) {
    if (pct.kind !== 'percent' || pct.pointChange || !pct.direction || pct.direction === 'flat') continue;
    const group = groupBefore(ctx, pct);
    const change = lastChange(group);
    // The previous level: inside a baseline (比上年…120万元) or named as last year's (（上年度预算安排为5,210.40万元）).
    // With a stated change, the level it follows is the current one whatever year its label names (a slipped year
    // is the year rule's finding): only a baseline or a level named 上年 is the previous one there.
    const isPrior = (f: Figure) => (change ? isStatedPrior(ctx, f) : isPriorLevel(f, ctx.fiscalYear));
    const prior = group.filter(isPrior).pop();
    const isCurrent = (f: Figure) => isLevelAmount(f) && !isPrior(f) && (!change || f.start < change.start);
    // Among several current levels, the one at the stage the comparison names (比上年决算数增加… compares 决算 with
    // 决算, not with the 预算 the sentence also quotes); a budget compared with last year's execution has only one.
    const stage = comparedStage(ctx, change ?? pct);
    const nearest = (levels: Figure[]) => levels.filter((f) => stage && stageFamily(f) === stage).pop() ?? levels.pop();
    const currentInGroup = nearest(group.filter(isCurrent));
    // else the sentence's own level before the group ("决算为48.30万元，完成预算…的80.5%，比上年决算数增加…")
    // a "；"-segment that opens with its comparison ("；比2019年决算数减少9.70万元") goes on with the sentence's subject
    const ownSegment = semicolonBefore(ctx, pct);
    const segmentStart = change && opensWithComparison(ctx.doc.text.slice(ownSegment, change.numberStart)) ? -1 : ownSegment;
    const currentInSentence = nearest((ctx.bySentence.get(pct.sentence) ?? []).filter((f) => f.start >= segmentStart && f.start < (group[0]?.start ?? pct.start) && isCurrent(f)));
    // a sentence that opens with its comparison (与上年相比增加…) continues the previous one's level, or none
    const elided = !currentInGroup && !currentInSentence && change ? elidedSubject(ctx, change) : undefined;
    const continued = elided?.level;
    const current = currentInGroup ?? currentInSentence ?? (elided ? continued : change ? currentLevel(ctx, change, []) : currentLevel(ctx, pct, group));
    // operands in the rate's own clause group or sentence, or the subject an elided one continues, are structure; a
    // level found in earlier text by its label is not
    const evidence: Evidence = (change && prior) || currentInGroup || currentInSentence || continued ? 'structure' : 'label';
    if (!change && !(current && prior)) continue;
    const priorExact = previousOf(ctx, 'exact', current, change, prior)?.lo;
    if (!priorExact || priorExact.units <= 0n) continue; // growth from a zero base is not a ratio
    const changeExact = change ? signedOf(change) : sub(current!.yuan!, priorExact);
    const sign = pct.direction === 'decrease' ? -1n : 1n;
    // the rate from the stated change, or from the two levels: when both levels and a change are stated and the
    // change is off, the rate that matches the levels is right (the change is the difference rule's finding)
    const holdsVia = (r: Reading, viaChange: boolean): boolean => {
      const prev = previousOf(ctx, r, current, change, prior)!;
      const delta = viaChange ? intervalOf(change!, r, ctx.precision, true) : addIntervals(intervalOf(current!, r, ctx.precision), negate(prev));
      // the stated growth's sign comes from its own direction word
      const stated = statedInterval(pct, r, ctx.precision);
      const signedDelta = sign < 0n ? negate(delta) : delta;
      if (signedDelta.hi !== null && signedDelta.hi.units < 0n) return false; // 增长 stated for a decrease, or vice versa
      const nonNegative = { lo: signedDelta.lo && signedDelta.lo.units < 0n ? dec(0) : signedDelta.lo, hi: signedDelta.hi };
      return ratioMeets(nonNegative, prev, stated, HUNDRED);
    };
    const holds = (r: Reading): boolean => (change ? holdsVia(r, true) || (!!current && !!prior && holdsVia(r, false)) : holdsVia(r, false));
    const verdict = judge(holds, { tail: true, strict: ctx.strictRounding });
    ctx.tally(verdict, [pct, change, current, prior].filter((f): f is Figure => f !== undefined));
    if (verdict === 'exact' || verdict === 'rounding') continue;
    const decimals = effectiveDecimals(ctx.precision, pct);
    const computed = percentOf(changeExact, priorExact, decimals);
    const involved = [pct, change, current, prior].filter((f): f is Figure => f !== undefined);
    const unitOf = change ?? current!;
    const stated = `${pct.direction === 'decrease' ? '-' : ''}${printed(pct)}`;
    ctx.report({
      evidence,
      ...lowVerdict(verdict, { uncertain: 'growthUncertain', tail: 'growthTail', fail: 'growthMismatch' }),
      data: {
        changeText: inUnitOf(changeExact, unitOf, ctx.precision),
        previous: inUnitOf(priorExact, unitOf, ctx.precision),
        unit: unitOf.unit,
        computed,
        stated,
      },
      primary: pct,
      figures: involved,
      expected: computed,
      actual: stated,
      // the stated rate with the sign its direction word gives it, as the message and 文中 show it (减少2.27% is -2.27)
      calculation: `${inUnitOf(changeExact, unitOf, ctx.precision)} ÷ ${inUnitOf(priorExact, unitOf, ctx.precision)} = ${computed}% ≠ ${stated}%`,
    });
  }
}

function checkDifference(ctx: RuleContext): void {
  for (const change of ctx.figures) {
    if (change.kind !== 'amount' || !change.direction || change.direction === 'flat') continue;
    const { prior, current } = changeOperands(ctx, change);
    if (!prior || !current) continue;
    const holds = (r: Reading) =>
      intersects(intervalOf(change, r, ctx.precision, true), addIntervals(intervalOf(current, r, ctx.precision), negate(intervalOf(prior, r, ctx.precision))));
    const verdict = judge(holds);
    ctx.tally(verdict, [change, current, prior]);
    if (verdict === 'exact' || verdict === 'rounding') continue;
    const diff = sub(current.yuan!, prior.yuan!);
    const diffText = inUnitOf(diff, change, ctx.precision);
    ctx.report({
      evidence: 'structure',
      messageId: verdict === 'uncertain' ? 'differenceUncertain' : 'differenceMismatch',
      severity: verdict === 'uncertain' ? 'info' : undefined,
      data: { currentText: current.text, priorText: prior.text, computed: diffText, abs: inUnitOf(abs(diff), change, ctx.precision), unit: change.unit, changeText: change.text },
      primary: change,
      figures: [change, current, prior],
      expected: diffText,
      actual: printed(change, true),
      calculation: `${current.text} − ${prior.text} = ${diffText}${change.unit} ≠ ${printed(change, true)}${change.unit}`,
    });
  }
}

export default defineRuleType({
  type: 'rate',
  meta: {
    description: 'Execution rates, growth rates and stated changes agree with the amounts they are computed from.',
    messages: {
      executionMismatch: '{{actualText}}占预算{{budgetText}}的比例应为{{computed}}%，文中为{{stated}}%',
      growthMismatch: '增减额{{changeText}}{{unit}}相对上年{{previous}}{{unit}}的变动率应为{{computed}}%，文中为{{stated}}%',
      executionZeroBase: '文中{{stated}}%所对应的预算为{{zeroText}}，以0为基数无从计算；该比例实为{{actualText}}占{{otherText}}的比例，请核实所称预算口径',
      executionTail: '{{actualText}}占预算{{budgetText}}的比例四舍五入为{{computed}}%，文中为{{stated}}%，末位差一个单位，属尾差，请核实',
      growthTail: '增减额{{changeText}}{{unit}}相对上年{{previous}}{{unit}}的变动率四舍五入为{{computed}}%，文中为{{stated}}%，末位差一个单位，属尾差，请核实',
      differenceMismatch: '{{currentText}}与{{priorText}}相差{{computed}}{{unit}}，文中所述增减额为{{changeText}}',
      executionUncertain: '{{actualText}}占预算{{budgetText}}的比例{{stated}}%仅在按各数字自身位数取整时成立（按全文精度为{{computed}}%），请核实',
      growthUncertain: '变动率{{stated}}%仅在按各数字自身位数取整时成立（按全文精度为{{computed}}%），请核实',
      differenceUncertain: '增减额{{changeText}}仅在按各数字自身位数取整时等于{{currentText}}与{{priorText}}之差（{{computed}}{{unit}}），请核实',
    },
    options: Options,
  },
  check(ctx, options) {
    if (options.form === 'execution') checkExecution(ctx, options);
    else if (options.form === 'growth') checkGrowth(ctx);
    else checkDifference(ctx);
  },
});
