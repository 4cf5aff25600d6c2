import { z } from 'zod';
import { Pattern } from '../pattern.js';
import { introducerSchema } from '../introducer.js';
import { dec, divRound, le, sub, toFixed } from '../../figures/decimal.js';
import { analyseLabel } from '../../figures/label.js';
import type { Figure } from '../../figures/types.js';
import { type Breakdown, closingParen, findBreakdowns } from '../breakdowns.js';
import { type Evidence, isLevelAmount, type RuleContext } from '../context.js';
import { printed, nameOf } from '../format.js';
import { documentFamily, isPriorLevel, stageFamily } from '../operands.js';
import { intersects, intervalOf, judge, point, ratioMeets, type Reading, statedInterval, sumIntervals } from '../interval.js';
import { lowVerdict } from '../verdict-message.js';
import { effectiveDecimals } from '../precision.js';
import { defineRuleType } from '../rule-type.js';
import { labelSimilarity, SAME_ITEM_SIMILARITY } from '../similarity.js';
import { compiled } from '../regex.js';

const Options = z.object({
  /** RegExp source matched against the text just before a percentage; group `base` names an explicit base. */
  marker: Pattern,
  /** Introducers whose totals serve as the base of the shares listed among their parts. */
  introducers: z.array(introducerSchema('auto')).default([]),
  /** Also check that the shares of a complete breakdown add up to 100%. */
  groupSumTo100: z.boolean().default(true),
  markerWindow: z
    .number()
    .int()
    .positive()
    .default(40)
    .describe('How many characters before a percentage (within its clause) the marker is looked for in.'),
  baseSimilarity: z
    .number()
    .min(0)
    .max(1)
    .default(SAME_ITEM_SIMILARITY)
    .describe('How alike (0..1) a label must be to the base a share names (占…的) or to the share\'s named subject.'),
});

type ShareOptions = z.output<typeof Options>;

interface Share {
  pct: Figure;
  part: Figure;
  base?: Figure;
  /** The base came from a breakdown whose parts add up to it, so the group's shares should total 100%. */
  complete?: boolean;
  /** How the base was found: stated (占…的), a breakdown's total, parts that add up to it → structure; a label → label. */
  evidence?: Evidence;
}

function ownStage(ctx: RuleContext, f: Figure): string {
  return stageFamily(f) ?? documentFamily(ctx);
}

/**
 * The explicit base "占<政府采购支出总额>的91.31%": a level amount with that label. Where the report states the
 * item at several stages (支出决算2,355.69万元，年初预算1,980.00万元), the base is the one at the parts' own stage
 * — a 决算 part is a share of the 决算 — and among those the one the shares' parts add up to, else the nearest.
 */
function explicitBase(ctx: RuleContext, options: ShareOptions, baseText: string, pct: Figure, parts: readonly Figure[] = []): Figure | undefined {
  const wanted = analyseLabel(baseText);
  if (!wanted.key) return undefined;
  let candidates = ctx.figures.filter((f) => isLevelAmount(f) && labelSimilarity(wanted.key, f.key) >= options.baseSimilarity && (!wanted.stage || !f.stage || f.stage === wanted.stage));
  const stage = parts[0] ? ownStage(ctx, parts[0]) : undefined;
  if (!wanted.stage && stage) candidates = candidates.filter((f) => ownStage(ctx, f) === stage);
  if (parts.length >= 2) {
    const sum = sumIntervals(parts.map((p) => intervalOf(p, 'effective', ctx.precision)));
    const addsUp = candidates.filter((c) => intersects(intervalOf(c, 'effective', ctx.precision), sum));
    if (addsUp.length) candidates = addsUp;
  }
  // the base is stated before its share's part ("本年支出12,790.55万元…城乡社区支出9,876.40万元，占本年支出的…": not
  // the part itself, nor an item between), and at the share's own period: 较上年3,782.40万元 is no 总支出 of this
  // year unless the share names last year (占上年…的)
  const ofLastYear = /上年|上一年|去年/.test(baseText);
  const subjectStart = Math.min(pct.start, ...parts.map((p) => p.start));
  const before = candidates.filter((f) => f.start < subjectStart && (ofLastYear || !isPriorLevel(f, ctx.fiscalYear)));
  return before[before.length - 1];
}

