import type { RawTable } from '../readers/types.js';
import type { TextDocument } from '../text/document.js';
import { normalizeText } from '../text/normalize.js';
import { prefixPower } from './chinese-numerals.js';
import { parseDec, shift } from './decimal.js';
import { analyseLabel, stageOf } from './label.js';
import type { Figure } from './types.js';

/**
 * A table as the checks see it: cell texts, where the header ends, each column's header path, each row's label
 * and subject code (201 / 20106 / 2010601), and the figure parsed from every numeric data cell.
 */
export interface Table {
  index: number;
  id: string;
  title?: string;
  page?: number;
  /** The printed amount unit from the table's 单位 note or header (万元, 元 …); '' when none is stated. */
  unit: string;
  rows: string[][];
  /** The same grid with the cell texts as the reader gave them (not width-folded), for the report. */
  originals: string[][];
  headerRows: number;
  /** Per column: its header cells top to bottom, joined with "/". */
  headers: string[];
  /** Per row: the first text cell (项目 name, 合计 …). */
  rowLabels: string[];
  /** Per row: the 功能分类/经济分类 code its leading cells spell, if any. */
  codes: (string | undefined)[];
  /** Figures of numeric data cells, by [row][col]. */
  cells: (Figure | undefined)[][];
  /** Where the table stands among the reader's blocks (its title and unit note are just before). */
  afterBlock: number;
  /** Rebuilt from a PDF's text: a lost row or shifted cell is possible (see table-sum's corroboration rule). */
  rebuilt: boolean;
  /** Per row: its cells stand where the page put them (always true for tables read cell by cell). */
  alignedRows: boolean[];
}

const NUMBER_CELL = /^([-−]?)\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(%?)$/;
const PLACEHOLDER = /^(?:|-|—|－|——|\/|／|\*|无|不适用|N\/A)$/i;
const UNIT_NOTE = /单位\s*[:：]?\s*(万元|千元|亿元|元)/;
const HEADER_UNIT = /[(（]\s*(万元|千元|亿元|元)\s*[)）]/;
const TITLE_HINT = /表|情况|明细|汇总/;

export const isPlaceholder = (text: string): boolean => PLACEHOLDER.test(text.replace(/\s+/g, ''));

/** A 功能分类 code spelled over the leading cells: 201 | 06 | 01, or 2010601, or "201 06 01". */
function codeOf(row: readonly string[]): { code?: string; cellsUsed: number } {
  const first = (row[0] ?? '').replace(/\s+/g, '');
  if (/^\d{3}(?:\d{2}){0,2}$/.test(first) && !/^\d{3}$/.test(first) === false) {
    // a 类 code alone in its cell: maybe followed by 款 and 项 cells
    let code = first;
    let used = 1;
    for (const c of row.slice(1, 3)) {
      const t = c.replace(/\s+/g, '');
      if (/^\d{2}$/.test(t)) {
        code += t;
        used++;
      } else if (t === '') used++;
      else break;
    }
    return { code, cellsUsed: used };
  }
  if (/^\d{3}(?:\d{2}){1,2}$/.test(first)) return { code: first, cellsUsed: 1 };
  const spaced = /^(\d{3})(?:\s+(\d{2}))?(?:\s+(\d{2}))?$/.exec((row[0] ?? '').trim());
  if (spaced) return { code: spaced.slice(1).filter(Boolean).join(''), cellsUsed: 1 };
  return { cellsUsed: 0 };
}

function isValueCell(text: string): boolean {
  return NUMBER_CELL.test(text.replace(/\s+/g, ''));
}

/** Rows before the first one that holds a value (not a code) are the header. */
/** "栏次 1 2 3 4": a row numbering its columns is part of the header, whatever its digits. */
const isColumnNumbering = (numbers: readonly string[]): boolean =>
  numbers.length >= 2 && numbers.every((n, i) => n === String(Number(numbers[0]) + i));

function headerRowCount(rows: readonly string[][]): number {
  const first = rows.findIndex((row) => {
    const { cellsUsed } = codeOf(row);
    const values = row.slice(cellsUsed).map((c) => c.replace(/\s+/g, '')).filter(isValueCell);
    return values.length > 0 && !isColumnNumbering(values);
  });
  return first < 0 ? rows.length : first;
}

/** The first column that holds values in the data rows (before it: codes and labels). */
function firstValueColumn(rows: readonly string[][], headerRows: number): number {
  let first = Infinity;
  for (const row of rows.slice(headerRows)) {
    const { cellsUsed } = codeOf(row);
    const i = row.findIndex((c, j) => j >= cellsUsed && isValueCell(c.replace(/\s+/g, '')));
    if (i >= 0 && row.length === Math.max(...rows.map((r) => r.length))) first = Math.min(first, i);
  }
  return first;
}

