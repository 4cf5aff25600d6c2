import { z } from 'zod';
import { Pattern } from '../pattern.js';
import type { Figure } from '../../figures/types.js';
import type { RuleContext } from '../context.js';
import { currentChangeFollows } from '../operands.js';
import { defineRuleType } from '../rule-type.js';
import { compiled } from '../regex.js';

const Options = z.object({
  /** What follows a year when it names the period of the report's own money (2024年决算收入, 2024年度预算). */
  periodWords: Pattern,
  /** Nearby words that make another year legitimate (结转 from an earlier year, 以前年度, 截至). */
  exemptAfter: Pattern,
  exemptBefore: Pattern,
  /** A comparison baseline before the year (比2023年, 较上年, 与2023年度相比). */
  baselineBefore: Pattern,
  /** Document types whose period mentions may also name the year before (a budget quotes last year's execution). */
  priorYearAllowedIn: z.array(z.string()).default(['budget']),
  /**
   * Words before a mention of the next year, in its sentence, that make it a plan rather than the report's own money
   * (下一步将…并在2026年预算编制中, 力争2026年…). Outside a budget, a section whose heading names the next year's
   * budget or plan (五、2026年“三公”经费预算安排) is a plan too. A 决算 on 2025 may say what 2026 will spend;
   * "2027年预算安排" in a 2026 budget is a slip.
   */
  planWords: Pattern.default('力争|争取|将|拟|计划|预计|下一步|下一年|明年|今后'),
  planWindow: z
    .number()
    .int()
    .positive()
    .default(40)
    .describe('How many characters before a mention of the next year are read for plan words where its sentence is not known.'),
  afterWindow: z
    .number()
    .int()
    .positive()
    .default(14)
    .describe('How many characters after a year are read for its period words (exemptAfter reads the first 10 of them).'),
  beforeWindow: z
    .number()
    .int()
    .positive()
    .default(6)
    .describe('How many characters before a year are read for exemptBefore and baselineBefore.'),
});

