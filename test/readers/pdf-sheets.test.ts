import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';
import type { PlacedItem } from '../../src/readers/pdf-layout.js';
import { isSheetDocument, rowsOf, sheetOf, sheetsToDocument } from '../../src/readers/pdf-sheets.js';
import { readDocument } from '../../src/readers/index.js';
import { makeSheetPdf, type SheetCell } from './make-files.js';

/** An item as pdf.js places it: baseline y, width from the text at 9 pt (CJK 9, digits 5). */
const item = (text: string, x: number, y: number, height = 9): PlacedItem => {
  const width = [...text].reduce((w, ch) => w + (/[\d.,]/.test(ch) ? height * 0.55 : height), 0);
  return { text, x, right: x + width, y, height };
};
const amount = (text: string, right: number, y: number): PlacedItem => ({ ...item(text, 0, y), x: right - text.length * 5, right });

describe('isSheetDocument', () => {
  it('is a document of pages without sentences; a note under one table does not make prose', () => {
    expect(isSheetDocument(['收支总表\n合计 10.00', '注：本单位无此项支出。', '支出表\n合计 5.00', '采购表'])).toBe(true);
    expect(isSheetDocument(['一、部门职责。本部门负责档案管理。', '合计 10.00'])).toBe(false);
  });
});

describe('sheetOf', () => {
  it('reads rows by position whatever the drawing order, and side-by-side label/amount pairs as four columns', () => {
    const items = [
      item('部门：某市档案馆', 40, 60),
      item('单位：万元', 700, 60),
      item('一、财政拨款', 40, 100),
      amount('1,250.40', 300, 100),
      // the next label starts 3 pt after the amount ends: touching cells
      item('一、基本支出', 303, 100),
      amount('800.30', 600, 100),
      item('二、项目支出', 303, 120),
      amount('500.10', 600, 120),
      item('收入合计', 40, 140),
      amount('1,250.40', 300, 140),
      item('支出合计', 303, 140),
      amount('1,300.40', 600, 140),
      item('项目', 40, 82),
      item('金额', 270, 82),
      item('项目', 303, 82),
      item('金额', 570, 82),
      item('收支总表', 300, 35, 20), // the title, drawn last in a larger type
    ];
    const sheet = sheetOf(items);
    expect(sheet.before).toEqual(['收支总表', '部门：某市档案馆 单位：万元']);
    expect(sheet.titleLines).toEqual([0]);
    expect(sheet.rows).toEqual([
      ['项目', '金额', '项目', '金额'],
      ['一、财政拨款', '1,250.40', '一、基本支出', '800.30'],
      ['', '', '二、项目支出', '500.10'],
      ['收入合计', '1,250.40', '支出合计', '1,300.40'],
    ]);
  });

  it('splits an amount and a label that the producer wrote as one run', () => {
    const rows = rowsOf([item('一、财政拨款', 40, 100), item('1,250.40 一、基本支出', 260, 100), amount('800.30', 600, 100)]);
    expect(rows[0]!.map((c) => c.text)).toEqual(['一、财政拨款', '1,250.40', '一、基本支出', '800.30']);
  });

  it('keeps the code, name and amount of a coded row in their own cells', () => {
    const sheet = sheetOf([
      item('科目编码', 40, 80),
      item('科目名称', 200, 80),
      item('金额', 560, 80),
      item('合计', 220, 100),
      amount('1,300.40', 600, 100),
      item('205', 40, 120),
      item('教育支出', 200, 120),
      amount('1,300.40', 600, 120),
      item('2050201', 40, 140),
      item('学前教育', 200, 140),
      amount('1,300.40', 600, 140),
    ]);
    expect(sheet.rows).toEqual([
      ['科目编码', '科目名称', '金额'],
      ['', '合计', '1,300.40'],
      ['205', '教育支出', '1,300.40'],
      ['2050201', '学前教育', '1,300.40'],
    ]);
  });

  it('names the columns of a nested header it leaves out only where the names stand over the column alone', () => {
    // a 三公 sheet: one row of amounts under a five-line header whose merged cells span several columns, and an
    // empty 购置费 column that the body never shows
    const sheet = sheetOf([
      item('单位：万元', 700, 40),
      item('“三公”经费', 300, 60),
      item('公务用车购置及运行维护费', 290, 72),
      item('合计', 40, 84),
      item('因公出国', 160, 84),
      item('会议费', 560, 84),
      item('小计', 100, 96),
      item('公务接待费', 470, 96),
      item('（境）费', 163, 108),
      item('公务用车购置', 320, 108),
      item('公务用车运行', 400, 108),
      item('小计', 262, 120),
      item('费', 349, 132),
      item('维护费', 420, 132),
      amount('92.40', 70, 150),
      amount('60.40', 130, 150),
      amount('12.00', 210, 150),
      amount('40.00', 300, 150),
      amount('40.00', 460, 150),
      amount('8.40', 520, 150),
      amount('32.00', 590, 150),
    ]);
    expect(sheet.rows).toEqual([['92.40', '60.40', '12.00', '40.00', '40.00', '8.40', '32.00']]);
    // the box under 公务用车… holds pieces of three headers, so it stays unnamed; 小计 stands over two columns
    expect(sheet.columnNames).toEqual(['合计', '', '因公出国（境）费', '', '', '公务接待费', '会议费']);
  });

  it('gives no name to two columns printed with one, and keeps a stage printed over the name in it', () => {
    // the name wrapped over two lines (公务接 / 待费), centred at 80 and 220
    const header = (over: [string, number][]) =>
      sheetOf([
        item('单位：万元', 300, 40),
        ...over.map(([text, x]) => item(text, x, 60)),
        ...[66.5, 206.5].flatMap((x) => [item('公务接', x, 72), item('待费', x + 4.5, 84)]),
        amount('5.00', 110, 100),
        amount('4.80', 250, 100),
      ]);
    // 预算数 and 决算数 off the names' centres: both columns would be 公务接待费
    expect(header([['预算数', 50], ['决算数', 190]]).columnNames).toBeUndefined();
    // centred over them: the stage is part of each name
    expect(header([['预算数', 66.5], ['决算数', 206.5]]).columnNames).toEqual(['预算数公务接待费', '决算数公务接待费']);
  });

  it('leaves out a header whose cells cannot be told apart by column', () => {
    const sheet = sheetOf([item('合计', 40, 80), item('基本支出', 60, 80), item('项目', 200, 80), amount('9.00', 100, 100), amount('4.00', 240, 100)]);
    expect(sheet.rows).toEqual([['9.00', '4.00']]);
  });
});

