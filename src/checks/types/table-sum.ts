import { z } from 'zod';
import { Pattern } from '../pattern.js';
import type { Figure } from '../../figures/types.js';
import { isPlaceholder, type Table } from '../../figures/tables.js';
import { numberStyle, type RuleContext } from '../context.js';
import { inUnitOf, printed, sumCalculations } from '../format.js';
import { intersects, intervalOf, judge, type Reading, sumIntervals, type Verdict } from '../interval.js';
import { defineRuleType } from '../rule-type.js';
import { compiled } from '../regex.js';

const Options = z.object({
  check: z.enum(['rows', 'codes', 'columns', 'balance']),
  /** RegExp source: labels of total rows (rows) or headers of total columns (columns). */
  // not 总分: a 自评表's 总分 also counts the 预算执行率 score stated in the funds table above it
  totals: Pattern.default('^(?:合计|总计|小计|(?:年度)?资金总额|本年(?:收入|支出)合计|收入合计|支出合计)$'),
  /** RegExp source: headers of columns that are not parts of a row's total (其中, shares, rates, prior year). */
  // a column with a unit of its own (车辆保有量（辆）, 人数（人）) counts other things than the table's money
  notParts: Pattern.default('其中|占|比重|%|率|上年|增减|变动|备注|序号|编码|代码|[(（](?!万元|元|亿元)[^()（）]{1,4}[)）]$'),
});

type Options = z.infer<typeof Options>;

/** One relation: a total cell and the cells that should add up to it; blanks and dashes make it not assessable. */
interface CellSum {
  total: Figure;
  parts: Figure[];
  /** Parts left blank or as a placeholder: they may be nil, or missing. */
  blanks: number;
  what: string;
}

function verdictOf(ctx: RuleContext, s: CellSum): Verdict | undefined {
  if (!s.parts.length) return undefined;
  const holds = (r: Reading) =>
    intersects(intervalOf(s.total, r, ctx.cellPrecision), sumIntervals(s.parts.map((p) => intervalOf(p, r, ctx.cellPrecision))));
  const verdict = judge(holds);
  // a blank part may be a missing value: such a sum can pass, never fail
  return s.blanks > 0 && verdict !== 'exact' && verdict !== 'rounding' ? undefined : verdict;
}

const passes = (v: Verdict | undefined) => v === 'exact' || v === 'rounding';

/**
 * The sums of one row or code across the table's columns. A table rebuilt from a PDF's text may have lost a row
 * or shifted a cell; a lost row breaks every column, a wrong cell only its own. So in a rebuilt table a failure
 * counts only where another column of the same relation adds up (07's 行政运行: 合计 and 基本支出 roll up,
 * 项目支出 does not); in a table read cell by cell (DOCX, TXT) every column counts on its own.
 */
function checkSums(ctx: RuleContext, t: Table, sums: readonly CellSum[]): void {
  const verdicts = sums.map((s) => verdictOf(ctx, s));
  const corroborated = !t.rebuilt || verdicts.some(passes);
  sums.forEach((s, i) => {
    const verdict = verdicts[i];
    if (verdict === undefined || (!passes(verdict) && !corroborated)) return;
    report(ctx, s, verdict);
  });
}

function report(ctx: RuleContext, s: CellSum, verdict: Verdict): void {
  ctx.tally(verdict, [s.total, ...s.parts]);
  if (verdict === 'exact' || verdict === 'rounding') return;
  const computed = sumIntervals(s.parts.map((p) => intervalOf(p, 'exact', ctx.cellPrecision))).lo!;
  const computedText = inUnitOf(computed, s.total, ctx.cellPrecision);
  const calculation = sumCalculations(s.parts, s.total, computedText, `≠ ${printed(s.total)}`);
  ctx.report({ evidence: 'structure',
    messageId: verdict === 'uncertain' ? 'uncertain' : 'cellSumMismatch',
    severity: verdict === 'uncertain' ? 'info' : undefined,
    data: { what: s.what, total: s.total.text, computed: computedText, n: s.parts.length, calculation: calculation.inMessage },
    primary: s.total,
    figures: [s.total, ...s.parts],
    expected: computedText,
    actual: printed(s.total),
    calculation: calculation.full,
  });
}

const squash = (s: string) => s.replace(/\s+/g, '');

function dataRows(t: Table): number[] {
  return t.rows.map((_, r) => r).filter((r) => r >= t.headerRows);
}

