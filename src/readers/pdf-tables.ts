/**
 * Tables in PDFs: pdf-parse's getTable() finds them from ruled cell borders, page by page. A table continued on
 * the next page comes back as a second table whose header row repeats; we merge it and drop the repeat.
 */
import { looksLikeTableRow } from './pdf-text.js';
import type { Block, RawTable } from './types.js';

/**
 * Pages worth the (slow) ruled-table pass: at least three lines that read like rows of numbers, none of them
 * tab-separated (tabbed rows are rebuilt from the text layer, see pdf-text-tables.ts).
 */
export function ruledTablePages(pageTexts: readonly string[]): number[] {
  const tabbed = (lines: readonly string[]) => lines.filter((l) => /\t[^\n]*\d/.test(l)).length >= 3;
  const rowCounts = pageTexts.map((text) => {
    const lines = text.split('\n');
    // a page of tabbed rows is rebuilt from the text; a stray tabbed line does not take it out of the ruled pass
    return tabbed(lines) ? 0 : lines.filter((line) => looksLikeTableRow(line)).length;
  });
  // a table that starts in the last lines of a page (its header and a row or two) continues on the next: the page
  // before a ruled page is read too when it has a row, or the rows it holds are lost to the table
  return rowCounts.flatMap((n, i) => (n >= 3 || (n >= 1 && (rowCounts[i + 1] ?? 0) >= 3) ? [i + 1] : []));
}

const squash = (row: readonly string[]): string => row.map((c) => c.replace(/\s+/g, '')).join('|');

/** Cells of a row, trimmed, with pdf.js's in-cell line breaks removed ("本年支出合\n计" → "本年支出合计"). */
function cleanRow(row: readonly string[]): string[] {
  return row.map((c) => c.replace(/\s*\n\s*/g, '').trim());
}

/** Column names: several short cells, none of them a numbered item (十四、…支出 is a row without values). */
const isHeaderRow = (row: readonly string[]): boolean => {
  const cells = row.filter((c) => c.trim() !== '');
  return cells.length >= 2 && cells.every((c) => c.length <= 12 && !/^[一二三四五六七八九十]+、/.test(c));
};

const hasNumber = (row: readonly string[]): boolean => row.some((c) => /^-?[\d,]+(?:\.\d+)?%?$/.test(c));

/**
 * Merges a table that starts a page into the previous page's last table when it continues it: same number of
 * columns in its widest rows, and either no header of its own or the same header rows repeated (dropped).
 */
export function mergePageTables(pages: readonly { num: number; tables: string[][][] }[]): Omit<RawTable, 'afterBlock'>[] {
  const out: Omit<RawTable, 'afterBlock'>[] = [];
  let last: { table: Omit<RawTable, 'afterBlock'>; page: number; isLastOnPage: boolean } | undefined;
  for (const page of [...pages].sort((a, b) => a.num - b.num)) {
    page.tables.forEach((raw, i) => {
      const rows = raw.map(cleanRow).filter((r) => r.some((c) => c !== ''));
      if (!rows.length) return;
      const width = Math.max(...rows.map((r) => r.length));
      const prev = last;
      // a header of its own that is not the previous table's repeated header starts another table
      const ownHeader = rows.slice(0, Math.max(0, rows.findIndex(hasNumber))).filter(isHeaderRow);
      const prevHeader = prev ? prev.table.rows.slice(0, Math.max(0, prev.table.rows.findIndex(hasNumber))) : [];
      const sameHeader = ownHeader.every((r, k) => prevHeader[k] !== undefined && squash(r) === squash(prevHeader[k]!));
      const continues =
        i === 0 && prev !== undefined && prev.isLastOnPage && prev.page === page.num - 1 &&
        Math.max(...prev.table.rows.map((r) => r.length)) === width && sameHeader;
      if (continues) {
        // drop the header rows the continuation repeats
        const header = prev.table.rows.slice(0, prev.table.rows.findIndex(hasNumber));
        let skip = 0;
        while (skip < header.length && skip < rows.length && squash(rows[skip]!) === squash(header[skip]!)) skip++;
        // a row cut by the page break: its last lines open the page, without a number, in a few of its cells
        const cut = rows[skip];
        const above = prev.table.rows[prev.table.rows.length - 1];
        if (cut && above && !hasNumber(cut) && cut.length === above.length && cut.filter((c) => c !== '').length * 2 <= cut.length) {
          cut.forEach((c, k) => (above[k] = `${above[k] ?? ''}${c}`));
          skip++;
        }
        prev.table.rows.push(...rows.slice(skip));
        prev.table.rowPages!.push(...rows.slice(skip).map(() => page.num));
        last = { table: prev.table, page: page.num, isLastOnPage: i === page.tables.length - 1 };
        return;
      }
      const table = { page: page.num, rows, rowPages: rows.map(() => page.num) };
      out.push(table);
      last = { table, page: page.num, isLastOnPage: i === page.tables.length - 1 };
    });
  }
  // rows of different lengths (merged cells), or a label glued to a number ("本年收入合计1360.00": two cells read as
  // one), make a table whose structure is uncertain: its sums need corroboration
  const uncertain = (t: Omit<RawTable, 'afterBlock'>) =>
    new Set(t.rows.map((r) => r.length)).size > 1 || t.rows.some((r) => r.some((c) => /\p{Script=Han}[\d,]*\d\.\d+$/u.test(c.replace(/\s+/g, ''))));
  return out.map((t) => (uncertain(t) ? { ...t, rebuilt: true } : t));
}

/**
 * A ruled table's rows also come out of the text layer as lines; once getTable() has rebuilt the table they are
 * its cells, not paragraphs (a percentage in a row would otherwise be read twice). Each table is placed after the
 * last text block before its first row, for its title and 单位 note.
 */
export function placeTables(blocks: readonly Block[], tables: readonly Omit<RawTable, 'afterBlock'>[]): { blocks: Block[]; tables: RawTable[] } {
  const squash = (s: string) => s.replace(/\s+/g, '');
  const rowTexts = tables.map((t) => new Set(t.rows.map((r) => squash(r.join('')))));
  const allCells = tables.map((t) => t.rows.map((r) => squash(r.join(''))).join('|'));
  const kept: Block[] = [];
  const firstRowBlock = new Map<number, number>();
  for (const block of blocks) {
    const text = squash(block.text);
    const owner =
      text.length >= 2
        ? tables.findIndex(
            (t, i) =>
              (t.page === undefined || block.page === undefined || block.page >= t.page) &&
              (rowTexts[i]!.has(text) || (/\d/.test(text) && !/[。；;]/.test(text) && allCells[i]!.includes(text))),
          )
        : -1;
    if (owner >= 0 && !firstRowBlock.has(owner)) firstRowBlock.set(owner, kept.length);
    if (owner < 0) kept.push({ ...block, index: kept.length });
  }
  return { blocks: kept, tables: tables.map((t, i) => ({ ...t, afterBlock: (firstRowBlock.get(i) ?? kept.length) - 1 })) };
}