describe('sheetsToDocument', () => {
  it('puts each table after its page’s lines and continues a table on a page with nothing above it', () => {
    const row = (label: string, value: string) => ({ before: [], after: [], titleLines: [], rows: [[label, value]] });
    const { blocks, tables } = sheetsToDocument([
      { before: ['支出表', '单位：万元'], after: [], titleLines: [0], rows: [['项目', '金额'], ['甲', '1.00']] },
      row('乙', '2.00'),
      { before: ['采购表'], after: ['注：无'], titleLines: [0], rows: [['丙', '3.00']] },
    ]);
    expect(blocks.map((b) => [b.text, b.kind, b.page])).toEqual([
      ['支出表', 'heading', 1],
      ['单位：万元', 'paragraph', 1],
      ['采购表', 'heading', 3],
      ['注：无', 'paragraph', 3],
    ]);
    expect(tables.map((t) => [t.afterBlock, t.rows, t.rowPages])).toEqual([
      [1, [['项目', '金额'], ['甲', '1.00'], ['乙', '2.00']], [1, 1, 2]],
      [2, [['丙', '3.00']], [3]],
    ]);
  });
});

describe('a sheet PDF', () => {
  // an invented 公开表: cells drawn one by one, the title last; a column is a left edge (text) or a right edge (amounts)
  type Column = { left: number } | { right: number };
  const page = (title: string, columns: Column[], rows: string[][]): SheetCell[] => [
    { text: '部门：某市档案馆', x: 40, y: 60 },
    { text: '单位：万元', x: 700, y: 60 },
    ...rows.flatMap((row, r) =>
      row.flatMap((text, c): SheetCell[] => {
        const col = columns[c]!;
        if (!text) return [];
        const x = 'left' in col ? col.left : col.right - text.length * (r === 0 ? 10 : 5);
        return [{ text, x, y: 82 + r * 20 - (r === 0 ? 0 : 2) }];
      }),
    ),
    { text: title, x: 300, y: 30, size: 20 },
  ];
  const page1 = page('收支总表', [{ left: 40 }, { right: 300 }, { left: 320 }, { right: 600 }], [
    ['项目', '金额', '项目', '金额'],
    ['一、财政拨款', '1,250.40', '一、基本支出', '800.30'],
    ['二、其他资金', '50.00', '二、项目支出', '500.10'],
    ['收入合计', '1,300.40', '支出合计', '1,300.40'],
  ]);
  const page2 = page('财政拨款支出表', [{ left: 40 }, { left: 200 }, { right: 600 }], [
    ['科目编码', '科目名称', '金额'],
    ['', '合计', '1,300.40'],
    ['205', '教育支出', '1,300.40'],
    ['2050201', '学前教育', '1,300.40'],
  ]);

  it('becomes one table per page with its unit, and the fields its row labels name', async () => {
    const bytes = await makeSheetPdf([page1, page2]);
    const read = await readDocument(bytes);
    expect(read.tables!.map((t) => t.rows.length)).toEqual([4, 4]);
    expect(read.tables![0]!.rows[1]).toEqual(['一、财政拨款', '1,250.40', '一、基本支出', '800.30']);
    expect(read.tables![1]!.rows[3]).toEqual(['2050201', '学前教育', '1,300.40']);
    const report = await checkDocument(bytes);
    expect(report.organization).toBe('某市档案馆');
    expect(report.tables.map((t) => [t.title, t.unit])).toEqual([
      ['收支总表', '万元'],
      ['财政拨款支出表', '万元'],
    ]);
    expect(report.fields).toMatchObject({
      'income.total': 13004000,
      'expenditure.total': 13004000,
      'expenditure.basic': 8003000,
      'expenditure.project': 5001000,
    });
    expect(report.findings).toEqual([]);
  }, 30_000);

  it('takes the items of a 三公 sheet’s single row from the names its nested header prints over them', async () => {
    // header pieces centred in their columns' boxes, amounts right-aligned; 公务用车… spans three columns, one empty
    const cell = (text: string, centre: number, y: number): SheetCell => ({ text, x: centre - text.length * 4.5, y });
    const figures = (values: [string, number][]) => values.map(([text, right]): SheetCell => ({ text, x: right - text.length * 5, y: 180 }));
    const sangong: SheetCell[] = [
      { text: '“三公”经费支出预算表', x: 300, y: 30, size: 20 },
      { text: '部门：某市档案馆', x: 40, y: 60 },
      { text: '单位：万元', x: 700, y: 60 },
      cell('“三公”经费', 330, 80),
      cell('公务用车购置及运行维护费', 380, 92),
      cell('合计', 60, 104),
      cell('因公出国', 230, 104),
      cell('小计', 150, 116),
      cell('公务接待费', 560, 116),
      cell('（境）费', 230, 128),
      cell('公务用车购置', 410, 128),
      cell('公务用车运行', 490, 128),
      cell('小计', 330, 140),
      cell('费', 410, 152),
      cell('维护费', 490, 152),
      ...figures([['36.80', 100], ['36.80', 200], ['6.00', 260], ['24.00', 370], ['24.00', 530], ['6.80', 600]]),
    ];
    const report = await checkDocument(await makeSheetPdf([sangong]));
    expect(report.fields).toMatchObject({ 'threePublic.abroad': 60000, 'threePublic.reception': 68000 });
    // the columns under merged or repeated headers name no item: no 三公 total or vehicle figure is guessed
    expect(report.fields['threePublic.total']).toBeUndefined();
    expect(report.fields['threePublic.vehicle']).toBeUndefined();
  }, 30_000);
});
