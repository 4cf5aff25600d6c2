import { z } from 'zod';
import { isHeading } from '../../outline.js';
import { Pattern } from '../pattern.js';
import { introducerSchema } from '../introducer.js';
import { toPlain } from '../../figures/decimal.js';
import type { Figure } from '../../figures/types.js';
import { findBreakdowns, type Introducer } from '../breakdowns.js';
import { isLevelAmount, itemNumber, type RuleContext } from '../context.js';
import { printed, nameOf } from '../format.js';
import { changeOperands, comparedStage, elidedSubject, opensWithComparison, semicolonBefore, stageFamily, stageFamilyOf, documentFamily } from '../operands.js';
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
  /** One level (the same amount at the same stage) said to have changed against the same base by two amounts. */
  z.object({
    match: z.literal('same-change'),
    /** Digits a level needs, trailing zeros left out, to name one item by its amount (50.00 may be anything's). */
    minDigits: z.number().int().positive().default(5),
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

const LIST_HEAD = /(?:其中|包括|具体为|分别为|如下)\s*[:：]?\s*$/u;

/** The last level amount with a stage among the figures, or none. */
const lastStaged = (figures: readonly Figure[] | undefined): Figure | undefined => figures?.filter((g) => isLevelAmount(g) && g.stage).pop();

/**
 * The total whose 其中 list an item stands in, when that total names a stage: "全年预算4,128.36万元。其中：基本支出
 * 1,356.20万元" lists a budget, "全年实际支出3,951.47万元。其中：\n1.基本支出1,341.08万元" an outturn, "2026年…预算安排
 * 90,000.00元，其中公务用车运行维护费60,000.00元" next year's budget. The total stands before the list's 其中 in the
 * item's sentence or the sentence before; for numbered items, in the line that opens the list.
 */
function listTotal(ctx: Ctx, f: Figure): Figure | undefined {
  const sentence = ctx.doc.sentences[f.sentence];
  if (!sentence) return undefined;
  const opener = ctx.doc.text.slice(sentence.start, f.start).lastIndexOf('其中');
  if (opener >= 0) {
    const before = (ctx.bySentence.get(f.sentence) ?? []).filter((g) => g.start < sentence.start + opener);
    return before.length ? lastStaged(before) : f.sentence > 0 ? lastStaged(ctx.bySentence.get(f.sentence - 1)) : undefined;
  }
  const blockText = (b: number) => {
    const span = ctx.doc.blocks[b];
    return span ? ctx.doc.text.slice(span.start, span.end) : '';
  };
  if (itemNumber(blockText(f.block)) === null) return undefined;
  let b = f.block - 1;
  while (b >= 0 && itemNumber(blockText(b)) !== null) b--;
  return b >= 0 && LIST_HEAD.test(blockText(b).trim()) ? lastStaged(ctx.byBlock.get(b)) : undefined;
}

/**
 * The period of an item's money: its own stage, and its own year else that of the total it is listed under; with
 * the stage it takes from that total (inherited), which tells apart two mentions that name none of their own.
 */
function periodOf(ctx: Ctx, f: Figure): { id: string; inherited?: string } {
  const total = f.stage && f.labelYear !== undefined ? undefined : listTotal(ctx, f);
  const inherited = f.stage ?? total?.stage;
  return { id: `${f.stage ?? ''}|${f.labelYear ?? total?.labelYear ?? ctx.fiscalYear ?? ''}`, ...(inherited ? { inherited } : {}) };
}

function sameItem(ctx: Ctx, options: { minKeyLength: number; genericKeys: string }) {
  const generic = compiled(options.genericKeys, 'u');
  const groups = new Map<string, Figure[]>();
  const inherited = new Map<Figure, string | undefined>();
  for (const f of ctx.figures) {
    if (!isLevelAmount(f) || f.bound || f.key.length < options.minKeyLength || generic.test(f.key)) continue;
    // an item named without a year is the report's own year
    const period = periodOf(ctx, f);
    inherited.set(f, period.inherited);
    const id = `${f.key}|${period.id}`;
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(f);
  }
  for (const mentions of groups.values()) {
    const first = mentions[0]!;
    // two items of two lists (城乡社区支出 among the 一般公共预算 items and among the 政府性基金 items) are two
    // things of one name; an item restated on its own is the same thing
    // the budget's 基本支出 and the outturn's, each listed under its own total, are two amounts; one named with no stage
    // is the document's own (a 决算 or an evaluation speaks of the outturn, a budget of the budget)
    const family = (m: Figure) => stageFamilyOf(inherited.get(m)) ?? documentFamily(ctx);
    const sameStage = (m: Figure) => family(m) === family(first);
    const other = mentions.find((m) => m.sentence !== first.sentence && sameStage(m) && !(inList(ctx, first) && inList(ctx, m)) && differs(ctx, first, m));
    if (other) report(ctx, other, first, true);
  }
}

/** Which side of the accounts a level's name is on; a 收、支 total (财政拨款收、支总计) is on both. */
function sideOf(label: string): 'income' | 'expenditure' | 'both' | undefined {
  if (/收\s*[、和与及]?\s*支/.test(label)) return 'both';
  if (/收入/.test(label)) return 'income';
  if (/支出/.test(label)) return 'expenditure';
  return undefined;
}

/**
 * The words before a level back to the figure before it in its "；"-segment: its whole name, where the label stops at
 * a 、 (财政拨款收、支总预算).
 */
function nameBefore(ctx: Ctx, f: Figure): string {
  const previous = (ctx.bySentence.get(f.sentence) ?? []).filter((g) => g.end <= f.start).pop();
  return ctx.doc.text.slice(Math.max(semicolonBefore(ctx, f), previous?.end ?? 0), f.numberStart);
}

/** The period a change is measured against: an explicit year (比2019年…) or, by default, the year before. */
function comparedYear(ctx: Ctx, change: Figure): string {
  const clause = ctx.doc.clauses[change.clause];
  const before = ctx.doc.text.slice(clause?.start ?? 0, change.numberStart);
  return /(?:比|较|与|同)\s*((?:19|20)\d{2})\s*年/.exec(before)?.[1] ?? 'previous';
}

/** The printed amount's significant digits, trailing zeros left out: 21,940.96 → 7, 50.00 → 1. */
const significantDigits = (f: Figure): number => f.text.replace(/[^\d]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;

/**
 * The level a change is said of in its own segment, when only the comparison stands between them (21,940.96万元，与上年
 * 相比增加…): in "提租补贴等3397.18万元、项目经费支出安排减少1134.33万元" the change has a subject of its own.
 */
function ownLevel(ctx: Ctx, change: Figure): Figure | undefined {
  const level = changeOperands(ctx, change).current;
  if (!level) return undefined;
  const between = ctx.doc.text.slice(level.end, change.numberStart).replace(/^[\s,;，；]+/, '');
  return opensWithComparison(between) ? level : undefined;
}

/**
 * A level and the change it is said to have made, read from the change's own segment (决算21,940.96万元，比上年增加
 * 3,958.98万元) or from the subject its sentence continues (…21,940.96万元。与上年相比增加…). The same amount at the same
 * stage and year, on the same side of the accounts, is one quantity wherever it is restated: against the same base it
 * changed by one amount. A budget restating its 财政拨款 total in several sections, each time with its change, is
 * where a retyped change shows.
 */
function sameChange(ctx: Ctx, options: { minDigits: number }) {
  const groups = new Map<string, { level: Figure; change: Figure }[]>();
  for (const change of ctx.figures) {
    if (change.kind !== 'amount' || !change.direction || change.direction === 'flat' || change.cell || change.bound) continue;
    const level = ownLevel(ctx, change) ?? elidedSubject(ctx, change)?.level;
    if (!level || level.cell || level.bound || !level.yuan || significantDigits(level) < options.minDigits) continue;
    const id = `${toPlain(level.yuan)}|${stageFamily(level) ?? ''}|${comparedStage(ctx, change) ?? ''}|${comparedYear(ctx, change)}`;
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push({ level, change });
  }
  for (const mentions of groups.values()) {
    const first = mentions[0]!;
    const side = sideOf(nameBefore(ctx, first.level));
    // 收入 and 支出 of equal amounts are two quantities whose changes may differ (a carry-over in one year only)
    const sameSide = (m: { level: Figure }) => {
      const other = sideOf(nameBefore(ctx, m.level));
      return side === other || side === 'both' || other === 'both' || side === undefined || other === undefined;
    };
    // a level named without a year is the report's own year; one whose name lost its year (…年财政拨款收、支总预算) too
    const year = (m: { level: Figure }) => m.level.labelYear ?? ctx.fiscalYear;
    const sameYear = (m: { level: Figure }) => year(m) === undefined || year(first) === undefined || year(m) === year(first);
    const other = mentions.find((m) => m.level !== first.level && m.change.sentence !== first.change.sentence && sameSide(m) && sameYear(m) && differs(ctx, first.change, m.change));
    if (!other) continue;
    ctx.report({ evidence: 'label',
      messageId: 'changeMismatch',
      data: { label: nameOf(first.level), level: first.level.text, first: first.change.text, second: other.change.text },
      primary: other.change,
      figures: [other.change, first.change, other.level, first.level],
      expected: printed(first.change, true),
      actual: printed(other.change, true),
      calculation: `${first.level.text}：${printed(first.change, true)} ≠ ${printed(other.change, true)}`,
    });
  }
}

export default defineRuleType({
  type: 'consistent',
  meta: {
    description: 'One item keeps one value (and one change) wherever the report states it.',
    messages: {
      valueMismatch: '{{label}}前后不一致：{{first}}与{{second}}',
      changeMismatch: '{{label}}{{level}}的增减额前后不一致：一处为{{first}}，另一处为{{second}}，请核实',
      valueMismatchQualified: '{{label}}前后不一致：{{first}}（{{firstBasis}}）与{{second}}（{{secondBasis}}），口径不同，请核实是否含年中追加或调整',
    },
    options: Options,
  },
  check(ctx, options) {
    if (options.match === 'summary-detail') summaryDetail(ctx, options);
    else if (options.match === 'same-change') sameChange(ctx, options);
    else sameItem(ctx, options);
  },
});