/** Collects the value cells of `rows` in column `col`; blanks counted, a missing cell where the total has one too. */
function column(t: Table, rows: readonly number[], col: number): { parts: Figure[]; blanks: number } {
  const parts: Figure[] = [];
  let blanks = 0;
  for (const r of rows) {
    const f = t.cells[r]?.[col];
    if (f) parts.push(f);
    else if (isPlaceholder(t.rows[r]?.[col] ?? '')) blanks++;
    else return { parts: [], blanks: 0 }; // text in a value column: not a sum we understand
  }
  return { parts, blanks };
}

/**
 * 合计/总计 rows: the rows they cover are the data rows above, back to and including the previous total row (a
 * 总计 adds the 本年合计 to the carry-overs), or, for a total standing first, the rows below it; in a coded table
 * (201 / 20106 / 2010601) the top-level codes.
 */
function rowTotals(ctx: RuleContext, t: Table, o: Options): void {
  const isTotal = compiled(o.totals, 'u');
  const rows = dataRows(t);
  const named = (cell: string) => isTotal.test(squash(cell).replace(/[:：]$/, ''));
  // a table read cell by cell may put 合计 under its 类|款|项 columns; in a rebuilt one only the row's label counts
  const totalRows = rows.filter((r) => !t.codes[r] && (t.rebuilt ? named(t.rowLabels[r] ?? '') : (t.rows[r] ?? []).some(named)));
  const coded = rows.filter((r) => t.codes[r]);
  const topLength = Math.min(...coded.map((r) => t.codes[r]!.length));
  for (const tr of totalRows) {
    let covered: number[] = [];
    if (coded.length >= 2) {
      // a rebuilt table ending on a coded row may go on past a page break we could not join: its top-level list
      // is then incomplete
      if (t.rebuilt && t.codes[rows[rows.length - 1]!]) continue;
      covered = coded.filter((r) => t.codes[r]!.length === topLength);
    }
    else {
      const above = rows.filter((r) => r < tr);
      const previousTotal = [...totalRows].reverse().find((r) => r < tr);
      covered = previousTotal !== undefined ? above.filter((r) => r >= previousTotal) : above;
      let ownBreakdown = false;
      if (!covered.length) {
        covered = blockBelow(t, tr, rows, totalRows);
        // "年度资金总额 / 其中：财政拨款 / 上年结转 / 其他资金": a 其中 block right under its total is the total's own
        ownBreakdown = covered[0] === tr + 1 && squash(t.rowLabels[tr + 1] ?? '').startsWith('其中');
      }
      if (!ownBreakdown) {
        const resolved = withoutSubItems(ctx, t, covered);
        covered = resolved.rows;
        if (resolved.ambiguous) continue;
      }
    }
    if (covered.length < 2) continue;
    const sums: CellSum[] = [];
    t.cells[tr]?.forEach((total, c) => {
      if (!total || total.kind !== 'amount') return;
      const { parts, blanks } = column(t, covered, c);
      sums.push({ total, parts, blanks, what: `${t.title ?? t.id}“${t.rowLabels[tr]}”行${headerName(t, c)}` });
    });
    checkSums(ctx, t, sums);
  }
}

/** The rows under a total that stands first: up to the next total, or the first row with nothing in its columns. */
function blockBelow(t: Table, tr: number, rows: readonly number[], totalRows: readonly number[]): number[] {
  const nextTotal = totalRows.find((r) => r > tr) ?? Infinity;
  const columns = (t.cells[tr] ?? []).flatMap((f, c) => (f?.kind === 'amount' ? [c] : []));
  const block: number[] = [];
  for (const r of rows) {
    if (r <= tr) continue;
    if (r >= nextTotal) break;
    const holdsValues = columns.some((c) => t.cells[r]?.[c] !== undefined || (isPlaceholder(t.rows[r]?.[c] ?? '') && (t.rows[r]?.[c] ?? '') !== ''));
    if (!holdsValues) break;
    block.push(r);
  }
  return block;
}

/**
 * "公务用车费 10.00 / 其中：购置费 0.00 / 运行维护费 10.00": the rows from a 其中 row on are parts of the row
 * before it, as far as they add up to it; they are not parts of the table's total. When they do not add up to
 * their parent, which rows are sub-items cannot be told, and the total is not assessed.
 */
