/**
 * Table structure read from a PDF's text layer and from getTable() pages: the cases real district 决算 and rendered
 * reports print (letter-spaced labels, spaced header lines, a table whose first rows end a page).
 */
import { describe, expect, it } from 'vitest';
import { mergePageTables, ruledTablePages } from '../../src/readers/pdf-tables.js';
import { tablesFromTabbedLines } from '../../src/readers/pdf-text-tables.js';
import type { Block } from '../../src/readers/types.js';

const blocks = (lines: string[]): Block[] => lines.map((text, index) => ({ index, kind: 'paragraph', text, page: 1 }));

describe('tables rebuilt from the text layer', () => {
  const page = [
    '一般公共预算财政拨款支出决算表',
    '单位：万元',
    '项目',
    '合计 基本支出 项目支出',
    '功能分类',
    '科目编码 科目名称',
    '208社 会 保 障 和 就',
    '业支出 80.50 80.50 0.00',
    '2080505',
    '机 关 事 业 单 位',
    '基 本 养 老 保 险',
    '缴费支出',
    '80.50 80.50 0.00',
    '合计 80.50 80.50 0.00',
  ];

  it('joins letter-spaced labels wrapped over several lines into their rows, under the spaced header line', () => {
    const { tables, blocks: kept } = tablesFromTabbedLines(blocks(page));
    expect(tables).toHaveLength(1);
    expect(tables[0]!.rows).toEqual([
      ['', '', '合计', '基本支出', '项目支出'],
      ['208', '社会保障和就业支出', '80.50', '80.50', '0.00'],
      ['2080505', '机关事业单位基本养老保险缴费支出', '80.50', '80.50', '0.00'],
      ['', '合计', '80.50', '80.50', '0.00'],
    ]);
    // the title and the unit note stay in the text, right before the table, for its title
    expect(kept.map((b) => b.text)).toEqual(['一般公共预算财政拨款支出决算表', '单位：万元']);
  });

  it('leaves out a spaced header that names more columns than the rows print: a name over the wrong column would make wrong sums', () => {
    const lines = ['支出决算表', '单位：万元', '本年支出合计 基本支出 项目支出 上缴上级支出 经营支出', '合计 90.00 80.00 10.00', '2010101 行政运行 90.00 80.00 10.00'];
    const { tables } = tablesFromTabbedLines(blocks(lines));
    expect(tables[0]!.rows[0]).toEqual(['', '合计', '90.00', '80.00', '10.00']);
  });
});

describe('ruled tables across a page break', () => {
  it('reads the page before a ruled page when the table starts in its last lines', () => {
    const intro = '项目概况。\n一级指标 二级指标 分值 得分\n预算执行 执行率 10 9.72';
    const rows = Array.from({ length: 4 }, (_, i) => `产出 数量${i} 10 10`).join('\n');
    expect(ruledTablePages([intro, rows, '自评结论。'])).toEqual([1, 2]);
    expect(ruledTablePages(['只有文字。', rows])).toEqual([2]);
  });

  it('puts the lines of a row cut by the page break back into that row', () => {
    const header = ['一级指标', '三级指标', '分值', '得分'];
    const merged = mergePageTables([
      { num: 1, tables: [[header, ['预算执行', '预算执行', '10', '9.72']]] },
      { num: 2, tables: [[header, ['', '率', '', ''], ['产出', '场次', '10', '10']]] },
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.rows).toEqual([header, ['预算执行', '预算执行率', '10', '9.72'], ['产出', '场次', '10', '10']]);
  });
});