function checkShare(ctx: RuleContext, s: Share, base: Figure, evidence: Evidence): void {
  const scale = dec(s.pct.unit === '‰' ? 1000 : 100);
  const holds = (reading: Reading) =>
    ratioMeets(intervalOf(s.part, reading, ctx.precision), intervalOf(base, reading, ctx.precision), statedInterval(s.pct, reading, ctx.precision), scale);
  const verdict = judge(holds, { tail: true, strict: ctx.strictRounding });
  ctx.tally(verdict, [s.pct, s.part, base]);
  if (verdict === 'exact' || verdict === 'rounding') return;
  const decimals = effectiveDecimals(ctx.precision, s.pct);
  const computed = toFixed(divRound({ units: s.part.yuan!.units * scale.units, scale: s.part.yuan!.scale }, base.yuan!, decimals), decimals);
  const data = {
    partLabel: nameOf(s.part),
    partText: s.part.text,
    // a base stated inside its share (占调整预算1,412.75万元的…) carries the 占 in its label
    baseLabel: nameOf(base).replace(/^占/u, ''),
    baseText: base.text,
    computed,
    stated: printed(s.pct),
    sign: s.pct.unit,
  };
  ctx.report({
    evidence,
    ...lowVerdict(verdict, { uncertain: 'uncertain', tail: 'shareTail', fail: 'shareMismatch' }),
    data,
    primary: s.pct,
    figures: [s.pct, s.part, base],
    expected: computed,
    actual: printed(s.pct),
    calculation: `${s.part.text} ÷ ${base.text} = ${computed}${s.pct.unit} ≠ ${s.pct.text}`,
  });
}

/**
 * The shares of one base taken together: a complete breakdown's shares total 100% (`exactly`); disjoint shares
 * stated without their amounts, whose list may be incomplete, cannot exceed it (`atMost`).
 */
function checkShareTotal(ctx: RuleContext, percents: Figure[], parts: Figure[], relation: 'exactly' | 'atMost'): void {
  if (percents.some((p) => p.unit !== '%' || p.bound)) return;
  const hundred = dec(100);
  const verdict = judge((reading) => {
    const total = sumIntervals(percents.map((p) => intervalOf(p, reading, ctx.precision)));
    return relation === 'exactly' ? intersects(point(hundred), total) : total.lo === null || le(total.lo, hundred);
  });
  ctx.tally(verdict, [...percents, ...parts]);
  if (verdict === 'exact' || verdict === 'rounding') return;
  const total = sumIntervals(percents.map((p) => intervalOf(p, 'exact', ctx.precision))).lo!;
  const decimals = Math.max(...percents.map((p) => effectiveDecimals(ctx.precision, p)));
  const totalText = toFixed(total, decimals);
  ctx.report({
    // a complete breakdown's shares are structure; shares listed without their amounts may be an incomplete list
    evidence: relation === 'exactly' ? 'structure' : 'label',
    messageId: verdict === 'uncertain' ? 'uncertain100' : relation === 'exactly' ? 'sharesNot100' : 'sharesOver100',
    severity: verdict === 'uncertain' ? 'info' : undefined,
    data: { sum: totalText, diff: toFixed(sub(total, hundred), decimals), n: percents.length },
    primary: percents[percents.length - 1]!,
    figures: [...percents, ...parts],
    expected: relation === 'exactly' ? '100' : '≤ 100',
    actual: totalText,
    calculation: `${percents.map((p) => printed(p)).join(' + ')} = ${totalText} ${relation === 'exactly' ? '≠' : '>'} 100`,
  });
}

/**
 * "A和B分别为310万元和200万元，分别占支出合计的60.78%和39.22%": shares stated respectively pair with the amounts in
 * order. The percentages are the run that follows 分别占…的 (joined by 、 和 及 与 ,), the amounts the same number of
 * level amounts just before it in the sentence; when the counts cannot be matched nothing is paired (and nothing
 * said). Returns the shares, the percentages it consumed included.
 */
