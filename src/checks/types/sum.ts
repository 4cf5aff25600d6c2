import { z } from 'zod';
import { Pattern } from '../pattern.js';
import { introducerSchema } from '../introducer.js';
import { abs, dec, lt, shift, sub } from '../../figures/decimal.js';
import type { Figure } from '../../figures/types.js';
import { type Breakdown, findBreakdowns, partsInterval } from '../breakdowns.js';
import { isLevelAmount, type RuleContext } from '../context.js';
import { inUnitOf, printed, sumCalculations, nameOf } from '../format.js';
import { intersects, intervalOf, judge, type Reading } from '../interval.js';
import { defineRuleType } from '../rule-type.js';
import { compiled } from '../regex.js';

const NamedSchema = z.object({
  /** RegExp source matched against a figure's label. */
  total: Pattern,
  parts: z.array(Pattern).min(2),
});

const Options = z.discriminatedUnion('select', [
  z.object({ select: z.literal('introducer'), introducers: z.array(introducerSchema('auto')).min(1) }),
  z.object({ select: z.literal('concepts'), sums: z.array(NamedSchema).min(1) }),
]);

function truncatedTotal(ctx: RuleContext, total: Figure, parts: readonly Figure[]): boolean {
  if (!parts.some((p) => p.decimals > total.decimals)) return false;
  const excess = sub(partsInterval(ctx, parts, 'exact', false).lo!, intervalOf(total, 'exact', ctx.precision).lo!);
  return excess.units >= 0n && lt(excess, shift(dec(1), total.power - total.decimals));
}

function checkLevels(ctx: RuleContext, b: Breakdown): void {
  const { total, parts } = b;
  if (b.overlapping) return;
  const holds = (reading: Reading): boolean => {
    const t = intervalOf(total, reading, ctx.precision);
    const s = partsInterval(ctx, parts, reading, false);
    if (b.relation === 'equal') return intersects(t, s);
    // one part "其中": it may not exceed the total
    return intersects({ lo: null, hi: t.hi }, s);
  };
  const judged = judge(holds);
  // "合计328,661万元" over parts that add to 328,661.79: a total printed with fewer decimals than its parts may be
  // truncated, not rounded, so parts up to one unit of its last printed digit above it are not evidence of a slip
  const verdict = judged === 'fail' && truncatedTotal(ctx, total, parts) ? 'uncertain' : judged;
  ctx.tally(verdict, [total, ...parts]);
  if (verdict === 'exact' || verdict === 'rounding') return;
  const computed = partsInterval(ctx, parts, 'exact', false).lo!;
  const stated = intervalOf(total, 'exact', ctx.precision).lo!;
  const computedText = inUnitOf(computed, total, ctx.precision);
  const calculations = sumCalculations(parts, total, computedText, `${b.relation === 'equal' ? '≠' : '>'} ${printed(total)}`);
  const data = {
    totalLabel: nameOf(total),
    totalText: total.text,
    partLabel: nameOf(parts[0]!),
    partText: parts[0]!.text,
    n: parts.length,
    computed: computedText,
    diff: inUnitOf(abs(sub(computed, stated)), total, ctx.precision),
    unit: total.unit,
    calculation: calculations.inMessage,
  };
  // one "其中" part may not exceed its total; several main items (主要内容如下) together may not either
  const onePart = b.relation === 'atMost' && parts.length === 1;
  const common = {
    // a total with its introduced list (其中：…) is structure; a breakdown assembled from labels is a pairing
    evidence: b.introducerText && !b.totalByLabel ? ('structure' as const) : ('label' as const),
    primary: onePart ? parts[0]! : total,
    figures: [total, ...parts],
    expected: onePart ? `≤ ${printed(total)}` : b.relation === 'atMost' ? `≥ ${computedText}` : computedText,
    actual: onePart ? printed(parts[0]!) : printed(total),
    calculation: calculations.full,
  };
  if (verdict === 'uncertain') ctx.report({ ...common, messageId: 'uncertain', data, severity: 'info' });
  else ctx.report({ ...common, messageId: b.relation === 'equal' ? 'sumMismatch' : parts.length > 1 ? 'partsExceedTotal' : 'partExceedsTotal', data });
}

/** Named breakdowns (基本支出 + 项目支出 = 总支出) within one block, when nothing else is listed beside them. */
function namedBreakdowns(ctx: RuleContext, sums: z.infer<typeof NamedSchema>[]): Breakdown[] {
  const out: Breakdown[] = [];
  for (const spec of sums) {
    const totalRe = compiled(spec.total, 'u');
    const partRes = spec.parts.map((p) => compiled(p, 'u'));
    for (const [, figures] of ctx.byBlock) {
      const levels = figures.filter(isLevelAmount);
      for (const total of levels.filter((f) => totalRe.test(f.label))) {
        const after = levels.filter((f) => f.start > total.start && (!total.stage || !f.stage || f.stage === total.stage));
        const parts = partRes.map((re) => after.find((f) => re.test(f.label)));
        if (parts.some((p) => !p)) continue;
        const chosen = parts as Figure[];
        const lastEnd = Math.max(...chosen.map((p) => p.start));
        // Another amount among the parts may be a third part the spec does not name: not assessable.
        const between = after.filter((f) => f.start < lastEnd && !chosen.includes(f));
        if (between.length) continue;
        out.push({ introducerText: '', relation: 'equal', total, parts: chosen, partChanges: [], ofChanges: false });
      }
    }
  }
  return out;
}

export default defineRuleType({
  type: 'sum',
  meta: {
    description: 'A stated total equals the sum of its listed parts; a single "其中" part does not exceed it.',
    messages: {
      sumMismatch: '{{totalLabel}}{{totalText}}与所列{{n}}项分项合计{{computed}}{{unit}}不一致（差{{diff}}{{unit}}）：{{calculation}}',
      partsExceedTotal: '所列{{n}}项合计{{computed}}{{unit}}超过总数{{totalLabel}}{{totalText}}（超出{{diff}}{{unit}}）：{{calculation}}',
      partExceedsTotal: '“其中”分项{{partLabel}}{{partText}}超过总数{{totalLabel}}{{totalText}}',
      uncertain: '{{totalLabel}}{{totalText}}与分项合计{{computed}}{{unit}}仅在按各数字自身位数取整时相符，请核实：{{calculation}}',
    },
    options: Options,
  },
  check(ctx, options) {
    const breakdowns = options.select === 'introducer' ? findBreakdowns(ctx, options.introducers) : namedBreakdowns(ctx, options.sums);
    // Breakdowns of a change (比上年减少…，其中：…) are the change rule's.
    for (const b of breakdowns) if (!b.ofChanges) checkLevels(ctx, b);
  },
});
