import { z } from 'zod';
import { Pattern } from '../pattern.js';
import { dec, type Dec, divRound, neg, sub, toFixed } from '../../figures/decimal.js';
import type { Table } from '../../figures/tables.js';
import type { Figure } from '../../figures/types.js';
import type { RuleContext } from '../context.js';
import { printed } from '../format.js';
import { addIntervals, type Interval, intersects, intervalOf, judge, negate, ratioMeets, type Reading, statedInterval, type Verdict } from '../interval.js';
import { lowVerdict } from '../verdict-message.js';
import { defineRuleType } from '../rule-type.js';

const Options = z.object({
  /** RegExp source: the header of a column stating the change (增减额), not its rate. */
  changeHeader: Pattern.default('^(?:增减|增减额|增减数|变动额|增加额|增\\(\\+\\)减\\(-\\)额?)$'),
  /** RegExp source: the header of a column stating the change as a rate of the earlier column. */
  rateHeader: Pattern.default('^(?:增减率|增减幅度|增减%|增减比例|变动率|增长率|增幅)(?:\\(%\\))?$'),
  /** RegExp source: a header naming the earlier period without its year (上年决算, 上年数). */
  priorWords: Pattern.default('上年|上一年|去年'),
  /** RegExp source: a header naming the current period without its year (本年决算, 本年数). */
  currentWords: Pattern.default('本年|当年|今年'),
});
type Options = z.infer<typeof Options>;

const HUNDRED = dec(100);

/** The header's last named part, the column's own name ("2024年决算", "增减率"); a `|---|` rule names nothing. */
const leaf = (header: string) =>
  header
    .split('/')
    .map((p) => p.replace(/\s+/g, ''))
    .filter((p) => p && !/^[-:—]+$/.test(p))
    .pop() ?? '';

/** The four columns of a comparison table: the earlier and the later level, and the change and/or its rate. */
interface Columns {
  prior: number;
  current: number;
  change?: number;
  rate?: number;
}

/**
 * A table comparing two periods (| 项目 | 2023年决算 | 2024年决算 | 增减额 | 增减率 |): the two level columns are
 * told apart by the years their headers name (the later is the current one) or by 上年/本年; without both, or with
 * more than one column for either period, the table is not read as a comparison.
 */
function comparisonColumns(t: Table, options: Options): Columns | undefined {
  const prior = new RegExp(options.priorWords, 'u');
  const current = new RegExp(options.currentWords, 'u');
  const changeHeader = new RegExp(options.changeHeader, 'u');
  const rateHeader = new RegExp(options.rateHeader, 'u');
  const leaves = t.headers.map(leaf);
  const find = (re: RegExp) => {
    const at = leaves.flatMap((h, i) => (re.test(h) ? [i] : []));
    return at.length === 1 ? at[0] : undefined;
  };
  const change = find(changeHeader);
  const rate = find(rateHeader);
  if (change === undefined && rate === undefined) return undefined;
  const years = leaves.map((h) => /((?:19|20)\d{2})\s*年/.exec(h)?.[1]).map((y) => (y === undefined ? undefined : Number(y)));
  const dated = years.flatMap((y, i) => (y === undefined ? [] : [{ y, i }]));
  if (dated.length === 2 && dated[0]!.y + 1 === dated[1]!.y) return { prior: dated[0]!.i, current: dated[1]!.i, change, rate };
  if (dated.length) return undefined;
  const p = find(prior);
  const c = find(current);
  return p !== undefined && c !== undefined ? { prior: p, current: c, change, rate } : undefined;
}

interface RowCheck {
  what: 'change' | 'rate';
  stated: Figure;
  prior: Figure;
  current: Figure;
  verdict: Verdict;
  computed: string;
}

function changeHolds(ctx: RuleContext, prior: Figure, current: Figure, stated: Figure) {
  return (r: Reading) => intersects(intervalOf(stated, r, ctx.cellPrecision), addIntervals(intervalOf(current, r, ctx.cellPrecision), negate(intervalOf(prior, r, ctx.cellPrecision))));
}

/** (current − prior) ÷ prior = the stated rate, signs and all; a decrease compares as the negated ratio. */
function rateHolds(ctx: RuleContext, prior: Figure, current: Figure, stated: Figure) {
  return (r: Reading) => {
    const delta = addIntervals(intervalOf(current, r, ctx.cellPrecision), negate(intervalOf(prior, r, ctx.cellPrecision)));
    const rate: Interval = statedInterval(stated, r, ctx.cellPrecision);
    const down = stated.value.units < 0n;
    return ratioMeets(down ? negate(delta) : delta, intervalOf(prior, r, ctx.cellPrecision), down ? negate(rate) : rate, HUNDRED);
  };
}

