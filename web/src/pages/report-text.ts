import { append, h } from '../dom.js';
import { type Role, rolesOf, type Rules } from '../rules.js';
import type { Figure, Report, ReportTable } from '../types.js';

/**
 * The report view's text pane: the document's lines and tables, with every figure a finding cites wrapped in
 * `<mark data-figure="<figure id>">`, drawn by its role in the findings that cite it.
 */

/** Stronger roles win when findings disagree: the total of one finding and a part of another is drawn as a total. */
const RANK: Record<Role, number> = { total: 3, compared: 2, part: 1, context: 0 };

/** Each cited figure's role over all the report's findings. */
export function figureRoles(report: Report, rules: Rules): Map<string, Role> {
  const role = new Map<string, Role>();
  for (const f of report.findings) {
    const roles = rolesOf(f, rules);
    f.figures.forEach((id, i) => {
      const r = roles[i]!;
      const had = role.get(id);
      if (had === undefined || RANK[r] > RANK[had]) role.set(id, r);
    });
  }
  return role;
}

/** One figure's place in the text. */
interface Span {
  start: number;
  end: number;
  figure: Figure;
}

/** Where a table's lines stand in the text (DOCX cells are one line each; TXT tables are `| … |` lines). */
interface TableRegion {
  table: ReportTable;
  firstLine: number;
  lastLine: number;
}

function lineTokens(line: string): string[] {
  const t = line.trim();
  if (!t) return [];
  if (t.startsWith('|')) return t.split('|').map((c) => c.trim()).filter(Boolean);
  return [t];
}

/** Finds each table's cells, in reading order, as a run of consecutive text lines. */
function tableRegions(lines: string[], tables: ReportTable[]): TableRegion[] {
  const regions: TableRegion[] = [];
  let from = 0;
  for (const table of tables) {
    const cells = (table.cells ?? []).flat().map((c) => c.trim()).filter(Boolean);
    if (cells.length < 2) continue;
    for (let start = from; start < lines.length; start++) {
      const first = lineTokens(lines[start]!);
      if (!first.length || first[0] !== cells[0]) continue;
      let k = 0;
      let line = start;
      let ok = true;
      while (k < cells.length && line < lines.length) {
        const tokens = lineTokens(lines[line]!);
        for (const token of tokens) {
          if (token !== cells[k]) {
            ok = false;
            break;
          }
          k++;
        }
        if (!ok) break;
        line++;
      }
      if (ok && k === cells.length) {
        regions.push({ table, firstLine: start, lastLine: line - 1 });
        from = line;
        break;
      }
    }
  }
  return regions;
}

/** A heading line as the server's outline (src/outline.ts, the checks' own heuristic) saw it: line index → depth. */
export type HeadingLines = ReadonlyMap<number, 1 | 2>;

function lineClass(index: number, headings: HeadingLines): string {
  if (index === 0) return 'ln doc-title';
  const level = headings.get(index);
  return level ? `ln h${level}` : 'ln';
}

function markOf(figure: Figure, role: Role, text: string): HTMLElement {
  return h('mark', { class: `fig fig-${role}`, 'data-figure': figure.id, 'data-role': role, title: `${figure.label || '数值'}：${figure.text}` }, text);
}

/** The text with its marks, each table where its cells stand in the text, and the tables found nowhere after it. */
export function renderText(report: Report, text: string, role: Map<string, Role>, headings: HeadingLines): HTMLElement[] {
  const figures = new Map(report.figures.map((f) => [f.id, f]));
  const cited = [...role.keys()].map((id) => figures.get(id)).filter((f): f is Figure => f !== undefined);
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  {
    let at = 0;
    for (const line of lines) {
      lineStarts.push(at);
      at += line.length + 1;
    }
  }
  const spans: Span[] = cited
    .filter((f) => f.loc.textStart !== undefined && f.loc.textEnd !== undefined && f.loc.textEnd > f.loc.textStart)
    .map((f) => ({ start: f.loc.textStart!, end: f.loc.textEnd!, figure: f }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const regions = tableRegions(lines, report.tables.filter((t) => t.cells?.length));
  const regionAt = new Map(regions.map((r) => [r.firstLine, r]));
  const placed = new Set(regions.map((r) => r.table.id));
  const textBox = h('div', { class: 'doc-text', id: 'doc-text' });
  let spanIndex = 0;
  for (let i = 0; i < lines.length; i++) {
    const region = regionAt.get(i);
    if (region) {
      append(textBox, renderTable(region.table, report, role));
      i = region.lastLine;
      const end = lineStarts[i]! + lines[i]!.length;
      while (spanIndex < spans.length && spans[spanIndex]!.start < end) spanIndex++;
      continue;
    }
    const line = lines[i]!;
    const start = lineStarts[i]!;
    const end = start + line.length;
    const p = h('p', { class: lineClass(i, headings), 'data-line': i + 1 });
    let at = start;
    while (spanIndex < spans.length && spans[spanIndex]!.start < end) {
      const s = spans[spanIndex++]!;
      if (s.start < at) continue; // overlaps the previous mark
      const stop = Math.min(s.end, end);
      if (s.start > at) append(p, text.slice(at, s.start));
      append(p, markOf(s.figure, role.get(s.figure.id) ?? 'part', text.slice(s.start, stop)));
      at = stop;
    }
    if (at < end) append(p, text.slice(at, end));
    if (!line.trim()) p.classList.add('blank');
    textBox.append(p);
  }
  const rest = report.tables.filter((t) => t.cells?.length && !placed.has(t.id));
  return rest.length ? [textBox, h('h2', { class: 'tables-head' }, `表格（${rest.length}）`), ...rest.map((t) => renderTable(t, report, role))] : [textBox];
}

function renderTable(table: ReportTable, report: Report, role: Map<string, Role>): HTMLElement {
  const cellFigures = new Map<string, Figure[]>();
  for (const f of report.figures) {
    if (f.loc.table !== table.id || f.loc.row === undefined || f.loc.col === undefined || !role.has(f.id)) continue;
    const key = `${f.loc.row}:${f.loc.col}`;
    cellFigures.set(key, [...(cellFigures.get(key) ?? []), f]);
  }
  const cells = table.cells ?? [];
  const body = cells.map((row, r) =>
    h(
      'tr',
      {},
      row.map((cell, c) => {
        const td = h(r === 0 ? 'th' : 'td', { class: /^[-+]?[\d,.]+%?$/.test(cell.trim()) ? 'num' : '' });
        const figs = cellFigures.get(`${r}:${c}`) ?? [];
        let at = 0;
        for (const f of figs) {
          const i = cell.indexOf(f.text, at);
          if (i < 0) {
            // the cell's text differs from the figure's (a unit added): mark the whole cell
            if (at === 0) {
              append(td, markOf(f, role.get(f.id)!, cell));
              at = cell.length;
            }
            continue;
          }
          append(td, cell.slice(at, i), markOf(f, role.get(f.id)!, f.text));
          at = i + f.text.length;
        }
        append(td, cell.slice(at));
        return td;
      }),
    ),
  );
  return h(
    'figure',
    { class: 'doc-table', 'data-table': table.id },
    h('figcaption', {}, table.title ?? '表格', h('span', { class: 'muted' }, ` 单位：${table.unit || '—'}${table.page ? ` · 第 ${table.page} 页` : ''}`)),
    h('div', { class: 'table-scroll' }, h('table', {}, h('tbody', {}, body))),
  );
}
