/**
 * Spreadsheets printed to PDF (a 部门预算公开表 exported from Excel): every cell is one text item, but the items come
 * in the producer's drawing order, not line by line, and neighbouring cells touch (`20,702.25` ends 3 pt before
 * `一、一般公共服务支出` starts), so pdf-parse's text glues a sheet's cells into one run. Here a page is read from the
 * items' positions instead: rows by vertical position, columns by the horizontal bands the body's cells occupy.
 * Only documents without prose are read this way (see isSheetDocument): there the text order carries nothing.
 */
import type { PlacedItem } from './pdf-layout.js';
import { displayWidth } from './pdf-text.js';
import type { Block, RawTable } from './types.js';

/** A cell that holds an amount with decimals: what makes a row a data row (codes such as 201 have none). */
const AMOUNT = /^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+%?$/;

/** Header rows a sheet's columns can be read under; deeper headers nest merged cells over wrapped ones. */
const MAX_HEADER_ROWS = 2;

interface Cell {
  text: string;
  x: number;
  right: number;
  height: number;
}

/** A document of sheets only: its text has (almost) no sentence. A stray 注：…。 under a table is allowed. */
export function isSheetDocument(pageTexts: readonly string[]): boolean {
  const sentences = pageTexts.join('\n').match(/[。！？]/g)?.length ?? 0;
  return pageTexts.length > 0 && sentences * 3 < pageTexts.length;
}

/**
 * Items into rows by their vertical centres (a 17 pt header cell and a 9 pt amount beside it share a row though
 * their baselines differ), each row left to right.
 */
export function rowsOf(items: readonly PlacedItem[]): Cell[][] {
  const cells = items
    .flatMap(splitItem)
    .map((i) => ({ text: i.text.trim(), x: i.x, right: i.right, height: i.height, centre: i.y - i.height / 2 }))
    .filter((c) => c.text !== '')
    .sort((a, b) => a.centre - b.centre);
  const rows: (typeof cells)[] = [];
  for (const cell of cells) {
    const row = rows[rows.length - 1];
    const first = row?.[0];
    if (row && first && cell.centre - first.centre <= Math.max(2, Math.min(first.height, cell.height) / 2)) row.push(cell);
    else rows.push([cell]);
  }
  return rows.map((r) => r.sort((a, b) => a.x - b.x).map(({ text, x, right, height }) => ({ text, x, right, height })));
}

/**
 * pdf.js joins two touching cells into one item when the producer wrote them as one run ("27,664.22 一、一般公共服务
 * 支出"): an amount and a label on either side of a space are two cells. Where the second starts is estimated from
 * the printed widths of the two parts.
 */
function splitItem(item: PlacedItem): PlacedItem[] {
  const m = /^(\S+)\s+(\S.*)$/u.exec(item.text.trim());
  if (!m || AMOUNT.test(m[1]!) === AMOUNT.test(m[2]!) || /\s/.test(m[2]!)) return [item];
  const whole = displayWidth(item.text.trim());
  const split = item.x + ((item.right - item.x) * displayWidth(`${m[1]} `)) / whole;
  return [
    { ...item, text: m[1]!, right: item.x + ((item.right - item.x) * displayWidth(m[1]!)) / whole },
    { ...item, text: m[2]!, x: split },
  ];
}

/** Column bands: the x-ranges of the body's cells, overlapping ranges merged (a column's cells share its range). */
interface Band {
  x: number;
  right: number;
}

function bandsOf(rows: readonly Cell[][]): Band[] {
  // cells of one row are different columns even where one runs into the next (an amount whose box reaches past
  // the label beside it): each ends where its neighbour starts
  const spans = rows
    .flatMap((row) => row.map((c, i) => ({ x: c.x, right: Math.min(c.right, row[i + 1]?.x ?? Infinity) })))
    .sort((a, b) => a.x - b.x);
  const bands: Band[] = [];
  for (const s of spans) {
    const last = bands[bands.length - 1];
    if (last && s.x < last.right) last.right = Math.max(last.right, s.right);
    else bands.push({ ...s });
  }
  return bands;
}

