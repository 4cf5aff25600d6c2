/**
 * Tables rebuilt from the text layer. pdf-parse separates text items that stand far apart with a tab, so a table
 * row prints as "204 \t06 \t01 \t行政运行 \t14,348,853.34 \t14,348,853.34 \t0.00" whether or not the PDF draws
 * cell borders (most 预算/决算 disclosures do not, and getTable() then finds nothing). A run of such lines is a
 * table: leading subject codes, a label, and value cells aligned from the right; the tabbed lines just above its
 * first row are its column headers. A table continued on the next page, after its repeated header, is merged.
 */
import { type LineLayout, squashed } from './pdf-layout.js';
import type { Block, RawTable } from './types.js';

const VALUE = /^(?:[-−]?[\d,]+(?:\.\d+)?%?|-|—|－|\/)$/;
const HAN = /\p{Script=Han}/u;

interface Row {
  code: string;
  label: string;
  values: string[];
  /** Right edges of the value cells, where the page layout is known. */
  rights?: number[];
  page?: number;
}

/** Cells of a tabbed line; a number that shares a cell with the label after a space is split off ("务支出 20,120,000.00"). */
const cellsOf = (text: string): string[] =>
  text
    .split('\t')
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .flatMap((c) => {
      const code = /^(\d{1,3})\s+(\p{Script=Han}.*)$/u.exec(c); // "99 其他…": a code part before its label
      const cells = code ? [code[1]!, code[2]!] : [c];
      return cells.flatMap((cell) => {
        const m = /^(.*\p{Script=Han}.*?)\s+([-−]?[\d,]+(?:\.\d+)?%?)$/u.exec(cell);
        return m ? [m[1]!, m[2]!] : [cell];
      });
    });

/**
 * A row printed with spaces instead of tabs ("2210201 住房公积金 289.59 289.59 0.00", "合计 9746.50 5364.75"): a
 * code or label of Chinese text, then only numbers.
 */
function spacedCells(text: string): string[] | undefined {
  // a label set with letter-spacing ("社 会 保 障 和 就业支出", justified in a narrow cell) is one cell
  const t = text.trim().replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1');
  if (!/^(?:\d{3}(?:\s+\d{1,2}){0,2}\s*|\d{5}\s*|\d{7}\s*)?[\p{Script=Han}（）()、“”：:]+(?:\s+[-−]?[\d,]+(?:\.\d+)?%?|\s+[—－-])+$/u.test(t)) return undefined;
  return t.split(/\s+/);
}

/**
 * A row whose long label wrapped: "2080505机关事业单位基本养老保险缴" / "费支出" / "446.11 446.11", or
 * "201 \t03 \t99 其他…相关机构事" / "务支出 \t20,120,000.00", or a code alone on its line with a label wrapped
 * over three more ("2080505" / "机 关 事 业 单 位" / "基 本 养 老 保 险" / "缴费支出" / "446.11 …"). A line that opens
 * with a subject code but is no row takes up to WRAPPED_LINES following lines of its page until the whole reads as
 * one row.
 */
const WRAPPED_LINES = 4;

function joinWrappedRows(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    let joined: Block | undefined;
    if (/^\d{3}/.test(block.text.trim()) && !parseRow(block.text)) {
      let text = block.text.trim();
      for (let k = 1; k <= WRAPPED_LINES && !joined; k++) {
        const next = blocks[i + k];
        if (!next || next.page !== block.page || /^\d{3}\d*\s*\p{Script=Han}/u.test(next.text.trim())) break;
        const piece = next.text.trim();
        text += /^[-−\d]/.test(piece) ? ` ${piece}` : piece;
        if (parseRow(text)) {
          joined = { ...block, text };
          i += k;
        }
      }
    }
    out.push(joined ?? block);
  }
  return out;
}

/** A tabbed line with at least one value cell after its label: a data row. */
function parseRow(text: string): Row | undefined {
  const cells = text.includes('\t') ? cellsOf(text) : spacedCells(text);
  if (!cells) return undefined;
  let i = 0;
  const codeParts: string[] = [];
  // 类 (3 digits), then 款 and 项 (2 digits; some producers drop a leading zero: "301 \t7 \t绩效工资"), then the label
  if (/^\d{3}(?:\d{2}){1,2}$/.test(cells[0] ?? '') && HAN.test(cells[1] ?? '')) {
    codeParts.push(cells[0]!); // 20805 / 2080501 in one cell
    i = 1;
  } else if (/^\d{3}$/.test(cells[0] ?? '')) {
    let j = 1;
    while (j < 3 && /^\d{1,2}$/.test(cells[j] ?? '')) j++;
    if (HAN.test(cells[j] ?? '')) {
      codeParts.push(cells[0]!, ...cells.slice(1, j).map((c) => c.padStart(2, '0')));
      i = j;
    }
  }
  const labels: string[] = [];
  while (i < cells.length && !VALUE.test(cells[i]!)) labels.push(cells[i++]!);
  // "2010399其他政府办公厅…": a code printed in the label's cell
  const glued = !codeParts.length && labels.length ? /^(\d{3}(?:\d{2}){0,2})\s*(\p{Script=Han}.*)$/u.exec(labels[0]!) : null;
  if (glued) {
    codeParts.push(glued[1]!);
    labels[0] = glued[2]!;
  }
  const values = cells.slice(i);
  if (!values.length || values.some((v) => !VALUE.test(v)) || !values.some((v) => /\d/.test(v))) return undefined;
  if (!labels.length && !codeParts.length) return undefined;
  return { code: codeParts.join(''), label: labels.join(''), values };
}

