import type { Block, RawTable } from './types.js';

/** The table grid of each table, from its cell blocks (DOCX merged cells stand at their top-left position). */
export function tablesOf(blocks: readonly Block[]): RawTable[] {
  const tables = new Map<number, RawTable>();
  blocks.forEach((block, index) => {
    if (!block.cell) return;
    const { table, row, col } = block.cell;
    let t = tables.get(table);
    if (!t) tables.set(table, (t = { rows: [], cellBlocks: [], afterBlock: index - 1 }));
    while (t.rows.length <= row) {
      t.rows.push([]);
      t.cellBlocks!.push([]);
    }
    const cells = t.rows[row]!;
    while (cells.length < col) cells.push('');
    cells[col] = block.text;
    t.cellBlocks![row]![col] = index;
  });
  return [...tables.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
}

/** "| 项目 | 决算数 |": a table row typed as text, its cells; undefined for any other line. */
export function textTableRow(text: string): string[] | undefined {
  if (!/^\s*\|/.test(text)) return undefined;
  return text.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim());
}

/** A Markdown rule under a typed table's header (|---|:--:|): it draws a line and holds no row. */
export const isRuleRow = (cells: readonly string[]): boolean => cells.every((c) => /^:?-{3,}:?$/.test(c));

/**
 * Paragraphs that are a table typed as text (a DOCX made from a text export, a table pasted as lines of "| … |"):
 * one cell block per cell, numbered after the document's own tables, as the TXT reader reads them.
 */
export function withTextTables(blocks: readonly Block[]): Block[] {
  let table = Math.max(-1, ...blocks.map((b) => b.cell?.table ?? -1));
  let row = -1;
  const out: Block[] = [];
  for (const block of blocks) {
    const cells = block.kind === 'table-cell' ? undefined : textTableRow(block.text);
    if (!cells) {
      row = -1;
      out.push(block);
      continue;
    }
    if (row >= 0 && isRuleRow(cells)) continue;
    if (row < 0) table++;
    row++;
    cells.forEach((text, col) => out.push({ ...block, index: out.length, kind: 'table-cell', text, cell: { table, row, col } }));
  }
  return out.map((b, index) => ({ ...b, index }));
}

/**
 * A PDF printed from a text with typed tables ("| 项目 | 决算数 |", a line a row): each run of such lines is a table of
 * its cells, the Markdown rule left out. The lines stay, with their cells spaced, for placeTables to take out and to
 * anchor the table after the text before it, as it does for ruled tables.
 */
export function typedTables(blocks: readonly Block[]): { blocks: Block[]; tables: Omit<RawTable, 'afterBlock'>[] } {
  const out: Block[] = [];
  const tables: Omit<RawTable, 'afterBlock'>[] = [];
  let current: Omit<RawTable, 'afterBlock'> | undefined;
  for (const block of blocks) {
    const cells = textTableRow(block.text);
    if (!cells) {
      current = undefined;
      out.push(block);
      continue;
    }
    if (current && isRuleRow(cells)) continue;
    if (!current) {
      current = { rows: [], rowPages: [], ...(block.page !== undefined ? { page: block.page } : {}) };
      tables.push(current);
    }
    current.rows.push(cells);
    current.rowPages!.push(block.page ?? 0);
    out.push({ ...block, text: cells.join(' ') });
  }
  return { blocks: out.map((b, index) => ({ ...b, index })), tables };
}
