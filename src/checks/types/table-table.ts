import { z } from 'zod';
import { Pattern } from '../pattern.js';
import type { Table } from '../../figures/tables.js';
import type { Figure } from '../../figures/types.js';
import { intersects, intervalOf, judge } from '../interval.js';
import { printed } from '../format.js';
import { defineRuleType } from '../rule-type.js';
import { subjectOf } from './table-text.js';
import { compiled } from '../regex.js';

const Options = z.object({
  /** RegExp source: the column headers (last part) whose values two tables must share. */
  columns: Pattern.default('^(?:合计|本年支出合计|本年收入合计|基本支出|项目支出|决算数|预算数)$'),
});

/** Where a quantity sits in a table: its subject code (or 合计/总计 row) and its column. */
function keyOf(t: Table, f: Figure, columns: RegExp): string | undefined {
  const cell = f.cell!;
  const column = cell.header.split('/').pop() ?? '';
  if (!columns.test(column)) return undefined;
  const row = t.codes[cell.row] ?? (/^(?:合计|总计)$/.test(t.rowLabels[cell.row] ?? '') ? t.rowLabels[cell.row] : undefined);
  return row ? `${row}|${column}` : undefined;
}

export default defineRuleType({
  type: 'table-table',
  meta: {
    description: 'The same quantity stated in two tables about the same subject agrees.',
    messages: {
      tablesDisagree: '“{{first}}”与“{{second}}”中{{where}}不一致：{{a}}与{{b}}',
    },
    options: Options,
  },
  check(ctx, options) {
    const columns = compiled(options.columns, 'u');
    // only tables on one subject (the same 支出决算表 in two parts of the disclosure, say): tables of different
    // funds or bases legitimately state different numbers for one code
    const bySubject = new Map<string, Table[]>();
    for (const t of ctx.tables) {
      if (!t.title || !t.unit) continue;
      const subject = subjectOf(t.title);
      if (!bySubject.has(subject)) bySubject.set(subject, []);
      bySubject.get(subject)!.push(t);
    }
    for (const tables of bySubject.values()) {
      if (tables.length < 2) continue;
      const seen = new Map<string, { table: Table; figure: Figure }>();
      for (const t of tables) {
        for (const f of t.cells.flat()) {
          if (!f || f.kind !== 'amount' || !f.yuan) continue;
          const key = keyOf(t, f, columns);
          if (!key) continue;
          const first = seen.get(key);
          if (!first) {
            seen.set(key, { table: t, figure: f });
            continue;
          }
          if (first.table === t) continue;
          const verdict = judge((r) => intersects(intervalOf(first.figure, r, ctx.cellPrecision), intervalOf(f, r, ctx.cellPrecision)));
          ctx.tally(verdict, [first.figure, f]);
          if (verdict !== 'fail') continue;
          ctx.report({ evidence: 'structure',
            messageId: 'tablesDisagree',
            data: { first: first.table.title!, second: t.title!, where: key.replace('|', ' '), a: first.figure.text, b: f.text },
            primary: f,
            figures: [f, first.figure],
            expected: printed(first.figure),
            actual: printed(f),
            calculation: `${f.text} ≠ ${first.figure.text}`,
          });
        }
      }
    }
  },
});