function withoutSubItems(ctx: RuleContext, t: Table, rows: readonly number[]): { rows: number[]; ambiguous: boolean } {
  // "2.公务用车购置及运行维护费 / (1)公务用车购置费 / (2)公务用车运行维护费": rows numbered in another style than the
  // list's first numbered row are a sub-list of the row before them, as 其中 rows are
  const outer = rows.map((r) => numberStyle(t.rowLabels[r] ?? '')).find((style) => style !== undefined);
  const isSubItem = (r: number) => {
    const label = squash(t.rowLabels[r] ?? '');
    const style = numberStyle(label);
    return label.startsWith('其中') || (outer !== undefined && style !== undefined && style !== outer);
  };
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!isSubItem(r)) {
      out.push(r);
      continue;
    }
    const parent = out[out.length - 1];
    const col = parent === undefined ? -1 : (t.cells[parent] ?? []).findIndex((f) => f?.kind === 'amount');
    const target = parent === undefined ? undefined : t.cells[parent]?.[col];
    if (!target) return { rows: out, ambiguous: true };
    let j = i;
    let matched = false;
    for (; j < rows.length; j++) {
      const subs = rows.slice(i, j + 1).map((s) => t.cells[s]?.[col]);
      if (subs.some((f) => !f)) break;
      const sum = sumIntervals(subs.map((f) => intervalOf(f!, 'effective', ctx.cellPrecision)));
      if (intersects(intervalOf(target, 'effective', ctx.cellPrecision), sum)) {
        matched = true;
        break;
      }
    }
    if (!matched) return { rows: out, ambiguous: true };
    i = j;
  }
  return { rows: out, ambiguous: false };
}

function headerName(t: Table, c: number): string {
  const h = t.headers[c];
  return h ? `“${h}”列` : `第${c + 1}列`;
}

/**
 * Where a row's own columns end: a two-sided table (经济分类 301 … | 302 …) starts its second half with another
 * code; the code of the row governs only the columns before it.
 */
function firstSideEnd(t: Table): number {
  let end = Infinity;
  for (const r of dataRows(t)) {
    if (!t.codes[r]) continue;
    const row = t.rows[r] ?? [];
    const labelAt = row.findIndex((c, i) => i > 0 && /\p{Script=Han}/u.test(c));
    row.forEach((c, i) => {
      if (i > labelAt && labelAt >= 0 && /^\d{3,7}$/.test(squash(c))) end = Math.min(end, i);
    });
  }
  return end;
}

/** 类 = Σ 款, 款 = Σ 项: a code's row equals the sum of the rows whose codes extend it by one level. */
function codeRollup(ctx: RuleContext, t: Table): void {
  const coded = dataRows(t).filter((r) => t.codes[r]);
  const sideEnd = firstSideEnd(t);
  for (const parent of coded) {
    const code = t.codes[parent]!;
    const children = coded.filter((r) => t.codes[r]!.length === code.length + 2 && t.codes[r]!.startsWith(code));
    if (!children.length) continue;
    // a rebuilt table cut short (a wrapped row lost at a page break) may end inside this code: its last
    // descendants must be followed by a row outside it before the sum can be trusted
    const lastDescendant = Math.max(...coded.filter((r) => t.codes[r]!.startsWith(code)));
    if (t.rebuilt && lastDescendant >= t.rows.length - 1) continue;
    const sums: CellSum[] = [];
    t.cells[parent]?.forEach((total, c) => {
      if (!total || total.kind !== 'amount' || c >= sideEnd) return;
      const { parts, blanks } = column(t, children, c);
      sums.push({ total, parts, blanks, what: `${t.title ?? t.id}科目${code}${t.rowLabels[parent] ?? ''}${headerName(t, c)}` });
    });
    checkSums(ctx, t, sums);
  }
}

/**
 * A 合计 column equals the value columns to its right (合计 = 基本支出 + 项目支出 …). A group with its own 小计
 * (公务用车费/小计, /购置费, /运行费) counts once, by its 小计.
 */