function respectively(ctx: RuleContext, pct: Figure, markerStart: number): { shares: Share[]; consumed: Figure[] } | undefined {
  const text = ctx.doc.text;
  if (!/分别\s*$/.test(text.slice(Math.max(0, markerStart - 4), markerStart))) return undefined;
  const sentenceFigures = ctx.bySentence.get(pct.sentence) ?? [];
  const percents = [pct];
  for (const f of ctx.figures) {
    const last = percents[percents.length - 1]!;
    if (f.start <= last.start || f.sentence !== pct.sentence) continue;
    if (f.kind !== 'percent' || !/^\s*(?:[、,和及与]|以及)\s*$/.test(text.slice(last.end, f.numberStart))) break;
    percents.push(f);
  }
  const amounts = sentenceFigures.filter((f) => f.end <= markerStart && f.kind === 'amount');
  const run = amounts.slice(-percents.length);
  if (percents.length < 2 || run.length !== percents.length || !run.every(isLevelAmount)) return undefined;
  return { shares: run.map((part, i) => ({ pct: percents[i]!, part })), consumed: percents };
}

/**
 * The figure a share is of: the nearest amount (or percentage) before 占 — but not one inside parentheses that close
 * before it ("基本支出498.65万元（人员经费421.80万元、公用经费76.85万元），占67.84%" is 基本支出's share), and, where
 * the words before 占 name another item ("…公用经费55.61万元，人员经费占基本支出的87%"), the figure of that name; a
 * name that no figure of the sentence carries leaves the share without a subject.
 */
