import { z } from 'zod';
import { Pattern } from '../pattern.js';
import type { Table } from '../../figures/tables.js';
import type { Figure } from '../../figures/types.js';
import type { RuleContext } from '../context.js';
import { nameOf, printed } from '../format.js';
import { type Interval, intersects, intervalOf, judge, type Reading } from '../interval.js';
import { defineRuleType } from '../rule-type.js';
import { compiled } from '../regex.js';

const Options = z.object({
  /** RegExp source: row labels of a table's total row. */
  totalRows: Pattern.default('^(?:合计|总计)$'),
  /** RegExp source: column headers that carry the table's main value (决算数, 合计 …). */
  valueColumns: Pattern.default('(?:^|/)(?:决算数?|预算数?|金额|合计|本年(?:收入|支出)?合计|小计)$'),
});

type Options = z.infer<typeof Options>;

/** A table's title reduced to what it measures: "四、一般公共预算财政拨款支出决算表" → "一般公共预算财政拨款支出". */
export function subjectOf(title: string): string {
  return title
    .replace(/\s+/g, '')
    .replace(/^(?:表\d+|附表\d*|[一二三四五六七八九十]+、|\d+[.、．])\s*/, '')
    .replace(/^(?:19|20)\d{2}年度?/, '')
    .replace(/[（(]续[)）]$/, '')
    .replace(/(?:决算|预算)?(?:总表|明细表|情况表|表)$/, '')
    .replace(/(?:决算|预算)$/, '');
}

/**
 * The label names the table: its head is the table's subject, or the subject less a trailing 支出/收入 that the
 * label's tail restates ("一般公共预算财政拨款" + 基本支出 of 一般公共预算财政拨款支出决算表). A shorter head
 * ("收入支出" against 财政拨款收入支出) names another table.
 */
function namesTable(head: string, table: Table): boolean {
  if (!table.title || head.length < 4) return false;
  const subject = subjectOf(table.title);
  return subject === head || subject.replace(/(?:支出|收入)$/, '') === head;
}

interface Candidate {
  cell: Figure;
  table: Table;
}

/**
 * Cells that state the same quantity as a narrative figure: the table named by the label's head, its total row,
 * and the column the label's tail names (基本支出) — or, when the tail is itself the total (…收入支出总计), the
 * total row's value columns.
 */
function candidates(ctx: RuleContext, f: Figure, o: Options): Candidate[] {
  const totalRow = compiled(o.totalRows, 'u');
  const valueColumn = compiled(o.valueColumns, 'u');
  const label = f.label.replace(/^(?:本年度?|全年|年度)/, '');
  const out: Candidate[] = [];
  for (const table of ctx.tables) {
    if (!table.title) continue;
    table.rows.forEach((_, r) => {
      if (r < table.headerRows) return;
      (table.cells[r] ?? []).forEach((cell) => {
        if (!cell || cell.kind !== 'amount' || !cell.yuan || !totalRow.test(cell.label)) return;
        const header = cell.cell?.header ?? '';
        const column = header.split('/').pop() ?? '';
        // "…基本支出" with a 基本支出 column, or "…总计" with the total row's main value column
        if (column.length >= 2 && !valueColumn.test(header) && label.endsWith(column) && namesTable(label.slice(0, -column.length), table)) {
          out.push({ cell, table });
        } else if (label.endsWith(cell.label) && valueColumn.test(header) && namesTable(label.slice(0, -cell.label.length), table)) {
          out.push({ cell, table });
        }
      });
    });
  }
  return out;
}

function meets(ctx: RuleContext, f: Figure, cell: Figure, r: Reading): boolean {
  const a: Interval = intervalOf(f, r, ctx.precision);
  const b: Interval = intervalOf(cell, r, ctx.cellPrecision);
  return intersects(a, b);
}

export default defineRuleType({
  type: 'table-text',
  meta: {
    description: "A figure in the narrative agrees with the table cell that states the same quantity.",
    messages: {
      textTableMismatch: '文中{{label}}{{text}}与{{table}}中{{cellName}}{{cellText}}{{unit}}不一致',
      uncertain: '文中{{label}}{{text}}与{{table}}中{{cellName}}{{cellText}}{{unit}}仅在按各数字自身位数取整时相符，请核实',
    },
    options: Options,
  },
  check(ctx, options) {
    for (const f of ctx.figures) {
      if (f.kind !== 'amount' || !f.yuan || f.direction || f.baseline || f.bound) continue;
      if (ctx.fiscalYear !== undefined && f.labelYear !== undefined && f.labelYear !== ctx.fiscalYear) continue;
      const found = candidates(ctx, f, options);
      if (!found.length) continue;
      const verdicts = found.map((c) => ({ ...c, verdict: judge((r) => meets(ctx, f, c.cell, r)) }));
      // any cell that agrees settles it; the narrative may follow either of two tables stating one quantity
      const best = verdicts.find((v) => v.verdict === 'exact') ?? verdicts.find((v) => v.verdict === 'rounding') ?? verdicts.find((v) => v.verdict === 'uncertain') ?? verdicts[0]!;
      ctx.tally(best.verdict, [f, best.cell]);
      if (best.verdict === 'exact' || best.verdict === 'rounding') continue;
      const cell = best.cell;
      ctx.report({ evidence: 'label',
        messageId: best.verdict === 'uncertain' ? 'uncertain' : 'textTableMismatch',
        severity: best.verdict === 'uncertain' ? 'info' : undefined,
        data: {
          label: nameOf(f),
          text: f.text,
          table: `“${best.table.title}”`,
          cellName: `${cell.label}${cell.cell?.header ? `（${cell.cell.header.split('/').pop()}）` : ''}`,
          cellText: cell.text,
          unit: best.table.unit,
        },
        primary: f,
        figures: [f, cell],
        expected: printed(cell),
        actual: printed(f),
        calculation: `${f.text} ≠ ${cell.text}${best.table.unit}`,
      });
    }
  },
});

