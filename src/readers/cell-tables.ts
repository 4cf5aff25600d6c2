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
