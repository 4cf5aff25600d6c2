/**
 * Horizontal bar charts as SVG built through the DOM: no chart library to ship or keep up to date, nothing a
 * strict Content-Security-Policy refuses, and every bar and label is an element a test (or a screen reader, via
 * its <title>) can read. A bar may be stacked from parts (open / confirmed / false positive).
 */

const SVG = 'http://www.w3.org/2000/svg';

export interface BarPart {
  value: number;
  /** CSS class of the segment: its colour comes from the style sheet. */
  kind: string;
  label: string;
}

export interface BarRow {
  label: string;
  /** A tooltip for the label (the rule id behind a rule's name). */
  title?: string;
  parts: BarPart[];
  /** Printed after the bar; the total by default. */
  note?: string;
  href?: string;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

const LABEL_WIDTH = 170;
const BAR_WIDTH = 230;
/** Room after the longest bar for its note ("49 条 · 35 份"). */
const NOTE_WIDTH = 110;
const ROW = 22;

export function barChart(rows: BarRow[], caption: string): SVGSVGElement {
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((n, p) => n + p.value, 0)));
  const height = rows.length * ROW + 4;
  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${LABEL_WIDTH + BAR_WIDTH + NOTE_WIDTH} ${height}`, role: 'img', 'aria-label': caption, 'data-rows': rows.length });
  rows.forEach((row, i) => {
    const y = i * ROW + 2;
    const total = row.parts.reduce((n, p) => n + p.value, 0);
    const text = row.label.length > 13 ? `${row.label.slice(0, 12)}…` : row.label;
    const label = el('text', { x: LABEL_WIDTH - 6, y: y + 14, class: 'chart-label', 'text-anchor': 'end' }, el('title', {}, row.title ?? row.label), text);
    const group = el('g', { class: 'chart-row', 'data-label': row.label, 'data-value': total });
    group.append(row.href ? el('a', { href: row.href }, label) : label);
    let x = LABEL_WIDTH;
    for (const part of row.parts) {
      if (!part.value) continue;
      const w = (part.value / max) * BAR_WIDTH;
      group.append(el('rect', { x, y: y + 3, width: Math.max(1, w), height: ROW - 7, class: `bar ${part.kind}` }, el('title', {}, `${row.label} · ${part.label}：${part.value}`)));
      x += w;
    }
    group.append(el('text', { x: x + 5, y: y + 14, class: 'chart-value' }, row.note ?? String(total)));
    svg.append(group);
  });
  return svg;
}
