/**
 * The table fixtures themselves: their arithmetic is exact (checked here in integer 分, independently of src/),
 * the planted edits apply, and the merged-cell DOCX builder writes real spans.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PLANTED } from './cases.js';
import { cents, fixtureTables, headerRowCount, isBlank, plainText, plant, readFixture, renderMergedDocx } from './fixtures.js';

const texts = new Map<string, string>();
const text = async (file: string): Promise<string> => {
  if (!texts.has(file)) texts.set(file, await readFixture(file));
  return texts.get(file)!;
};

/** Cell value in 分; blanks and placeholders count 0 (the fixtures are exact, a blank is a nil part). */
const v = (row: readonly string[], c: number): bigint => cents(row[c] ?? '') ?? 0n;
const numbers = (s: string): string => s.match(/[\d.]+%?|(?<=\|)\s*-\s*(?=\|)/g)?.join(' ') ?? '';
const CODE = /^\d{3}(?:\d{2}){0,2}$/;

/** Column headers: each column's lowest non-empty header cell (merge markers skipped). */
function headersOf(rows: string[][]): string[] {
  const h = headerRowCount(rows);
  const width = Math.max(...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => {
    for (let r = h - 1; r >= 0; r--) if (!isBlank(rows[r]![c] ?? '')) return rows[r]![c]!;
    return '';
  });
}

/**
 * Generic relations: 类 = Σ 款 and 款 = Σ 项 in every value column, a 合计 row = Σ 类, and a column headed …合计 =
 * Σ the value columns to its right. Returns how many relations were verified.
 */
function verifyCodedTable(rows: string[][]): number {
  const body = rows.slice(headerRowCount(rows));
  const headers = headersOf(rows);
  const valueCols = headers.map((_, c) => c).filter((c) => body.some((r) => /^-?\d+\.\d{2}$/.test(r[c] ?? '')));
  let n = 0;
  const coded = body.filter((r) => CODE.test(r[0] ?? ''));
  for (const parent of coded) {
    const kids = coded.filter((r) => r[0]!.length === parent[0]!.length + 2 && r[0]!.startsWith(parent[0]!));
    if (!kids.length) continue;
    for (const c of valueCols) {
      expect(kids.reduce((s, k) => s + v(k, c), 0n), `${parent[0]} ${parent[1]} column ${headers[c]} = Σ children`).toBe(v(parent, c));
      n++;
    }
  }
  for (const total of body.filter((r) => r[0] === '合计')) {
    const top = coded.filter((r) => r[0]!.length === 3);
    for (const c of valueCols) {
      expect(top.reduce((s, k) => s + v(k, c), 0n), `合计 row, column ${headers[c]} = Σ 类`).toBe(v(total, c));
      n++;
    }
  }
  n += verifyTotalColumns(rows);
  return n;
}

function verifyTotalColumns(rows: string[][]): number {
  const headers = headersOf(rows);
  let n = 0;
  headers.forEach((h, tc) => {
    if (!h.endsWith('合计')) return;
    const parts = headers.map((_, c) => c).filter((c) => c > tc);
    for (const row of rows.slice(headerRowCount(rows))) {
      if (cents(row[tc] ?? '') === undefined) continue;
      expect(parts.reduce((s, c) => s + v(row, c), 0n), `${row.slice(0, 2).join(' ')}: ${h} = Σ columns right of it`).toBe(v(row, tc));
      n++;
    }
  });
  return n;
}