function checkRow(ctx: RuleContext, t: Table, row: number, cols: Columns): RowCheck[] {
  const cell = (c: number | undefined) => (c === undefined ? undefined : t.cells[row]?.[c]);
  const prior = cell(cols.prior);
  const current = cell(cols.current);
  if (!prior || !current || prior.kind !== 'amount' || current.kind !== 'amount') return [];
  const checks: RowCheck[] = [];
  const change = cell(cols.change);
  const exactDelta = (): Dec => sub(current.value, prior.value);
  if (change && change.kind === 'amount') {
    const verdict = judge(changeHolds(ctx, prior, current, change));
    checks.push({ what: 'change', stated: change, prior, current, verdict, computed: toFixed(exactDelta(), Math.max(prior.decimals, current.decimals)) });
  }
  const rate = cell(cols.rate);
  // growth from a zero base is no ratio (— in the table)
  if (rate && rate.kind === 'percent' && prior.value.units > 0n) {
    const verdict = judge(rateHolds(ctx, prior, current, rate), { tail: true, strict: ctx.strictRounding });
    const delta = exactDelta();
    const ratio = divRound({ units: (delta.units < 0n ? neg(delta) : delta).units * 100n, scale: delta.scale }, prior.value, rate.decimals);
    checks.push({ what: 'rate', stated: rate, prior, current, verdict, computed: `${delta.units < 0n ? '-' : ''}${toFixed(ratio, rate.decimals)}` });
  }
  return checks;
}

const passes = (v: Verdict) => v === 'exact' || v === 'rounding';

export default defineRuleType({
  type: 'table-change',
  meta: {
    description: "A comparison table's change and rate columns agree with its two period columns, row by row.",
    messages: {
      changeMismatch: '表“{{table}}”中{{row}}：{{currentText}}与{{priorText}}相差{{computed}}，表中增减额为{{stated}}',
      rateMismatch: '表“{{table}}”中{{row}}：增减率应为{{computed}}%（（{{currentText}} − {{priorText}}）÷ {{priorText}}），表中为{{stated}}',
      rateTail: '表“{{table}}”中{{row}}：增减率四舍五入为{{computed}}%，表中为{{stated}}，末位差一个单位，属尾差，请核实',
      rateUncertain: '表“{{table}}”中{{row}}：增减率{{stated}}仅在按各数字自身位数取整时成立（按全表精度为{{computed}}%），请核实',
      changeUncertain: '表“{{table}}”中{{row}}：增减额{{stated}}仅在按各数字自身位数取整时等于{{currentText}}与{{priorText}}之差，请核实',
    },
    options: Options,
  },
  check(ctx, options) {
    for (const t of ctx.tables) {
      const cols = comparisonColumns(t, options);
      if (!cols) continue;
      const rows = t.rows.map((_, r) => (r < t.headerRows ? [] : checkRow(ctx, t, r, cols)));
      // a table rebuilt from a PDF's text may have shifted a cell: a failure there counts only where another row holds
      const corroborated = !t.rebuilt || rows.flat().some((c) => passes(c.verdict));
      rows.forEach((checks, r) => {
        for (const c of checks) {
          ctx.tally(c.verdict, [c.stated, c.current, c.prior]);
          if (passes(c.verdict) || !corroborated) continue;
          const ids =
            c.what === 'rate'
              ? lowVerdict(c.verdict, { uncertain: 'rateUncertain', tail: 'rateTail', fail: 'rateMismatch' })
              : { messageId: c.verdict === 'uncertain' ? 'changeUncertain' : 'changeMismatch', ...(c.verdict === 'uncertain' ? { severity: 'info' as const } : {}) };
          ctx.report({
            evidence: 'structure',
            ...ids,
            data: { table: t.title ?? t.id, row: t.rowLabels[r] || `第${r + 1}行`, currentText: c.current.text, priorText: c.prior.text, computed: c.computed, stated: c.stated.text },
            primary: c.stated,
            figures: [c.stated, c.current, c.prior],
            expected: c.computed,
            actual: printed(c.stated),
            calculation:
              c.what === 'rate'
                ? `(${c.current.text} − ${c.prior.text}) ÷ ${c.prior.text} = ${c.computed}% ≠ ${c.stated.text}`
                : `${c.current.text} − ${c.prior.text} = ${c.computed} ≠ ${c.stated.text}`,
          });
        }
      });
    }
  },
});
