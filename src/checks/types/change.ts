import { z } from 'zod';
import { introducerSchema } from '../introducer.js';
import { abs, sub } from '../../figures/decimal.js';
import type { Figure } from '../../figures/types.js';
import { findBreakdowns } from '../breakdowns.js';
import type { RuleContext } from '../context.js';
import { inUnitOf, printed, sumCalculations, nameOf } from '../format.js';
import { intersects, intervalOf, judge, type Reading, sumIntervals } from '../interval.js';
import { defineRuleType } from '../rule-type.js';

const Options = z.object({
  introducers: z.array(introducerSchema('auto')).min(1),
});

/** The stated change of a total against the net of its parts' stated changes (−54.2 + 53.81 − 60.14 vs −63.96). */
function checkNet(ctx: RuleContext, total: Figure, parts: readonly Figure[], related: readonly Figure[]): void {
  const holds = (reading: Reading): boolean =>
    intersects(
      intervalOf(total, reading, ctx.precision, true),
      sumIntervals(parts.map((p) => intervalOf(p, reading, ctx.precision, true))),
    );
  const verdict = judge(holds);
  ctx.tally(verdict, [total, ...parts]);
  if (verdict === 'exact' || verdict === 'rounding') return;
  const net = sumIntervals(parts.map((p) => intervalOf(p, 'exact', ctx.precision, true))).lo!;
  const stated = intervalOf(total, 'exact', ctx.precision, true).lo!;
  const netText = inUnitOf(net, total, ctx.precision);
  const calculation = sumCalculations(parts, total, netText, `≠ ${printed(total, true)}`, true);
  ctx.report({ evidence: 'structure',
    messageId: verdict === 'uncertain' ? 'uncertain' : 'netMismatch',
    severity: verdict === 'uncertain' ? 'info' : undefined,
    data: {
      totalLabel: nameOf(total),
      totalText: total.text,
      net: netText,
      unit: total.unit,
      diff: inUnitOf(abs(sub(net, stated)), total, ctx.precision),
      calculation: calculation.inMessage,
    },
    primary: total,
    figures: [total, ...parts, ...related],
    expected: netText,
    actual: printed(total, true),
    calculation: calculation.full,
  });
}

export default defineRuleType({
  type: 'change',
  meta: {
    description: "A total's stated change equals the net of its parts' stated changes.",
    messages: {
      netMismatch: '{{totalLabel}}增减变动{{totalText}}与各分项增减净额{{net}}{{unit}}不一致（差{{diff}}{{unit}}）：{{calculation}}',
      uncertain: '{{totalLabel}}增减变动{{totalText}}与各分项增减净额{{net}}{{unit}}仅在按各数字自身位数取整时相符，请核实：{{calculation}}',
    },
    options: Options,
  },
  check(ctx, options) {
    for (const b of findBreakdowns(ctx, options.introducers)) {
      if (b.ofChanges) {
        if (b.parts.length >= 2) checkNet(ctx, b.total, b.parts, []);
        continue;
      }
      if (!b.totalChange || b.relation !== 'equal') continue;
      // A part with no stated change counts only when its level is nil (因公出国费0万元): nothing to change.
      const changes: Figure[] = [];
      let assessable = true;
      b.parts.forEach((part, i) => {
        const change = b.partChanges[i];
        if (change) changes.push(change);
        else if (part.value.units !== 0n) assessable = false;
      });
      if (assessable && changes.length >= 2) checkNet(ctx, b.totalChange, changes, [b.total, ...b.parts]);
    }
  },
});