/** A two-sided 总表: per side, 本年…合计 = Σ rows above, 总计 = Σ rows from 本年…合计 on; the two 总计 agree. */
function verifyTwoSided(rows: string[][], sides: [label: number, value: number][]): number {
  const body = rows.slice(headerRowCount(rows));
  const totals: bigint[] = [];
  let n = 0;
  for (const [label, value] of sides) {
    const subtotal = body.findIndex((r) => /^本年(?:收入|支出)合计$/.test(r[label] ?? ''));
    const grand = body.findIndex((r) => r[label] === '总计');
    expect(subtotal, 'a 本年合计 row').toBeGreaterThan(0);
    expect(body.slice(0, subtotal).reduce((s, r) => s + v(r, value), 0n), `${body[subtotal]![label]}`).toBe(v(body[subtotal]!, value));
    expect(body.slice(subtotal, grand).reduce((s, r) => s + v(r, value), 0n), `总计 (side ${label})`).toBe(v(body[grand]!, value));
    totals.push(v(body[grand]!, value));
    n += 2;
  }
  expect(totals.every((t) => t === totals[0]), 'both 总计 agree').toBe(true);
  return n + 1;
}

/** A table with a 其中 block: the 其中 rows add up to the row before them; the 合计 row adds up the others. */
function verifySubItems(rows: string[][]): number {
  const body = rows.slice(headerRowCount(rows));
  const total = body.find((r) => r[0] === '合计')!;
  const start = body.findIndex((r) => (r[0] ?? '').startsWith('其中'));
  const parent = body[start - 1]!;
  let n = 0;
  for (let c = 1; c < total.length; c++) {
    let end = start;
    let sum = 0n;
    while (sum !== v(parent, c) || end === start) sum += v(body[end++]!, c);
    expect(sum, `其中 rows = ${parent[0]}`).toBe(v(parent, c));
    const others = body.filter((r, i) => r !== total && (i < start || i >= end));
    expect(others.reduce((s, r) => s + v(r, c), 0n), '合计 row').toBe(v(total, c));
    n += 2;
  }
  return n;
}

describe('the fixtures’ arithmetic is exact (integer 分)', () => {
  it('final-water-2025: every table adds up, and the narrative states the tables’ totals', async () => {
    const t = await text('final-water-2025.txt');
    const [summary, spending, fiscal, general, sangong] = fixtureTables(t) as [string[][], string[][], string[][], string[][], string[][]];
    let n = verifyTwoSided(summary, [[0, 1], [2, 3]]);
    n += verifyCodedTable(spending);
    n += verifyTwoSided(fiscal, [[0, 1], [2, 3]]);
    n += verifyTotalColumns(fiscal);
    n += verifyCodedTable(general);
    n += verifySubItems(sangong);
    expect(n).toBe(118);
    // the narrative figures that text-vs-table holds to the tables
    expect(t).toContain(`一般公共预算财政拨款基本支出${general[2]![3]}万元`);
    expect(t).toContain(`一般公共预算财政拨款项目支出${general[2]![4]}万元`);
    expect(t).toContain(`财政拨款收入支出总计${fiscal.at(-1)![1]}万元`);
    // the general-budget table is the 一般公共预算 column of the fiscal summary
    expect(general[2]![2]).toBe(fiscal.find((r) => r[2] === '本年支出合计')![4]);
  });

  it('final-health-2025: a 73-row coded table (≥ 60 subject codes) that rolls up, and the narrative’s breakdown', async () => {
    const t = await text('final-health-2025.txt');
    const [table] = fixtureTables(t) as [string[][]];
    expect(table.filter((r) => CODE.test(r[0] ?? '')).length).toBeGreaterThanOrEqual(60);
    expect(verifyCodedTable(table)).toBe(135);
    const total = table.find((r) => r[0] === '合计')!;
    expect(t).toContain(`一般公共预算财政拨款支出${total[2]}万元`);
    expect(t).toContain(`一般公共预算财政拨款基本支出${total[3]}万元`);
    expect(t).toContain(`一般公共预算财政拨款项目支出${total[4]}万元`);
    for (const cls of table.filter((r) => /^\d{3}$/.test(r[0] ?? ''))) expect(t).toContain(`${cls[1]}${cls[2]}万元`);
  });

  it('perf-school-repair-2025: 执行率 = 执行数 ÷ 全年预算数 (2 decimals), 其中 rows add up, 得分 ≤ 分值, scores total 100', async () => {
    const t = await text('perf-school-repair-2025.txt');
    const [funds, indicators] = fixtureTables(t) as [string[][], string[][]];
    const col = (rows: string[][], name: string) => rows[0]!.indexOf(name);
    const [budget, actual, rate, weight, score] = ['全年预算数', '全年执行数', '执行率', '分值', '得分'].map((h) => col(funds, h)) as number[];
    for (const row of funds.slice(1)) {
      const b = v(row, budget!);
      if (b === 0n) continue;
      // rate in hundredths of a per cent, rounded half up: 执行数 × 10000 ÷ 预算数
      const hundredths = (v(row, actual!) * 10000n * 2n + b) / (2n * b);
      expect(row[rate!], `${row[0]} 执行率`).toBe(`${(Number(hundredths) / 100).toFixed(2)}%`);
    }
    for (const c of [1, budget!, actual!]) expect(funds.slice(2).reduce((s, r) => s + v(r, c), 0n), `年度资金总额 column ${c}`).toBe(v(funds[1]!, c));
    const [w, s] = [col(indicators, '分值'), col(indicators, '得分')] as [number, number];
    const scored = [funds[1]!, ...indicators.slice(1, -1)].map((r) => (r === funds[1] ? [v(r, weight!), v(r, score!)] : [v(r, w), v(r, s)]));
    for (const [wt, sc] of scored) expect(sc! <= wt!).toBe(true);
    const totalRow = indicators.at(-1)!;
    expect(scored.reduce((a, [wt]) => a + wt!, 0n)).toBe(v(totalRow, w));
    expect(scored.reduce((a, [, sc]) => a + sc!, 0n)).toBe(v(totalRow, s));
    expect(t).toContain(`自评得分${totalRow[s]}分`);
  });

  it('every planted edit applies exactly once and changes a number', async () => {
    for (const c of PLANTED) {
      const base = await text(c.fixture);
      const edited = plant(base, c.find, c.replace);
      expect(edited, c.id).not.toBe(base);
      expect(numbers(c.replace), c.id).not.toBe(numbers(c.find));
    }
  });
});

