/**
 * Minimal reproductions of the table gaps found while writing the fixtures: each is a test EXPECTED TO FAIL
 * (`it.fails`) that asserts what a reviewer needs (a finding citing the wrong cell). When the reader or rule is
 * fixed the test fails — move the case to cases.ts / a passing test then. A case read through DOCX or PDF also
 * has a control: the same input as TXT, where the finding IS produced (so the gap is the reader's).
 *
 * Checked in-process with checkDocument (src/pipeline.ts): the inputs are tiny, no CLI start-up needed.
 */
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';
import type { Report } from '../../src/report/schema.js';
import { citedTexts, describeFindings, squash } from '../e2e/cli.js';
import { renderPdfKit } from '../helpers/render.js';
import { RULES } from './cases.js';
import { plainText, problems, renderMergedDocx } from './fixtures.js';

type Via = 'txt' | 'docx-merged' | 'pdf-kit';

interface GapCase {
  id: string;
  via: Via;
  /** Fixture-format text (`<` / `^` merge markers allowed). */
  text: string;
  /** The rule that should report it (undefined: no rule covers the relation yet, any rule will do). */
  ruleId?: string;
  cites: string;
  gap: string;
}

const GAP_CASES: GapCase[] = [
  {
    id: 'split-code-columns-header',
    via: 'txt',
    text: [
      '某局2025年度部门决算',
      '一般公共预算财政拨款支出决算表',
      '单位：万元',
      '| 科目编码 | < | < | 科目名称 | 合计 | 基本支出 | 项目支出 |',
      '| 类 | 款 | 项 | ^ | ^ | ^ | ^ |',
      '| 合计 | < | < | < | 792.48 | 612.48 | 180.00 |',
      '| 213 | | | 农林水支出 | 792.48 | 612.48 | 180.00 |',
      '| 213 | 03 | | 水利 | 792.48 | 612.48 | 180.00 |',
      '| 213 | 03 | 01 | 行政运行 | 612.48 | 612.48 | 0.00 |',
      '| 213 | 03 | 06 | 水利工程运行与维护 | 180.00 | 8.00 | 180.00 |',
    ].join('\n'),
    ruleId: RULES.columns,
    cites: '8.00',
    gap:
      'the usual 类|款|项 layout: 科目编码 spans 类/款/项 and the other header cells span both header rows. ' +
      'headerPaths() fills an empty header cell with the text to its LEFT, so the value columns are named 合计/项, ' +
      '基本支出/项, 项目支出/项: no 合计 column is recognised (a row whose 合计 ≠ 基本 + 项目 goes unreported) and ' +
      'text-vs-table finds no 基本支出 column (next case). Only the code roll-up of 基本支出 reports the slip',
  },
  {
    id: 'split-code-columns-text',
    via: 'txt',
    text: [
      '某局2025年度部门决算',
      '2025年度一般公共预算财政拨款基本支出621.48万元。',
      '一般公共预算财政拨款支出决算表',
      '单位：万元',
      '| 科目编码 | < | < | 科目名称 | 合计 | 基本支出 | 项目支出 |',
      '| 类 | 款 | 项 | ^ | ^ | ^ | ^ |',
      '| 合计 | < | < | < | 792.48 | 612.48 | 180.00 |',
      '| 213 | | | 农林水支出 | 792.48 | 612.48 | 180.00 |',
      '| 213 | 03 | | 水利 | 792.48 | 612.48 | 180.00 |',
      '| 213 | 03 | 01 | 行政运行 | 612.48 | 612.48 | 0.00 |',
      '| 213 | 03 | 06 | 水利工程运行与维护 | 180.00 | 0.00 | 180.00 |',
    ].join('\n'),
    ruleId: RULES.text,
    cites: '621.48万元',
    gap: 'same header: the 基本支出 column is named 基本支出/项, so the narrative 基本支出 is never held to the table',
  },
  {
    id: 'trailing-colspan-header',
    via: 'docx-merged',
    text: [
      '某局2025年度部门决算',
      '一般公共预算财政拨款支出决算表',
      '单位：万元',
      '| 科目编码 | 科目名称 | 本年支出 | < | < |',
      '| ^ | ^ | 合计 | 基本支出 | 项目支出 |',
      '| 213 | 农林水支出 | 180.00 | 8.00 | 180.00 |',
    ].join('\n'),
    ruleId: RULES.columns,
    cites: '8.00',
    gap:
      'DOCX (and ruled PDF): a header row whose last cell spans columns comes out of the grid short (cell-tables.ts ' +
      'pads only the positions before a cell); headerPaths() right-aligns short header rows, so 科目编码 lands over ' +
      '合计 (科目编码/合计 — skipped, notParts has 编码)',
  },
  {
    id: 'indicator-rows-taken-as-header',
    via: 'txt',
    text: [
      '某项目2025年度项目支出绩效自评报告',
      '绩效指标完成情况表',
      '| 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |',
      '| 培训人次 | ≥200人次 | 210人次 | 10 | 12 |',
      '| 培训合格率 | ≥95% | 96.50% | 10 | 10 |',
    ].join('\n'),
    ruleId: RULES.score,
    cites: '12',
    gap:
      'headerRowCount() ignores 1–2 digit integers, and indicator values carry their units (≥200人次): the first ' +
      'indicator row is read as a header row (分值/10, 得分/12) and self-eval finds no 分值/得分 columns',
  },
  {
    id: 'sub-items-vs-parent',
    via: 'txt',
    text: [
      '某局2025年度“三公”经费决算说明',
      '一般公共预算财政拨款“三公”经费支出决算表',
      '单位：万元',
      '| 项目 | 预算数 | 决算数 |',
      '| 因公出国（境）费 | 0.00 | 0.00 |',
      '| 公务用车购置及运行维护费 | 18.00 | 15.62 |',
      '| 其中：公务用车购置费 | 0.00 | 0.00 |',
      '| 公务用车运行维护费 | 18.00 | 15.26 |',
      '| 公务接待费 | 4.00 | 2.87 |',
      '| 合计 | 22.00 | 18.49 |',
    ].join('\n'),
    ruleId: RULES.rows,
    cites: '15.26',
    gap:
      'a 其中 block is matched to its parent on the first amount column only (预算数: 0.00 + 18.00 = 18.00) and then ' +
      'dropped from the 合计; that it does not add up in the 决算数 column (0.00 + 15.26 ≠ 15.62) is never reported',
  },
  {
    id: 'funds-total-vs-sub-items',
    via: 'txt',
    text: [
      '某项目2025年度项目支出绩效自评报告',
      '项目支出绩效自评表',
      '单位：万元',
      '| 项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |',
      '| 年度资金总额 | 0.00 | 326.40 | 311.58 | 10 | 95.46% | 9.55 |',
      '| 其中：当年财政拨款 | 300.00 | 306.40 | 292.10 | - | 95.33% | - |',
      '| 上年结转资金 | 0.00 | 20.00 | 19.48 | - | 97.40% | - |',
    ].join('\n'),
    cites: '0.00',
    gap: 'issue 3 asks for 年度资金总额 = Σ 其中 rows; no rule checks it (年初预算数 0.00 against 300.00 + 0.00)',
  },
  {
    id: 'score-total',
    via: 'txt',
    text: [
      '某项目2025年度项目支出绩效自评报告',
      '绩效指标完成情况表',
      '| 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |',
      '| 培训人次 | 200 | 210 | 50 | 50 |',
      '| 培训合格率 | 95% | 96.5% | 50 | 45 |',
      '| 总分 | | | 100 | 98 |',
    ].join('\n'),
    cites: '98',
    gap: 'issue 3 asks for scores summing to the stated total; 总分 98 against 50 + 45 = 95 is not checked',
  },
  {
    id: 'fiscal-summary-balance',
    via: 'txt',
    text: [
      '某局2025年度部门决算',
      '财政拨款收入支出决算总表',
      '单位：万元',
      '| 收入 | < | 支出 | < | < | < |',
      '| 项目 | 决算数 | 项目 | 合计 | 一般公共预算财政拨款 | 政府性基金预算财政拨款 |',
      '| 一般公共预算财政拨款 | 1240.00 | 农林水支出 | 1357.76 | 1237.76 | 120.00 |',
      '| 政府性基金预算财政拨款 | 120.00 | | | | |',
      '| 本年收入合计 | 1360.00 | 本年支出合计 | 1357.76 | 1237.76 | 120.00 |',
      '| 年初财政拨款结转和结余 | 13.18 | 年末财政拨款结转和结余 | 17.42 | 17.42 | 0.00 |',
      '| 总计 | 1373.18 | 总计 | 1375.18 | 1255.18 | 120.00 |',
    ].join('\n'),
    ruleId: RULES.balance,
    cites: '1375.18',
    gap:
      'table-balance only compares a 总计 row with exactly two 总计 cells; the 财政拨款收入支出决算总表 has four ' +
      '(收入 决算数, 支出 合计 and its two source columns), so 收入总计 1373.18 ≠ 支出总计 1375.18 goes unreported ' +
      'when each side adds up on its own',
  },
  {
    id: 'two-sided-summary-alone-on-a-page',
    via: 'pdf-kit',
    text: [
      '某单位2025年度部门决算',
      '收入支出决算总表',
      '单位：万元',
      '| 项目 | 决算数 | 项目 | 决算数 |',
      '| 财政拨款收入 | 90.00 | 一般公共服务支出 | 95.00 |',
      '| 本年收入合计 | 90.00 | 本年支出合计 | 95.00 |',
      '| 年初结转和结余 | 10.00 | 年末结转和结余 | 5.00 |',
      '| 总计 | 100.00 | 总计 | 101.00 |',
    ].join('\n'),
    ruleId: RULES.balance,
    cites: '101.00',
    gap:
      'PDF: rows "本年收入合计 90.00 本年支出合计 95.00" never have two numbers side by side, so ruledTablePages() ' +
      'does not hand the page to getTable() (looksLikeTableRow), and without tabs the text rebuild does not take ' +
      'them either: a page whose only table is a two-sided 总表 yields no table (the pack\'s own table-balance ' +
      'example; LibreOffice PDFs too). Closed for a document without prose, as this one: it is read from the items\' ' +
      'positions (pdf-sheets.ts); a two-sided 总表 alone on a page of a prose document is still not read',
  },
  {
    id: 'second-table-takes-first-title',
    via: 'pdf-kit',
    text: [
      '某单位2025年度部门决算',
      '2025年度一般公共预算财政拨款基本支出82.20万元。',
      '基本支出决算表',
      '单位：万元',
      '| 科目名称 | 合计 | 人员经费 | 公用经费 |',
      '| 行政运行 | 80.20 | 70.00 | 10.20 |',
      '| 合计 | 80.20 | 70.00 | 10.20 |',
      '一般公共预算财政拨款支出决算表',
      '单位：万元',
      '| 科目名称 | 合计 | 基本支出 | 项目支出 |',
      '| 行政运行 | 90.00 | 80.20 | 9.80 |',
      '| 合计 | 90.00 | 80.20 | 9.80 |',
    ].join('\n'),
    ruleId: RULES.text,
    cites: '82.20万元',
    gap:
      'PDF: two ruled tables on one page, each after a "单位：万元" line; pdf.ts reanchor() looks a table\'s anchor ' +
      'block up by its text, finds the FIRST "单位：万元", and the second table is titled 基本支出决算表 too — the ' +
      'narrative figure about 一般公共预算财政拨款支出决算表 finds no table (LibreOffice PDFs too)',
  },
];