export default defineRuleType({
  type: 'year',
  meta: {
    description: "Years that name the report's own period equal its fiscal year; comparison baselines name the year before.",
    messages: {
      periodYear: '{{text}}与报告年度{{fiscalYear}}年不一致：此处所述{{what}}应属{{fiscalYear}}年度',
      baselineYear: '比较基期{{text}}与报告年度{{fiscalYear}}年不符：应与上年（{{previous}}年）比较',
    },
    options: Options,
  },
  check(ctx, options) {
    const fy = ctx.fiscalYear;
    if (fy === undefined) return;
    const period = compiled(`^(?:度)?[\\p{Script=Han}“”"]{0,6}?(?:${options.periodWords})`, 'u');
    const exemptAfter = compiled(options.exemptAfter, 'u');
    const exemptBefore = compiled(`(?:${options.exemptBefore})$`, 'u');
    const baseline = compiled(`(?:${options.baselineBefore})\\s*$`, 'u');
    // a 三公 说明 of a budget (…2026年“三公”经费预算情况说明) quotes last year's execution as a budget does
    const priorAllowed = options.priorYearAllowedIn.includes(ctx.documentType) || ctx.documentStage === 'budget';
    const planBefore = compiled(`(?:${options.planWords})`, 'u');
    const text = ctx.doc.text;
    const nextYear = compiled(`${fy + 1}\\s*年`, 'u');
    /** A mention of the next year as a plan ("力争2026年…", a section on the 2026 budget). */
    const isPlan = (y: Figure): boolean => {
      if (Number(y.value.units) !== fy + 1) return false;
      const sentence = ctx.doc.sentences[y.sentence];
      if (planBefore.test(text.slice(sentence?.start ?? Math.max(0, y.start - options.planWindow), y.start))) return true;
      // a 决算 or an evaluation may close with next year's budget; a budget's own sections are of its own year
      if (ctx.documentType === 'budget') return false;
      const heading = ctx.doc.blocks[ctx.sectionOf[y.block] ?? -1];
      const title = heading ? text.slice(heading.start, heading.end) : '';
      return nextYear.test(title) && /预算|计划|规划|安排|目标/u.test(title) && !/决算/u.test(title);
    };
    for (const y of ctx.figures) {
      if (y.kind !== 'year') continue;
      const year = Number(y.value.units);
      const after = text.slice(y.end, y.end + options.afterWindow);
      const before = text.slice(Math.max(0, y.start - options.beforeWindow), y.start);
      if (exemptAfter.test(after.slice(0, 10)) || exemptBefore.test(before)) continue;
      if (isPlan(y)) continue;
      // a column header of a table typed as text (| 项目 | 2025年预算数 | 2024年决算数 |) names its column's year
      if (/^\s*\|/.test(text.slice(ctx.doc.blocks[y.block]?.start ?? y.start, y.start))) continue;
      // a line of column headers typed as text (项目 2025年预算数 2025年决算数 2024年决算数): no sentence, several years
      if (isColumnHeaderLine(ctx, y)) continue;
      // "2022年、2023年支出决算分别为…": a series of years, stated on purpose
      if (/^\s*(?:年度?)?\s*(?:、|和|及|至|—|-)\s*(?:19|20)\d{2}/u.test(text.slice(y.end, y.end + 8)) || /(?:19|20)\d{2}\s*年度?\s*(?:、|和|及)\s*$/u.test(text.slice(Math.max(0, y.start - 8), y.start))) continue;
      const report = (messageId: string, what: string) =>
        ctx.report({
          // a fiscal year read from the title or the headings is structure; one inferred from the body is not
          evidence: ctx.fiscalYearFrom === 'body' ? 'label' : 'structure',
          messageId,
          data: { text: y.text, fiscalYear: fy, previous: fy - 1, what },
          primary: y,
          figures: [y, ...figuresNamedBy(ctx, y)],
          expected: String(messageId === 'baselineYear' ? fy - 1 : fy),
          actual: String(year),
        });
      const periodMatch = period.exec(after);
      if (baseline.test(before)) {
        // only baselines of money (比2025年预算执行数…) are held to the year before
        if (!periodMatch) continue;
        // a second base named beside last year's is deliberate (比上年…增加…；比2019年决算数减少…)
        const sentence = ctx.doc.sentences[y.sentence];
        const alsoLastYear = sentence ? compiled(`(?:${options.baselineBefore})\\s*(?:上年|上一年|${fy - 1}\\s*年)`, 'u').test(text.slice(sentence.start, sentence.end)) : false;
        if (year < fy - 1 && alsoLastYear) continue;
        // the base of a next year's plan is this year ("2026年…预算安排9万元，比2025年预算减少1万元")
        const planned = ctx.figures.some((f) => f.kind === 'year' && f.sentence === y.sentence && f.start < y.start && isPlan(f));
        // a 决算 measured against its own year's budget (比2024年年初预算减少…, 完成预算的91.98%) is no year-on-year base
        const ownBudget = year === fy && ctx.documentType !== 'budget' && ctx.documentStage !== 'budget' && /预算/.test(periodMatch[0]) && !/执行|决算/.test(periodMatch[0]);
        const ok = ownBudget || year === (planned ? fy : fy - 1);
        ctx.tally(ok ? 'exact' : 'fail', [y]);
        if (!ok) report('baselineYear', periodMatch[0]);
        continue;
      }
      if (!periodMatch) continue;
      // a budget may quote last year's figures, but not compare last year with itself
      // ("2025年三公经费预算9.60万元，比2025年预算减少…" in the 2026 budget)
      const sentence = ctx.doc.sentences[y.sentence];
      const selfBaseline = sentence ? compiled(`(?:${options.baselineBefore})\\s*${year}\\s*年`, 'u').exec(text.slice(y.end, sentence.end)) : null;
      // …unless another year's figure stands between them (2025年执行数…，2026年预算安排…，比2025年…)
      const comparedWithSameYear =
        selfBaseline !== null && !ctx.figures.some((f) => f.kind === 'year' && f.start > y.end && f.start < y.end + selfBaseline.index);
      // last year's level as the base of this year's change, which the sentence goes on to state
      const baseOfChange = year === fy - 1 && currentChangeFollows(ctx, y.end, y.sentence);
      // a budget quotes last year's execution, but a heading of its own that names last year's 预算 (第二部分 2026年部门
      // 预算情况说明 in the 2027 budget) is last year's text left in
      const staleHeading = ctx.sectionOf[y.block] === y.block && /预算/.test(periodMatch[0] + after) && !/执行|决算|实际|完成/.test(blockOf(ctx, y));
      const ok = year === fy || baseOfChange || (priorAllowed && year === fy - 1 && !comparedWithSameYear && !staleHeading);
      ctx.tally(ok ? 'exact' : 'fail', [y]);
      if (!ok) report('periodYear', periodMatch[0].replace(/^度/, ''));
    }
  },
});

/** The amounts a year mention governs: those in the same clause right after it. */
function figuresNamedBy(ctx: RuleContext, year: Figure): Figure[] {
  return ctx.figures.filter((f) => f.clause === year.clause && f.start > year.start && f.kind === 'amount').slice(0, 1);
}

/**
 * The year stands in a line without sentence punctuation that names two different years or more, each with its
 * period word right after it: the column headers of a table typed as text, where each column has its year.
 */
function isColumnHeaderLine(ctx: RuleContext, y: Figure): boolean {
  const text = blockOf(ctx, y);
  // the unit note above the headers and the thousands separators of the rows below are no punctuation
  if (/[,;。:：，；]/.test(text.replace(/单位\s*[:：]\s*(?:万元|元|亿元)/gu, '').replace(/(\d),(?=\d{3})/g, '$1'))) return false;
  const years = new Set(ctx.figures.filter((f) => f.kind === 'year' && f.block === y.block).map((f) => Number(f.value.units)));
  return years.size >= 2;
}

function blockOf(ctx: RuleContext, f: Figure): string {
  const block = ctx.doc.blocks[f.block];
  return block ? ctx.doc.text.slice(block.start, block.end) : '';
}