function columnTotals(ctx: RuleContext, t: Table, o: Options): void {
  const isTotal = compiled(o.totals, 'u');
  const notPart = compiled(o.notParts, 'u');
  const last = (h: string) => h.split('/').pop() ?? '';
  const group = (h: string) => (h.includes('/') ? h.split('/').slice(0, -1).join('/') : '');
  t.headers.forEach((header, tc) => {
    if (!isTotal.test(last(header)) || notPart.test(header)) return;
    const right = t.headers.map((h, c) => ({ h, c })).filter(({ h, c }) => c > tc && h && !notPart.test(h));
    if (right.some(({ h }) => isTotal.test(last(h)) && group(h) === group(header))) return; // a second 合计: layout we do not know
    const subtotalled = new Set(right.filter(({ h }) => group(h) && isTotal.test(last(h))).map(({ h }) => group(h)));
    const partCols = right.filter(({ h }) => !(subtotalled.has(group(h)) && !isTotal.test(last(h)))).map(({ c }) => c);
    if (partCols.length < 2) return;
    for (const r of dataRows(t)) {
      const total = t.cells[r]?.[tc];
      if (!total || total.kind !== 'amount') continue;
      const parts: Figure[] = [];
      let blanks = 0;
      let readable = true;
      for (const c of partCols) {
        const f = t.cells[r]?.[c];
        if (f?.kind === 'amount') parts.push(f);
        else if (isPlaceholder(t.rows[r]?.[c] ?? '')) blanks++;
        else readable = false; // a cell we could not place or read: not assessable
      }
      // one relation per row: in a rebuilt table a row whose cells may have shifted is not assessed on its own
      if (readable && !t.rebuilt) checkSums(ctx, t, [{ total, parts, blanks, what: `${t.title ?? t.id}“${t.rowLabels[r] ?? ''}”行“${last(header)}”` }]);
      else if (readable && t.rebuilt && t.alignedRows[r]) checkSums(ctx, { ...t, rebuilt: false }, [{ total, parts, blanks, what: `${t.title ?? t.id}“${t.rowLabels[r] ?? ''}”行“${last(header)}”` }]);
    }
  });
}

/** 收入支出总表: the 总计 of the income side equals the 总计 of the expenditure side. */
function balance(ctx: RuleContext, t: Table, o: Options): void {
  const isTotal = compiled(o.totals, 'u');
  for (const r of dataRows(t)) {
    // each 总计 label opens a side; the first value after it is that side's total (财政拨款总表: 总计 | 2961.68 |
    // 总计 | 2961.68 | 2940.05 | 21.63 …)
    const sides: Figure[] = [];
    let open = false;
    (t.rows[r] ?? []).forEach((cell, c) => {
      if (/^总计$/.test(squash(cell)) && isTotal.test(squash(cell))) open = true;
      const f = t.cells[r]?.[c];
      if (open && f?.kind === 'amount') {
        sides.push(f);
        open = false;
      }
    });
    if (sides.length !== 2) continue;
    const [a, b] = sides as [Figure, Figure];
    const verdict = judge((rd) => intersects(intervalOf(a, rd, ctx.cellPrecision), intervalOf(b, rd, ctx.cellPrecision)));
    ctx.tally(verdict, [a, b]);
    if (verdict === 'exact' || verdict === 'rounding') continue;
    ctx.report({ evidence: 'structure',
      messageId: verdict === 'uncertain' ? 'uncertain' : 'unbalanced',
      severity: verdict === 'uncertain' ? 'info' : undefined,
      data: { what: t.title ?? t.id, left: a.text, right: b.text, total: a.text, computed: b.text, calculation: `${a.text} ≠ ${b.text}` },
      primary: a,
      figures: [a, b],
      expected: printed(b),
      actual: printed(a),
      calculation: `${a.text} ≠ ${b.text}`,
    });
  }
}

export default defineRuleType({
  type: 'table-sum',
  meta: {
    description: 'Totals in tables: 合计/总计 rows and columns, subject-code roll-ups, and a balanced 总计.',
    messages: {
      cellSumMismatch: '{{what}}{{total}}与所含{{n}}项之和{{computed}}不一致：{{calculation}}',
      unbalanced: '{{what}}收入总计{{left}}与支出总计{{right}}不一致',
      uncertain: '{{what}}{{total}}与分项之和{{computed}}仅在按各数字自身位数取整时相符，请核实：{{calculation}}',
    },
    options: Options,
  },
  check(ctx, options) {
    for (const t of ctx.tables) {
      if (options.check === 'rows') rowTotals(ctx, t, options);
      else if (options.check === 'codes') codeRollup(ctx, t);
      else if (options.check === 'columns') columnTotals(ctx, t, options);
      else balance(ctx, t, options);
    }
  },
});