const LABEL_HEADER = /科目|编码|名称|项目|栏次|类|款|项/;

/**
 * A short PDF row. A data row without its code cells (合计 under 类|款|项) belongs at the right. A short header
 * row belongs at the right too ("项目" spanning the code and label columns) unless that would put a label-column
 * name (科目编码, 科目名称) over a value column: then its cells stand at the left, and its last cell spans the rest
 * ("科目编码 | 科目名称 | 本年支出" over "合计 | 基本支出 | 项目支出").
 */
function alignRow(row: readonly string[], width: number, isHeader: boolean, firstValueCol: number, folded: readonly string[]): string[] {
  if (row.length >= width) return [...row];
  const right = [...Array(width - row.length).fill(''), ...row];
  if (!isHeader) return right;
  const offset = width - row.length;
  const labelOverValue = folded.some((c, i) => LABEL_HEADER.test(c) && !/合计|支出|收入/.test(c) && i + offset >= firstValueCol);
  return labelOverValue ? [...row, ...Array(width - row.length).fill('')] : right;
}

/**
 * Header cells per column, top to bottom. In the top row an empty cell is covered by the merged cell to its left
 * (本年支出 spanning 合计/基本支出/项目支出); below it, an empty cell is covered by the cell above (the 类|款|项 row
 * leaves 合计's column empty), which the path already holds.
 */
function headerPaths(rows: readonly string[][], headerRows: number, width: number): string[] {
  const paths: string[][] = Array.from({ length: width }, () => []);
  rows.slice(0, headerRows).forEach((row, level) => {
    let carried = '';
    for (let i = 0; i < width; i++) {
      const own = (row[i] ?? '').replace(/\s+/g, '');
      const text = own || (level === 0 ? carried : '');
      carried = text;
      if (text) paths[i]!.push(text);
    }
  });
  return paths.map((p) => [...new Set(p)].join('/'));
}

function nearbyText(doc: TextDocument, afterBlock: number, before: number, after: number): string[] {
  const out: string[] = [];
  for (const piece of doc.pieces) {
    const i = piece.block.index;
    if (i > afterBlock - before && i <= afterBlock + after && piece.block.kind !== 'table-cell') out.push(piece.block.text);
  }
  return out;
}

function tableUnit(doc: TextDocument, raw: RawTable): string {
  for (const text of [...nearbyText(doc, raw.afterBlock, 3, 1), ...raw.rows.slice(0, 2).flat()]) {
    const m = UNIT_NOTE.exec(text.replace(/\s+/g, ''));
    if (m) return m[1]!;
  }
  return '';
}

function tableTitle(doc: TextDocument, raw: RawTable): string | undefined {
  const candidates = nearbyText(doc, raw.afterBlock, 3, 0)
    .map((t) => t.replace(/\s+/g, ''))
    .filter((t) => t.length >= 4 && t.length <= 60 && !UNIT_NOTE.test(t) && !/[。;；]$/.test(t));
  return [...candidates].reverse().find((t) => TITLE_HINT.test(t)) ?? candidates[candidates.length - 1];
}

function cellLabel(row: readonly string[], col: number, codeCells: number): string {
  for (let c = col - 1; c >= codeCells; c--) {
    const text = (row[c] ?? '').replace(/\s+/g, '');
    if (text && !isValueCell(text) && !isPlaceholder(text)) return text;
  }
  return '';
}

/** The reader's name for a column whose header it left out, width-folded like every label. */
const columnName = (raw: RawTable, col: number): string => normalizeText(raw.columnNames?.[col] ?? '').text.replace(/\s+/g, '');

