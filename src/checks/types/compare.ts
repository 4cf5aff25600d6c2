import { z } from 'zod';
import { Pattern } from '../pattern.js';
import type { Figure } from '../../figures/types.js';
import { printed } from '../format.js';
import { intervalOf, judge, type Reading } from '../interval.js';
import { le } from '../../figures/decimal.js';
import { defineRuleType } from '../rule-type.js';
import { compiled } from '../regex.js';

const Options = z.object({
  /** RegExp sources matched against figure labels: left ≤ right must hold. */
  left: Pattern,
  right: Pattern,
  kind: z.enum(['amount', 'count']).default('amount'),
  leftName: z.string().min(1),
  rightName: z.string().min(1),
});

/** The nearest right-hand figure to `left`, preferring the same paragraph. */
function partner(left: Figure, candidates: readonly Figure[]): Figure | undefined {
  const sameBlock = candidates.filter((f) => f.block === left.block);
  const pool = sameBlock.length ? sameBlock : candidates;
  return [...pool].sort((a, b) => Math.abs(a.start - left.start) - Math.abs(b.start - left.start))[0];
}

export default defineRuleType({
  type: 'compare',
  meta: {
    description: 'Ordering facts between named figures (小微企业 ≤ 中小企业; 实有人数 ≤ 编制数).',
    messages: {
      exceeds: '{{leftName}}{{leftText}}超过{{rightName}}{{rightText}}',
    },
    options: Options,
  },
  check(ctx, options) {
    const leftRe = compiled(options.left, 'u');
    const rightRe = compiled(options.right, 'u');
    const usable = (f: Figure) => f.kind === options.kind && !f.direction && !f.baseline;
    const rights = ctx.figures.filter((f) => usable(f) && rightRe.test(f.label));
    for (const left of ctx.figures.filter((f) => usable(f) && leftRe.test(f.label))) {
      const right = partner(left, rights);
      if (!right || right === left || (left.stage && right.stage && left.stage !== right.stage)) continue;
      const holds = (r: Reading) => {
        const l = intervalOf(left, r, ctx.precision);
        const h = intervalOf(right, r, ctx.precision);
        return l.lo === null || h.hi === null || le(l.lo, h.hi);
      };
      const verdict = judge(holds);
      ctx.tally(verdict, [left, right]);
      if (verdict === 'exact' || verdict === 'rounding') continue;
      ctx.report({ evidence: 'label',
        messageId: 'exceeds',
        severity: verdict === 'uncertain' ? 'info' : undefined,
        data: { leftName: options.leftName, leftText: left.text, rightName: options.rightName, rightText: right.text },
        primary: left,
        figures: [left, right],
        expected: `≤ ${printed(right)}`,
        actual: printed(left),
        calculation: `${left.text} > ${right.text}`,
      });
    }
  },
});