async function render(via: Via, text: string): Promise<Uint8Array> {
  if (via === 'docx-merged') return renderMergedDocx(text);
  if (via === 'pdf-kit') return renderPdfKit(plainText(text));
  return new TextEncoder().encode(plainText(text));
}

/** An error/warning finding of the rule (any rule when none is named) that cites the figure. */
function found(report: Report, c: GapCase): boolean {
  return problems(report).some((f) => (!c.ruleId || f.ruleId === c.ruleId) && citedTexts(report, f.figures).includes(squash(c.cites)));
}

/** Gaps closed since they were recorded: their inputs now run as ordinary tests that must find the slip. */
const CLOSED = new Set([
  'split-code-columns-header',
  'split-code-columns-text',
  'trailing-colspan-header',
  'indicator-rows-taken-as-header',
  'funds-total-vs-sub-items',
  'fiscal-summary-balance',
  'two-sided-summary-alone-on-a-page',
]);

describe('table gaps (minimal inputs)', () => {
  for (const c of GAP_CASES) {
    (CLOSED.has(c.id) ? it : it.fails)(`${c.id} (${c.via}): ${c.ruleId ?? 'a finding'} citing ${c.cites}`, async () => {
      const report = await checkDocument(await render(c.via, c.text), { file: `${c.id}.${c.via}` });
      expect(report.status).toBe('ok');
      expect(found(report, c), `${c.gap}\n${describeFindings(report)}`).toBe(true);
    });
    if (c.via !== 'txt') {
      it(`${c.id}: control — the same input as TXT is reported`, async () => {
        const report = await checkDocument(await render('txt', c.text), { file: `${c.id}.txt` });
        expect(found(report, c), describeFindings(report)).toBe(true);
      });
    }
  }
});