/**
 * The band a body cell stands in: the one holding its centre. A header cell is centred over its column, whose
 * amounts are right-aligned: it belongs to the first band that reaches past its centre.
 */
function bandOf(cell: Cell, bands: readonly Band[], header: boolean): number {
  const centre = (cell.x + cell.right) / 2;
  const inside = bands.findIndex((b) => centre >= b.x && centre <= b.right);
  if (inside >= 0 || !header) return Math.max(0, inside >= 0 ? inside : bands.findLastIndex((b) => b.x <= centre));
  const right = bands.findIndex((b) => b.right >= centre);
  return right >= 0 ? right : bands.length - 1;
}

/** A row on the column grid; undefined for a header row two of whose cells fall in one band (columns unclear). */
function gridRow(row: readonly Cell[], bands: readonly Band[], header: boolean): string[] | undefined {
  const out: string[] = Array(bands.length).fill('');
  for (const cell of row) {
    const i = bandOf(cell, bands, header);
    if (header && out[i]) return undefined;
    out[i] = out[i] ? `${out[i]} ${cell.text}` : cell.text;
  }
  return out;
}

export interface Sheet {
  /** Lines above the table (title, 部门：… 单位：万元), top to bottom, cells joined by a space. */
  before: string[];
  /**
   * Per column of `rows`, the name its left-out (nested) header prints right above it; '' where the header does not
   * name the column alone (see columnNames).
   */
  columnNames?: string[];
  /** Lines below it (注：…). */
  after: string[];
  /** Header and body rows on the column grid; none when the page holds no data row. */
  rows: string[][];
  /** The title's row: set in a larger type than the body. */
  titleLines: number[];
}

const lineText = (row: readonly Cell[]): string => row.map((c) => c.text).join(' ');

/** A header's pieces stand over one another (a name wrapped in its cell) when their centres are this close. */
const STACKED_PT = 4;

/**
 * The columns' names from a nested header that cannot be kept as rows (“三公”经费 over 公务用车购置及运行维护费 over
 * 小计, names wrapped over lines). A column's box runs from the previous column's right edge to its own (amounts
 * stand right-aligned, headers centred in the box): the header pieces centred in that box name the column when
 * they stand over one another (因公出国 / （境）费). A box that also holds a merged header's piece, or the header of an
 * empty column the body never shows, gets no name; so do two columns printed with one name (预算数 and 决算数 of
 * one item). A missing name costs a field; a wrong one would put a figure under another item.
 */
function columnNames(header: readonly Cell[][], bands: readonly Band[]): string[] {
  const pieces: Cell[][] = bands.map(() => []);
  for (const cell of header.flat()) {
    const centre = (cell.x + cell.right) / 2;
    const i = bands.findIndex((b) => centre <= b.right);
    pieces[i >= 0 ? i : bands.length - 1]!.push(cell);
  }
  const names = pieces.map((cells) => {
    const centres = cells.map((c) => (c.x + c.right) / 2);
    const stacked = cells.length > 0 && Math.max(...centres) - Math.min(...centres) <= STACKED_PT;
    return stacked ? cells.map((c) => c.text).join('') : '';
  });
  return names.map((name) => (name && names.filter((n) => n === name).length === 1 ? name : ''));
}

/**
 * One page as a sheet. The table runs from its column headers (the rows right above the first data row, up to a
 * note such as `单位：万元` or the title) to its last data row; its columns are the bands of its body rows.
 */