/** Parses every reader table into the table model, numbering their cell figures after the text figures. */
export function buildTables(doc: TextDocument, raws: readonly RawTable[], firstId: number): { tables: Table[]; figures: Figure[] } {
  const tables: Table[] = [];
  const figures: Figure[] = [];
  raws.forEach((raw, index) => {
    const width = Math.max(0, ...raw.rows.map((r) => r.length));
    const folded = raw.rows.map((r) => r.map((c) => normalizeText(c ?? '').text.trim()));
    const headerRows = headerRowCount(folded);
    // PDF rows come back ragged (DOCX rows stand on their grid already): see alignRow
    const firstValueCol = firstValueColumn(folded, headerRows);
    const aligned = raw.cellBlocks ? raw.rows : raw.rows.map((r, i) => alignRow(r, width, i < headerRows, firstValueCol, folded[i]!));
    const originals = aligned.map((r) => r.map((c) => c ?? ''));
    const rows = aligned.map((r) => r.map((c) => normalizeText(c ?? '').text.trim()));
    const codeColumns = integerColumns(rows);
    const headers = headerPaths(rows, headerRows, width);
    const unit = tableUnit(doc, raw);
    const codes = rows.map((r, i) => (i < headerRows ? undefined : codeOf(r).code));
    const rowLabels = rows.map((r, i) => cellLabel(r, r.length, i < headerRows ? 0 : codeOf(r).cellsUsed) && firstLabel(r, i < headerRows ? 0 : codeOf(r).cellsUsed));
    const table: Table = {
      index,
      id: `t${index + 1}`,
      unit,
      rows,
      originals,
      headerRows,
      headers,
      rowLabels,
      codes,
      cells: [],
      afterBlock: raw.afterBlock,
      rebuilt: raw.rebuilt === true,
      alignedRows: rows.map((_, r) => raw.placedRows?.[r] ?? true),
    };
    const title = tableTitle(doc, raw);
    if (title) table.title = title;
    if (raw.page !== undefined) table.page = raw.page;
    rows.forEach((row, r) => {
      table.cells[r] = [];
      if (r < headerRows) return;
      const codeCells = codeOf(row).cellsUsed;
      row.forEach((text, c) => {
        if (c < codeCells || codeColumns.has(c)) return;
        const m = NUMBER_CELL.exec(text.replace(/\s+/g, ''));
        if (!m) return;
        // a column whose header the reader left out is headed by the name it read for it (its stage: 预算数, 决算数)
        const header = headers[c] || columnName(raw, c);
        const columnUnit = HEADER_UNIT.exec(header)?.[1];
        const isPercent = m[3] === '%';
        const printedUnit = isPercent ? '%' : columnUnit ?? unit;
        const value = parseDec((m[1] ? '-' : '') + m[2]!.replace(/,/g, ''));
        const label = cellLabel(row, c, codeCells) || columnName(raw, c);
        const info = analyseLabel(label);
        const power = isPercent ? 0 : prefixPower(printedUnit.replace(/元$/, ''));
        const figure: Figure = {
          id: `f${firstId + figures.length}`,
          kind: isPercent ? 'percent' : 'amount',
          start: -1,
          end: -1,
          numberStart: -1,
          text: (originals[r]?.[c] ?? text).trim(),
          value,
          decimals: value.scale,
          unit: printedUnit,
          power,
          label,
          shownLabel: cellLabel(originals[r] ?? [], c, codeCells) || (raw.columnNames?.[c] ?? ''),
          key: info.key || label,
          block: -1,
          sentence: -1,
          clause: -1,
          cell: {
            table: index,
            row: r,
            col: c,
            header,
            block: raw.cellBlocks?.[r]?.[c] ?? Math.max(0, raw.afterBlock),
            ...(title ? { tableTitle: title } : {}),
            ...((raw.rowPages?.[r] || raw.page) !== undefined ? { page: raw.rowPages?.[r] || raw.page! } : {}),
          },
        };
        if (!isPercent && printedUnit) figure.yuan = shift(value, power);
        const stage = stageOf(header);
        if (stage) figure.stage = stage;
        table.cells[r]![c] = figure;
        figures.push(figure);
      });
    });
    tables.push(table);
  });
  return { tables, figures };
}

/**
 * Columns that hold codes, not amounts: only whole numbers of 3–7 digits (301, 30201) in a table whose amounts
 * carry decimals — the right half of a two-sided 经济分类 table repeats its code column there.
 */
function integerColumns(rows: readonly string[][]): Set<number> {
  const codes = new Set<number>();
  const hasDecimals = rows.some((r) => r.some((c) => /^[\d,]+\.\d+%?$/.test(c.replace(/\s+/g, ''))));
  if (!hasDecimals) return codes;
  const width = Math.max(0, ...rows.map((r) => r.length));
  for (let c = 1; c < width; c++) {
    const values = rows.map((r) => (r[c] ?? '').replace(/\s+/g, '')).filter((v) => /^[\d,.]+%?$/.test(v));
    if (values.length && values.every((v) => /^\d{3,7}$/.test(v))) codes.add(c);
  }
  return codes;
}

function firstLabel(row: readonly string[], codeCells: number): string {
  for (const cell of row.slice(codeCells)) {
    const text = cell.replace(/\s+/g, '');
    if (text && !isValueCell(text) && !isPlaceholder(text)) return text;
  }
  return '';
}