describe('merge markers', () => {
  it('plainText() turns < and ^ cells into empty cells and leaves everything else alone', async () => {
    const t = await text('final-water-2025.txt');
    const plain = plainText(t);
    expect(plain).not.toMatch(/\|\s*[<^]\s*\|/);
    expect(plain.split('\n').length).toBe(t.split('\n').length);
    expect(plain).toContain('| 收入 |  | 支出 |  |  |  |');
    expect(plain).toContain('| 合计 |  | 1237.76 | 863.35 | 374.41 |');
    expect(plain.replace(/\|[^\n]*/g, '')).toBe(t.replace(/\|[^\n]*/g, ''));
  });

  it('renderMergedDocx() writes column spans, row spans and header rows (tblHeader only where true)', async () => {
    for (const spec of FIXTURES) {
      const t = await text(spec.file);
      const files = unzipSync(new Uint8Array(await renderMergedDocx(t)));
      const xml = strFromU8(files['word/document.xml']!);
      const tables = fixtureTables(t);
      expect(xml.match(/<w:tbl>/g)?.length, spec.file).toBe(tables.length);
      const spans = tables.flat(2).filter((c) => c === '<').length;
      const vmerges = tables.flat(2).filter((c) => c === '^').length;
      expect(xml.includes('<w:gridSpan'), spec.file).toBe(spans > 0);
      expect(xml.match(/<w:vMerge\/>|<w:vMerge w:val="continue"\/>/g)?.length ?? 0, spec.file).toBe(vmerges);
      expect(xml).not.toMatch(/<w:tblHeader w:val="(?:off|false|0)"\/>/);
      expect(xml.match(/<w:tblHeader\/>|<w:tblHeader w:val="(?:on|true|1)"\/>/g)?.length, spec.file).toBe(
        tables.reduce((s, rows) => s + headerRowCount(rows), 0),
      );
    }
  });
});
