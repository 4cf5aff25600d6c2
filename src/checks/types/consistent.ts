import { z } from 'zod';
import { isHeading } from '../../outline.js';
import { Pattern } from '../pattern.js';
import { introducerSchema } from '../introducer.js';
import type { Figure } from '../../figures/types.js';
import { findBreakdowns, type Introducer } from '../breakdowns.js';
import { isLevelAmount, itemNumber, type RuleContext } from '../context.js';
import { printed, nameOf } from '../format.js';
import { intersects, intervalOf, judge, type Reading } from '../interval.js';
import { defineRuleType } from '../rule-type.js';
import { labelSimilarity } from '../similarity.js';
import { compiled } from '../regex.js';

const Options = z.discriminatedUnion('match', [
  /** A listed item (具体为：A 9万元，B 30万元…) against the numbered paragraph that details it (1、…A…9万元). */
  z.object({
    match: z.literal('summary-detail'),
    introducers: z.array(introducerSchema('equal')).min(1),
    minSimilarity: z.number().min(0).max(1).default(0.5),
    positionBonus: z
      .number()
      .min(0)
      .max(1)
      .default(0.25)
      .describe('Added to the label similarity of the detail paragraph at the item\'s own position when the list and the paragraphs align one to one.'),
  }),
  /** The same named item, at the same stage and year, stated twice with different values. */
  z.object({
    match: z.literal('same-item'),
    minKeyLength: z.number().int().positive().default(4),
    /** Keys too generic to identify one item (合计, 其他支出 …), as a RegExp source. */
    // a head noun with words that say how the money stands (涉及资金, 项目资金, 到位资金, 资金总额) names no item:
    // "12个项目涉及资金186.00万元" and "该项目涉及资金1126.40万元" are two things
    // an anaphoric name (该项支出, 此项经费, 上述资金) points back at whichever item was last spoken of: no item's name
    genericKeys: Pattern.default('^(?:该|此|上述|前述|以上|上列)|^(?:合计|总计|小计|其他)$|^(?:涉及|专项|安排|投入|使用|到位|下达|拨付|落实|评价|自评|监控)?(?:资金|经费|金额|预算|决算|支出|收入)(?:总额|总量|合计|总计|规模)?$|^项目(?:资金|经费|金额)(?:总额)?$'),
  }),
]);

type Ctx = RuleContext;

function differs(ctx: Ctx, a: Figure, b: Figure): boolean {
  if (a.bound || b.bound) return false;
  const verdict = judge((r: Reading) => intersects(intervalOf(a, r, ctx.precision), intervalOf(b, r, ctx.precision)));
  ctx.tally(verdict, [a, b]);
  return verdict === 'fail';
}

function report(ctx: Ctx, first: Figure, second: Figure, sameBasis: boolean): void {
  ctx.report({ evidence: 'label',
    messageId: sameBasis ? 'valueMismatch' : 'valueMismatchQualified',
    severity: sameBasis ? undefined : 'warning',
    data: {
      label: nameOf(first),
      first: first.text,
      second: second.text,
      firstBasis: first.stage ? stageName(first) : '未注明',
      secondBasis: second.stage ? stageName(second) : '未注明',
    },
    primary: first,
    figures: [first, second],
    expected: printed(second),
    actual: printed(first),
    calculation: `${first.text} ≠ ${second.text}`,
  });
}

function stageName(f: Figure): string {
  return { 'budget-initial': '年初预算', 'budget-adjusted': '调整预算', budget: '预算', final: '决算', actual: '实际' }[f.stage!];
}

/** Numbered paragraphs 1、2、3 … after `block` in the same section, with their first amount. */
function detailParagraphs(ctx: Ctx, block: number): Figure[][] {
  const out: Figure[][] = [];
  for (let b = block + 1; b < ctx.doc.blocks.length; b++) {
    const span = ctx.doc.blocks[b]!;
    const text = ctx.doc.text.slice(span.start, span.end);
    if (isHeading(text)) break;
    const n = itemNumber(text);
    if (n === null) continue;
    if (n !== out.length + 1) break;
    out.push((ctx.byBlock.get(b) ?? []).filter(isLevelAmount));
  }
  return out;
}

function summaryDetail(ctx: Ctx, options: { introducers: Introducer[]; minSimilarity: number; positionBonus: number }) {
  for (const b of findBreakdowns(ctx, options.introducers)) {
    if (b.parts.length < 2) continue;
    const details = detailParagraphs(ctx, b.parts[0]!.block);
    if (details.length < b.parts.length) continue;
    b.parts.forEach((part, i) => {
      // the detail paragraph that names the item best; by position when the list and the paragraphs align
      let best: { score: number; figure: Figure } | undefined;
      details.forEach((amounts, j) => {
        for (const f of amounts.slice(0, 3)) {
          const score = labelSimilarity(part.key, f.key) + (i === j && details.length === b.parts.length ? options.positionBonus : 0);
          if (!best || score > best.score) best = { score, figure: f };
        }
      });
      if (!best || best.score < options.minSimilarity) return;
      const detail = best.figure;
      if (differs(ctx, part, detail)) report(ctx, part, detail, part.stage === detail.stage);
    });
  }
}

const LIST_OPENER = /具体为|具体是|分别为|分别是|其中|包括|主要用于|以下方面/;

/** Whether the figure is an item of a list its sentence opens before it. */
function inList(ctx: Ctx, f: Figure): boolean {
  const s = ctx.doc.sentences[f.sentence];
  return s !== undefined && LIST_OPENER.test(ctx.doc.text.slice(s.start, f.start));
}

function sameItem(ctx: Ctx, options: { minKeyLength: number; genericKeys: string }) {
  const generic = compiled(options.genericKeys, 'u');
  const groups = new Map<string, Figure[]>();
  for (const f of ctx.figures) {
    if (!isLevelAmount(f) || f.bound || f.key.length < options.minKeyLength || generic.test(f.key)) continue;
    // an item named without a year is the report's own year
    const id = `${f.key}|${f.stage ?? ''}|${f.labelYear ?? ctx.fiscalYear ?? ''}`;
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(f);
  }
  for (const mentions of groups.values()) {
    const first = mentions[0]!;
    // two items of two lists (城乡社区支出 among the 一般公共预算 items and among the 政府性基金 items) are two
    // things of one name; an item restated on its own is the same thing
    const other = mentions.find((m) => m.sentence !== first.sentence && !(inList(ctx, first) && inList(ctx, m)) && differs(ctx, first, m));
    if (other) report(ctx, other, first, true);
  }
}

export default defineRuleType({
  type: 'consistent',
  meta: {
    description: 'One item keeps one value wherever the report states it.',
    messages: {
      valueMismatch: '{{label}}前后不一致：{{first}}与{{second}}',
      valueMismatchQualified: '{{label}}前后不一致：{{first}}（{{firstBasis}}）与{{second}}（{{secondBasis}}），口径不同，请核实是否含年中追加或调整',
    },
    options: Options,
  },
  check(ctx, options) {
    if (options.match === 'summary-detail') summaryDetail(ctx, options);
    else sameItem(ctx, options);
  },
});