function subjectOf(ctx: RuleContext, options: ShareOptions, sentenceFigures: readonly Figure[], markerStart: number): Figure | undefined {
  const text = ctx.doc.text;
  // a figure inside parentheses that close before the marker is an aside, not the share's subject
  const candidates = sentenceFigures.filter((f) => (f.kind === 'amount' || f.kind === 'percent') && f.end <= markerStart && closingParen(text, f.end, markerStart) === markerStart);
  const nearest = candidates[candidates.length - 1];
  if (!nearest) return undefined;
  const gap = text.slice(nearest.end, markerStart);
  const name = /[,;]\s*([\p{Script=Han}“”"]{2,20})\s*$/u.exec(gap)?.[1];
  if (!name || /^(?:分别|合计|共计|其中|均|各|约|仅|达|共)/u.test(name)) return nearest;
  const key = analyseLabel(name).key;
  const byName = candidates.filter((f) => f.kind === 'amount' && labelSimilarity(key, f.key) >= options.baseSimilarity);
  return byName[byName.length - 1];
}

/** The level amounts of the shares' sentence before their first part, other than the parts. */
function leadsOf(ctx: RuleContext, shares: readonly Share[]): Figure[] {
  const first = shares[0]!;
  return (ctx.bySentence.get(first.pct.sentence) ?? []).filter((f) => isLevelAmount(f) && f.start < first.part.start && !shares.some((s) => s.part === f));
}

/** The one leading level amount that two or more parts add up to: their total by the arithmetic. */
function leadingSum(ctx: RuleContext, shares: readonly Share[]): Figure | undefined {
  if (shares.length < 2) return undefined;
  const sum = sumIntervals(shares.map((s) => intervalOf(s.part, 'effective', ctx.precision)));
  const addsUp = leadsOf(ctx, shares).filter((l) => intersects(intervalOf(l, 'effective', ctx.precision), sum));
  return addsUp.length === 1 ? addsUp[0] : undefined;
}

/**
 * The sentence's leading level amount, before every share in it (总支出276.10万元，基本支出…占…；项目支出…占…).
 * Where several lead the shares (政府采购预算938.40万元，实际采购金额904.31万元，货物采购…占…), the one the parts add
 * up to; failing that, the only one at the parts' stage; else the base is unknown.
 */
function leadingTotal(ctx: RuleContext, shares: Share[]): Figure | undefined {
  const first = shares[0]!;
  const leads = leadsOf(ctx, shares);
  if (leads.length <= 1) return leads[0];
  const addsUp = leadingSum(ctx, shares);
  if (addsUp) return addsUp;
  const atStage = leads.filter((l) => ownStage(ctx, l) === ownStage(ctx, first.part));
  return atStage.length === 1 ? atStage[0] : undefined;
}

/**
 * A list of one share a line ("按支出功能分类，主要用于以下方面：" then "一般公共服务支出1512.36万元，占76.95%；" in
 * one block, the next item in the next): each line alone has no total, the run of lines is one breakdown, whose base
 * is the earlier total its parts add up to (totalOfParts). Sentences of one share each, without a level before it,
 * in consecutive blocks, are joined into one group; every other group stays as it is.
 */
function withListRuns(ctx: RuleContext, groups: Share[][]): Share[][] {
  const listLine = (g: Share[]) => g.length === 1 && !g[0]!.base && leadsOf(ctx, g).length === 0;
  const out: Share[][] = [];
  let run: Share[] = [];
  const flush = () => {
    if (run.length) out.push(run.length >= 2 ? run : [run[0]!]);
    run = [];
  };
  for (const g of [...groups].sort((a, b) => a[0]!.pct.start - b[0]!.pct.start)) {
    if (!listLine(g)) {
      flush();
      out.push(g);
      continue;
    }
    const last = run[run.length - 1];
    if (last && g[0]!.part.block !== last.part.block + 1) flush();
    run.push(g[0]!);
  }
  flush();
  return out;
}

/** A stated amount in the same section that the shares' parts add up to (the breakdown's total stated earlier). */
function totalOfParts(ctx: RuleContext, shares: Share[]): Figure | undefined {
  const first = shares[0]!.part;
  const section = ctx.sectionOf[first.block];
  const sum = sumIntervals(shares.map((s) => intervalOf(s.part, 'effective', ctx.precision)));
  const candidates = ctx.figures.filter(
    (f) => isLevelAmount(f) && f.start < first.start && ctx.sectionOf[f.block] === section && !shares.some((s) => s.part === f),
  );
  for (let i = candidates.length - 1; i >= 0; i--) {
    const c = candidates[i]!;
    if (intersects(intervalOf(c, 'effective', ctx.precision), sum)) return c;
  }
  return undefined;
}

export default defineRuleType({
  type: 'share',
  meta: {
    description: 'A stated share (占X%) equals its part divided by its base; the shares of a complete breakdown total 100%.',
    messages: {
      shareMismatch: '{{partLabel}}{{partText}}占{{baseLabel}}{{baseText}}的比例应为{{computed}}{{sign}}，文中为{{stated}}{{sign}}',
      uncertain: '{{partLabel}}{{partText}}占{{baseLabel}}{{baseText}}的比例{{stated}}{{sign}}仅在按各数字自身位数取整时成立（按全文精度为{{computed}}{{sign}}），请核实',
      shareTail: '{{partLabel}}{{partText}}占{{baseLabel}}{{baseText}}的比例四舍五入为{{computed}}{{sign}}，文中为{{stated}}{{sign}}，末位差一个单位，属尾差（凑足100%或截尾所致），请核实',
      sharesNot100: '各分项占比合计{{sum}}%，不等于100%（差{{diff}}个百分点）',
      sharesOver100: '各分项占比合计{{sum}}%，超过100%（多{{diff}}个百分点）',
      uncertain100: '各分项占比合计{{sum}}%，仅在按各数字自身位数取整时等于100%，请核实',
    },
    options: Options,
  },
  check(ctx, options) {
    const marker = compiled(`(?:${options.marker})$`, 'u');
    const breakdowns: Breakdown[] = options.introducers.length ? findBreakdowns(ctx, options.introducers) : [];
    const bySentence = new Map<number, Share[]>();
    /** Percentages already paired by a 分别占 construct. */
    const paired = new Set<Figure>();
    /**
     * The base a sentence names for its first share ("A…，占一般公共预算财政拨款支出的89.52%；B…，占7.07%；…"): the
     * shares after it in the sentence that name none are of the same base.
     */
    const namedBase = new Map<number, Figure | null>();
    /** Shares stated without amounts ("工资福利支出占71.84%，商品和服务支出占21.37%…"), by sentence. */
    const bare = new Map<number, Figure[]>();
    for (const pct of ctx.figures) {
      if (pct.kind !== 'percent' || pct.pointChange || pct.direction || paired.has(pct)) continue;
      const clause = ctx.doc.clauses[pct.clause];
      const from = Math.max(clause?.start ?? 0, pct.start - options.markerWindow);
      const m = marker.exec(ctx.doc.text.slice(from, pct.numberStart));
      if (!m) continue;
      const markerStart = from + m.index;
      const sentenceFigures = ctx.bySentence.get(pct.sentence) ?? [];
      const both = respectively(ctx, pct, markerStart);
      if (both) {
        both.consumed.forEach((p) => paired.add(p));
        const statedBase = sentenceFigures.find((f) => f.start >= markerStart && f.end <= pct.start && isLevelAmount(f));
        // a total that leads the sentence and that its parts add up to ("预算180万元，其中：A120万元，B60万元，分别占
        // 项目预算的…") is the base by the arithmetic itself, whatever words name it
        const addsUp = statedBase ? undefined : leadingSum(ctx, both.shares);
        const base = statedBase ?? addsUp ?? (m.groups?.base ? explicitBase(ctx, options, m.groups.base, pct, both.shares.map((x) => x.part)) : leadingTotal(ctx, both.shares));
        if (base) for (const s of both.shares) if (s.part !== base) checkShare(ctx, s, base, statedBase || addsUp ? 'structure' : 'label');
        continue;
      }
      // the part stands before 占; an amount inside "占<base>的" is the base itself (占采购总额40万元的80%)
      const part = subjectOf(ctx, options, sentenceFigures, markerStart);
      const statedBase = sentenceFigures.find((f) => f.start >= markerStart && f.end <= pct.start && isLevelAmount(f));
      if ((!part || part.kind === 'percent') && !m.groups?.base) {
        if (!bare.has(pct.sentence)) bare.set(pct.sentence, []);
        bare.get(pct.sentence)!.push(pct);
      }
      if (!part || !isLevelAmount(part)) continue;
      const share: Share = { pct, part };
      if (m.groups?.base) {
        const base = statedBase ?? explicitBase(ctx, options, m.groups.base, pct, [part]);
        if (base && base !== part) checkShare(ctx, share, base, statedBase ? 'structure' : 'label');
        // the later shares of the sentence are of this base too, found or not (then their base is unknown): never
        // of this share's part, which a sentence's leading total would otherwise be
        namedBase.set(pct.sentence, base && base !== part ? base : null);
        continue; // an explicit base never falls back to another (占全市可航测面积的61%: base not stated)
      }
      const inBreakdown = breakdowns.find((b) => b.parts.includes(part));
      const named = namedBase.get(pct.sentence);
      if (!inBreakdown && named !== undefined) {
        if (named && named !== part) checkShare(ctx, share, named, 'label');
        continue;
      }
      if (inBreakdown) {
        share.base = inBreakdown.total;
        share.complete = inBreakdown.relation === 'equal';
        share.evidence = inBreakdown.introducerText ? 'structure' : 'label';
      }
      if (!bySentence.has(pct.sentence)) bySentence.set(pct.sentence, []);
      bySentence.get(pct.sentence)!.push(share);
    }
    for (const shares of withListRuns(ctx, [...bySentence.values()])) {
      // the sentence's leading total is a pairing by position in the sentence; an earlier amount that the parts
      // add up to is confirmed by the arithmetic itself
      const leading = leadingTotal(ctx, shares);
      const lead = leading ?? (shares.length >= 2 ? totalOfParts(ctx, shares) : undefined);
      const leadEvidence: Evidence = leading ? 'label' : 'structure';
      for (const s of shares) {
        if (!s.base && lead) Object.assign(s, { base: lead, evidence: leadEvidence });
        if (s.base && s.base.yuan && s.base.yuan.units > 0n) checkShare(ctx, s, s.base, s.evidence ?? 'label');
      }
      const base = shares[0]!.base;
      if (!options.groupSumTo100 || shares.length < 2 || !base || shares.some((s) => s.base !== base)) continue;
      // Only a complete breakdown's shares must total 100%: its parts must add up to the base.
      const partsMeet = intersects(intervalOf(base, 'effective', ctx.precision), sumIntervals(shares.map((s) => intervalOf(s.part, 'effective', ctx.precision))));
      if (partsMeet) checkShareTotal(ctx, shares.map((x) => x.pct), shares.map((x) => x.part), 'exactly');
    }
    for (const percents of bare.values()) if (percents.length >= 2) checkShareTotal(ctx, percents, [], 'atMost');
  },
});