export function sheetOf(items: readonly PlacedItem[]): Sheet {
  const rows = rowsOf(items);
  const heights = rows.flat().map((c) => c.height).sort((a, b) => a - b);
  const body = heights[Math.floor(heights.length / 2)] ?? 0;
  const largest = heights[heights.length - 1] ?? 0;
  // the title is set in the page's largest type, well above the body's (column headers may be larger too)
  const isTitle = (row: readonly Cell[]) => largest >= body * 1.5 && row.every((c) => c.height >= largest * 0.9);
  const isData = (row: readonly Cell[]) => row.some((c) => AMOUNT.test(c.text));
  const first = rows.findIndex(isData);
  const last = rows.findLastIndex(isData);
  const titleLines = (upTo: number) => rows.slice(0, upTo).flatMap((r, i) => (isTitle(r) ? [i] : []));
  if (first < 0) return { before: rows.map(lineText), after: [], rows: [], titleLines: titleLines(rows.length) };
  let top = first;
  while (top > 0 && !isTitle(rows[top - 1]!) && !rows[top - 1]!.some((c) => /[:：]/.test(c.text))) top--;
  const bands = bandsOf(rows.slice(first, last + 1));
  const headerCells = rows.slice(top, first);
  const header = headerCells.map((r) => gridRow(r, bands, true));
  const bodyRows = rows.slice(first, last + 1).map((r) => gridRow(r, bands, false)!);
  // headers whose columns cannot be told apart are left out, and so are nested ones (three rows and more, cells
  // wrapped over lines): a wrong header path makes wrong column sums, a missing one only fewer checks
  const kept = header.length <= MAX_HEADER_ROWS && header.every((h) => h !== undefined);
  const sheet: Sheet = {
    before: rows.slice(0, top).map(lineText),
    after: rows.slice(last + 1).map(lineText),
    rows: kept ? [...header, ...bodyRows] : bodyRows,
    titleLines: titleLines(top),
  };
  // a left-out header may still name its columns, for the cells of a row that has no label of its own
  if (!kept) {
    const names = columnNames(headerCells, bands);
    if (names.some((n) => n)) sheet.columnNames = names;
  }
  return sheet;
}

/**
 * Blocks and tables of a sheet document, page by page: the lines above a table, the table, the lines below it. A
 * page whose table has nothing above it and as many columns as the previous page's continues that table.
 */
export function sheetsToDocument(pages: readonly Sheet[]): { blocks: Block[]; tables: RawTable[] } {
  const blocks: Block[] = [];
  const tables: RawTable[] = [];
  const add = (text: string, page: number, heading: boolean) =>
    blocks.push({ index: blocks.length, kind: heading ? 'heading' : 'paragraph', text, page });
  let previous: { table: RawTable; page: number } | undefined;
  pages.forEach((sheet, i) => {
    const page = i + 1;
    sheet.before.forEach((text, k) => add(text, page, sheet.titleLines.includes(k)));
    if (sheet.rows.length) {
      const width = sheet.rows[0]!.length;
      const prev = previous;
      if (prev && !sheet.before.length && prev.page === page - 1 && prev.table.rows[0]!.length === width) {
        // the column headers repeated at the top of the page are dropped
        let skip = 0;
        while (skip < sheet.rows.length && sheet.rows[skip]!.join('|') === prev.table.rows[skip]?.join('|')) skip++;
        const rows = sheet.rows.slice(skip);
        prev.table.rows.push(...rows);
        prev.table.placedRows!.push(...rows.map(() => true));
        prev.table.rowPages!.push(...rows.map(() => page));
        previous = { table: prev.table, page };
      } else {
        // placed by position, yet marked rebuilt: a sheet's sums need a second column to corroborate a mismatch
        const table: RawTable = {
          page,
          rows: sheet.rows,
          afterBlock: blocks.length - 1,
          rebuilt: true,
          placedRows: sheet.rows.map(() => true),
          rowPages: sheet.rows.map(() => page),
          ...(sheet.columnNames ? { columnNames: sheet.columnNames } : {}),
        };
        tables.push(table);
        previous = { table, page };
      }
    } else {
      previous = undefined;
    }
    sheet.after.forEach((text) => add(text, page, false));
    if (sheet.after.length) previous = undefined;
  });
  return { blocks, tables };
}