/** Names of the code and label columns, which a row's code and label already cover. */
const LABEL_COLUMN = /^(?:项目|科目|科目编码|科目名称|功能分类|经济分类|(?:功能|经济)分类科目(?:编码|名称)?|编码|名称|类|款|项)$/;

/**
 * A header line printed with spaces (合计 基本支出 项目支出 under 项目 / 功能分类 / 科目编码 科目名称): its names of
 * value columns, [] for a line naming only the code and label columns. Such a line is kept only where it names
 * as many columns as the rows print values (see flush): a name set over the wrong column would make wrong sums.
 */
function spacedHeaderCells(text: string): string[] | undefined {
  if (/单位\s*[:：]/.test(text)) return undefined;
  const cells = text.trim().split(/\s+/);
  if (!cells.every((c) => /^[\p{Script=Han}（）()“”"]+$/u.test(c) && c.length >= 2 && c.length <= 12) && !(cells.length === 1 && LABEL_COLUMN.test(cells[0]!))) return undefined;
  const names = cells.filter((c) => !LABEL_COLUMN.test(c));
  return names.length === cells.length && names.length < 2 ? undefined : names;
}

/** A tabbed line of column names (合计 \t基本支出 \t项目支出), not a unit note or a row of one-character cells. */
function headerCells(text: string): string[] | undefined {
  if (!text.includes('\t') || /单位\s*[:：]/.test(text)) return undefined;
  const cells = cellsOf(text);
  // names run together with spaces in one tabbed cell are a spaced header's (spacedHeaderCells)
  if (cells.length < 2 || cells.some((c) => VALUE.test(c) || /\s/.test(c)) || !cells.every((c) => HAN.test(c))) return undefined;
  // "类 \t款 \t项" names the code columns, which a row's code already covers
  return cells.every((c) => c.length <= 1) ? [] : cells;
}

/**
 * Pages whose table rows print different numbers of values: only there does a value's column depend on where it
 * stands, so only they pay for a second, positional reading of the page.
 */
export function pagesNeedingPositions(pageTexts: readonly string[]): number[] {
  return pageTexts.flatMap((text, i) => {
    const counts = new Set(text.split('\n').map((line) => parseRow(line)?.values.length).filter((n) => n !== undefined));
    return counts.size > 1 ? [i + 1] : [];
  });
}

/** Column anchors: the right edges of value cells, clustered (values in one column end within a few points). */
function anchorsOf(rows: readonly Row[]): number[] {
  const edges = rows.flatMap((r) => r.rights ?? []).sort((a, b) => a - b);
  const anchors: number[][] = [];
  for (const e of edges) {
    const last = anchors[anchors.length - 1];
    if (last && e - last[last.length - 1]! <= 6) last.push(e);
    else anchors.push([e]);
  }
  return anchors.map((a) => a.reduce((s, x) => s + x, 0) / a.length);
}

/**
 * Rows as [code, label, value columns…]. With the page layout each value goes to the column whose right edge it
 * shares; without it a short row is ambiguous (which cell is empty?) and its values are marked unknown ("?").
 */
function alignRows(rows: readonly Row[], width: number): { cells: string[][]; placed: boolean[] } {
  const anchors = anchorsOf(rows);
  const usable = anchors.length >= width && rows.every((r) => r.rights?.length === r.values.length);
  const placed = rows.map((r) => usable || r.values.length === width);
  const cells = rows.map((r) => {
    if (usable) {
      const cells: string[] = Array(anchors.length).fill('');
      r.values.forEach((v, i) => {
        const right = r.rights![i]!;
        let best = 0;
        anchors.forEach((a, j) => {
          if (Math.abs(a - right) < Math.abs(anchors[best]! - right)) best = j;
        });
        cells[best] = v;
      });
      return [r.code, r.label, ...cells];
    }
    // which column a short row's values belong to cannot be told from its text: all of them are unknown
    return [r.code, r.label, ...(r.values.length < width ? Array(width).fill('?') : r.values)];
  });
  return { cells, placed };
}

interface Found {
  table: Omit<RawTable, 'afterBlock'>;
  firstBlock: number;
  /** The last block the table took, and its header lines (squashed), to recognise its continuation. */
  lastBlock: number;
  headerKey: string;
  width: number;
  lastPage?: number;
}

/** Finds text tables among a PDF's blocks; returns the blocks without the table lines, and the tables. */
export function tablesFromTabbedLines(
  blocks: readonly Block[],
  layouts: ReadonlyMap<number, readonly LineLayout[]> = new Map(),
): { blocks: Block[]; tables: RawTable[]; keptIndex: ReadonlyMap<number, number> } {
  blocks = joinWrappedRows(blocks);
  const consumed = new Set<number>();
  const found: Found[] = [];
  /** headers: the lines of column names above the rows; spaced: which of them were printed with spaces, not tabs. */
  let current: { rows: Row[]; headers: string[][]; spaced: boolean[]; first: number; page?: number; lastPage?: number } | undefined;
  let lastIndex = -1;
  const flush = () => {
    if (current && current.rows.length >= 2) {
      const width = Math.max(...current.rows.map((r) => r.values.length));
      const prev = found[found.length - 1];
      const { cells: rows, placed } = alignRows(current.rows, width);
      const columns = rows[0]!.length - 2;
      const headerKey = current.headers.map((h) => h.join('|')).join('/');
      // the same table on the next page: same columns, its header repeated (or none), little text in between
      const continues =
        prev !== undefined && prev.width === columns && prev.lastPage !== undefined && current.page === prev.lastPage + 1 &&
        (!headerKey || headerKey === prev.headerKey) && current.first - prev.lastBlock <= 4 &&
        // a caption or 单位 note in between starts another table
        !blocks.slice(prev.lastBlock + 1, current.first).some((b) => /表\s*$|单位\s*[:：]/.test(b.text.trim()));
      if (continues) {
        prev.table.rows.push(...rows);
        prev.table.placedRows!.push(...placed);
        prev.table.rowPages!.push(...current.rows.map((r) => r.page ?? current!.page ?? 0));
        prev.lastBlock = current.first + current.rows.length + current.headers.length;
        if (current.lastPage !== undefined) prev.lastPage = current.lastPage;
      } else {
        const header = current.headers.flatMap((h, k) => {
          // a spaced line's names stand for the value columns only when there are as many
          if (current!.spaced[k]) return h.length === columns ? [['', '', ...h]] : [];
          // "科目名称 \t合计 \t基本支出": the first cell names the label column unless every cell is a value column
          const valueHeaders = h.length > columns ? h.slice(h.length - columns) : h.length === columns ? h : h.slice(1);
          return [['', '', ...Array(columns - valueHeaders.length).fill(''), ...valueHeaders]];
        });
        const table: Omit<RawTable, 'afterBlock'> = {
          rows: [...header, ...rows],
          rebuilt: true,
          placedRows: [...header.map(() => true), ...placed],
          rowPages: [...header.map(() => current!.page ?? 0), ...current.rows.map((r) => r.page ?? current!.page ?? 0)],
        };
        if (current.page !== undefined) table.page = current.page;
        found.push({ table, firstBlock: current.first, lastBlock: lastIndex, headerKey, width: columns, ...(current.lastPage !== undefined ? { lastPage: current.lastPage } : {}) });
      }
    } else if (current) {
      for (let i = current.first; i < current.first + current.rows.length + current.headers.length; i++) consumed.delete(i);
    }
    current = undefined;
  };
  blocks.forEach((block, i) => {
    const row = parseRow(block.text);
    if (row) lastIndex = i;
    if (row && block.page !== undefined) row.page = block.page;
    if (row && block.page !== undefined) {
      const line = layouts.get(block.page)?.find((l) => l.key === squashed(block.text));
      // the values are the line's last cells (codes before them are numbers too)
      const valueCells = line?.cells.slice(-row.values.length);
      if (valueCells?.length === row.values.length && valueCells.every((c, i) => squashed(c.text) === squashed(row.values[i]!))) {
        row.rights = valueCells.map((c) => c.right);
      }
    }
    const tabbed = row ? undefined : headerCells(block.text);
    const spacedHeader = row || tabbed ? undefined : spacedHeaderCells(block.text);
    const header = tabbed ?? spacedHeader;
    if (row) {
      current ??= { rows: [], headers: [], spaced: [], first: i, ...(block.page !== undefined ? { page: block.page } : {}) };
      current.rows.push(row);
      if (block.page !== undefined) current.lastPage = block.page;
      consumed.add(i);
    } else if (header && (!current || !current.rows.length)) {
      current ??= { rows: [], headers: [], spaced: [], first: i, ...(block.page !== undefined ? { page: block.page } : {}) };
      if (header.length) {
        current.headers.push(header);
        current.spaced.push(spacedHeader !== undefined);
      }
      consumed.add(i);
    } else if (header && current && block.page !== current.lastPage) {
      // the header repeated at the top of the next page: the table goes on
      consumed.add(i);
    } else {
      flush();
    }
  });
  flush();
  // blocks keep the index they came in with (a joined row keeps its first line's), so callers can map theirs
  const kept: Block[] = [];
  const keptIndex = new Map<number, number>();
  blocks.forEach((b, i) => {
    if (consumed.has(i)) return;
    keptIndex.set(b.index, kept.length);
    kept.push({ ...b, index: kept.length });
  });
  const tables = found.map((f) => {
    let before = f.firstBlock - 1;
    while (before >= 0 && consumed.has(before)) before--;
    return { ...f.table, afterBlock: before >= 0 ? keptIndex.get(blocks[before]!.index)! : -1 };
  });
  return { blocks: kept, tables, keptIndex };
}
