import { z } from 'zod';
import { dec, divRound, le, mul, toFixed } from '../../figures/decimal.js';
import type { Table } from '../../figures/tables.js';
import type { Figure } from '../../figures/types.js';
import type { RuleContext } from '../context.js';
import { printed } from '../format.js';
import { intervalOf, judge, ratioMeets, type Reading } from '../interval.js';
import { defineRuleType } from '../rule-type.js';

const Options = z.object({
  check: z.enum(['execution-rate', 'score-within-weight']),
});

const HUNDRED = dec(100);

/** The column whose header's last part matches `re`, or -1. */
function columnOf(t: Table, re: RegExp): number {
  return t.headers.findIndex((h) => re.test(h.split('/').pop() ?? ''));
}

/**
 * 项目支出绩效自评表: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分. Per row, 执行率 = 全年执行数 ÷
 * 全年预算数, and 得分 never exceeds 分值.
 */
function selfEvalTables(ctx: RuleContext): { t: Table; budget: number; actual: number; rate: number; weight: number; score: number }[] {
  return ctx.tables
    .map((t) => ({
      t,
      budget: columnOf(t, /^全年预算(?:数)?$/),
      actual: columnOf(t, /^全年执行(?:数)?$|^执行数$/),
      rate: columnOf(t, /^执行率/),
      weight: columnOf(t, /^分值$/),
      score: columnOf(t, /^得分$/),
    }))
    .filter((s) => (s.actual >= 0 && s.rate >= 0) || (s.weight >= 0 && s.score >= 0));
}

function value(t: Table, r: number, c: number): Figure | undefined {
  return c >= 0 ? t.cells[r]?.[c] : undefined;
}

export default defineRuleType({
  type: 'self-eval',
  meta: {
    description: 'Self-evaluation tables: 执行率 = 全年执行数 ÷ 全年预算数; 得分 ≤ 分值.',
    messages: {
      rateMismatch: '{{row}}执行率应为{{computed}}%（{{actual}} ÷ {{budget}}），表中为{{stated}}',
      scoreOverWeight: '{{row}}得分{{score}}超过分值{{weight}}',
      uncertain: '{{row}}执行率{{stated}}仅在按各数字自身位数取整时成立，请核实',
    },
    options: Options,
  },
  check(ctx, options) {
    for (const s of selfEvalTables(ctx)) {
      const { t } = s;
      for (let r = t.headerRows; r < t.rows.length; r++) {
        const row = t.rowLabels[r] || `第${r + 1}行`;
        if (options.check === 'execution-rate') {
          const budget = value(t, r, s.budget);
          const actual = value(t, r, s.actual);
          const rate = value(t, r, s.rate);
          if (!budget || !actual || !rate || budget.value.units <= 0n) continue;
          const holds = (rd: Reading) =>
            ratioMeets(intervalOf(actual, rd, ctx.cellPrecision), intervalOf(budget, rd, ctx.cellPrecision), intervalOf(rate, rd, ctx.cellPrecision), HUNDRED);
          const verdict = judge(holds);
          ctx.tally(verdict, [rate, actual, budget]);
          if (verdict === 'exact' || verdict === 'rounding') continue;
          const decimals = Math.max(2, rate.decimals);
          const computed = toFixed(divRound(mul(actual.value, HUNDRED), budget.value, decimals), decimals);
          ctx.report({ evidence: 'structure',
            messageId: verdict === 'uncertain' ? 'uncertain' : 'rateMismatch',
            severity: verdict === 'uncertain' ? 'info' : undefined,
            data: { row, computed, actual: actual.text, budget: budget.text, stated: rate.text },
            primary: rate,
            figures: [rate, actual, budget],
            expected: computed,
            actual: printed(rate),
            calculation: `${actual.text} ÷ ${budget.text} = ${computed}% ≠ ${rate.text}`,
          });
        } else {
          const weight = value(t, r, s.weight);
          const score = value(t, r, s.score);
          if (!weight || !score) continue;
          const over = judge((rd) => {
            const sc = intervalOf(score, rd, ctx.cellPrecision);
            const w = intervalOf(weight, rd, ctx.cellPrecision);
            return sc.lo === null || w.hi === null || le(sc.lo, w.hi);
          });
          ctx.tally(over, [score, weight]);
          if (over !== 'fail') continue;
          ctx.report({ evidence: 'structure',
            messageId: 'scoreOverWeight',
            data: { row, score: score.text, weight: weight.text },
            primary: score,
            figures: [score, weight],
            expected: `≤ ${printed(weight)}`,
            actual: printed(score),
            calculation: `${score.text} > ${weight.text}`,
          });
        }
      }
    }
  },
});
