import { describe, expect, it } from 'vitest';
import { readHeader } from '../../src/text/metadata.js';
import { normalizeText, toOriginal } from '../../src/text/normalize.js';
import { continuesParagraph, displayWidth, typicalWrapWidth } from '../../src/text/reflow.js';
import { spanIndexAt, splitClauses, splitSentences } from '../../src/text/segment.js';
import type { Block } from '../../src/readers/types.js';
import { figuresOf, paragraph, textDoc } from './support.js';

const BOOKMARK = /\[bookmark:[^\]]*\]/;

describe('normalizeText', () => {
  it('folds full-width digits and punctuation one to one', () => {
    const original = '收入（合计）：１２３，４５６％；';
    const n = normalizeText(original);
    expect(n.text).toBe('收入(合计):123,456%;');
    expect(n.text.length).toBe(original.length);
    expect(Array.from(n.origin)).toEqual([...Array(original.length + 1).keys()]);
  });

  it('folds ideographic spaces and Kangxi radicals (⾏ → 行)', () => {
    expect(normalizeText('执\u2F8F率\u3000').text).toBe('执行率 ');
  });

  it('strips Word bookmark residue and maps offsets back to the original', () => {
    const original = '支出[bookmark: _GoBack]１２万元';
    const n = normalizeText(original, [BOOKMARK]);
    expect(n.text).toBe('支出12万元');
    // "12万元" starts at normalized 2 but original 21
    expect(n.origin[2]).toBe(original.indexOf('１'));
    expect(toOriginal(n, 2, 6)).toEqual({ start: 21, end: 25 });
    expect(original.slice(21, 25)).toBe('１２万元');
    expect(n.origin[n.text.length]).toBe(original.length);
  });

  it('applies the strip patterns in buildTextDocument so figures are found across the residue', () => {
    const doc = textDoc('合计[bookmark: _GoBack]30万元。', [BOOKMARK]);
    expect(doc.text).toBe('合计30万元。');
    expect(doc.original).toContain('[bookmark: _GoBack]');
  });
});

describe('splitSentences / splitClauses', () => {
  const text = '收入1,234,567.89元,支出2,3元;其中:甲、乙。第二句!第三句?\n第四句';
  const slices = (spans: { start: number; end: number }[]) => spans.map((s) => text.slice(s.start, s.end));

  it('splits sentences on 。!? and newlines', () => {
    expect(slices(splitSentences(text))).toEqual(['收入1,234,567.89元,支出2,3元;其中:甲、乙。', '第二句!', '第三句?', '第四句']);
  });

  it('splits clauses on , ; : 、 but not inside 1,234,567', () => {
    expect(slices(splitClauses(text))).toEqual([
      '收入1,234,567.89元,',
      '支出2,',
      '3元;',
      '其中:',
      '甲、',
      '乙。',
      '第二句!',
      '第三句?',
      '第四句',
    ]);
  });

  it('finds the span that holds an offset', () => {
    const spans = splitSentences(text);
    expect(spanIndexAt(spans, 0)).toBe(0);
    expect(spanIndexAt(spans, text.indexOf('第三句'))).toBe(2);
    expect(spanIndexAt(spans, text.length + 5)).toBe(-1);
  });
});

describe('continuesParagraph', () => {
  const wrapped = paragraph('本年度一般公共预算财政拨款支出比上年支出减');

  it('joins a hard-wrapped line that breaks a word ("…支出减" + "少929.49万元，…") at the wrap width', () => {
    const next = paragraph('少929.49万元，主要原因是项目完工。', 1);
    expect(continuesParagraph(wrapped, next, displayWidth(wrapped.text))).toBe(true);
    // without a wrap width a short line without inner punctuation could be a title
    expect(continuesParagraph(wrapped, next)).toBe(false);
  });

  it('joins after inner punctuation or before a unit/digit continuation', () => {
    expect(continuesParagraph(paragraph('主要职责：负责全县农业发展规划，'), paragraph('组织实施农业项目。', 1))).toBe(true);
    expect(continuesParagraph(paragraph('本年收入合计为'), paragraph('50万元。', 1))).toBe(true);
  });

  it('does not join a short title line to the text after it', () => {
    expect(continuesParagraph(paragraph('部门整体支出绩效评价报告'), paragraph('本单位2024年度收入合计50万元。', 1), 30)).toBe(false);
  });

  it('ends an outline heading given as a plain paragraph, and a text table row, whatever follows', () => {
    // a DOCX or PDF made from a text file has no heading styles: "一、总体情况" is a paragraph like any other
    expect(continuesParagraph(paragraph('一、总体情况'), paragraph('2025年度本馆经费支出合计86.43万元。', 1))).toBe(false);
    expect(continuesParagraph(paragraph('单位：元'), paragraph('| 项目 | 决算数 |', 1))).toBe(false);
    expect(continuesParagraph(paragraph('| 合计 | 86,430.00 |'), paragraph('| 公务接待费 | 25,180.00 |', 1))).toBe(false);
  });

  it('never joins headings, numbered items or a finished sentence', () => {
    const open = paragraph('主要职责包括：负责全县农业发展规划，');
    expect(continuesParagraph(open, paragraph('一、基本情况', 1))).toBe(false);
    expect(continuesParagraph(open, paragraph('1、组织实施农业项目', 1))).toBe(false);
    expect(continuesParagraph(open, paragraph('（二）项目情况', 1))).toBe(false);
    const heading: Block = { index: 0, kind: 'heading', text: '主要职责包括：负责全县，' };
    expect(continuesParagraph(heading, paragraph('组织实施农业项目。', 1))).toBe(false);
    expect(continuesParagraph(paragraph('工作全部完成。'), paragraph('下一段开始，内容。', 1))).toBe(false);
  });

  it('rebuilds a hard-wrapped paragraph so the change word and its amount meet', () => {
    const lines = [
      '本单位2024年度一般公共预算财政拨款收入',
      '为1,205.30万元，主要用于保障机构正常运',
      '转和完成年度重点工作任务，比上年支出减',
      '少929.49万元，下降43.54%，主要原因是',
      '上年实施的基础设施建设项目已于年内完工',
      '结算，本年度无新增基建项目支出安排。',
    ];
    expect(typicalWrapWidth(lines.map((t, i) => paragraph(t, i)))).toBeGreaterThan(15);
    const doc = textDoc(lines.join('\n'));
    expect(doc.blocks).toHaveLength(1);
    expect(doc.pieces).toHaveLength(6);
    const change = figuresOf(lines.join('\n')).find((f) => f.text === '929.49万元')!;
    expect(change.direction).toBe('decrease');
    expect(change.baseline).toMatch(/^比上年/);
  });
});

describe('readHeader', () => {
  const header = (...lines: string[]) => readHeader(lines.map((t, i) => paragraph(t, i)));

  it('takes the organisation from a sheet header line in a document without prose, never a 单位 of money', () => {
    const sheet = ['收入支出总览表', '部门：某市档案馆 单位：万元', '项目 金额'];
    expect(header(...sheet).organization).toBe('某市档案馆');
    expect(header('汇总表', '部门：\t单位：万元', '部门：\t某县统计局\t单位：万元').organization).toBe('某县统计局');
    expect(header('汇总表', '单位：万元').organization).toBeUndefined();
    // in prose a 部门： line is not a sheet header; one note under a sheet does not make prose
    expect(header(...sheet, '本部门主要职责是档案管理。').organization).toBeUndefined();
    const notes = Array.from({ length: 10 }, (_, i) => `科目${i} 1.00`);
    expect(header(...sheet, ...notes, '注：本单位无此项支出。').organization).toBe('某市档案馆');
  });

  it('fills the year and organisation from the metadata title only where the text has none', () => {
    const lines = (...t: string[]) => t.map((x, i) => paragraph(x, i));
    expect(readHeader(lines('收入支出总览表', '项目 金额'), '某市档案馆2031年部门预算公开表')).toEqual({
      title: '收入支出总览表',
      fiscalYear: 2031,
      fiscalYearFrom: 'title',
      organization: '某市档案馆',
    });
    const own = readHeader(lines('某县统计局2030年度部门预算'), '某市档案馆2031年部门预算公开表');
    expect(own).toMatchObject({ fiscalYear: 2030, organization: '某县统计局' });
  });

  it('reads year and organisation after the year', () => {
    expect(header('2025年度某县农业农村局部门整体支出绩效评价报告', '一、基本情况')).toEqual({
      title: '2025年度某县农业农村局部门整体支出绩效评价报告',
      fiscalYear: 2025,
      fiscalYearFrom: 'title',
      organization: '某县农业农村局',
    });
  });

  it('never takes the year from a publication date, a revision or a comparison base', () => {
    const h = header('公开时间：2021年9月30日', '依据《预算法》（2018年修订）编制', '与2019年度决算数相比，支出减少。');
    expect(h.fiscalYear).toBeUndefined();
    expect(h.title).toBeUndefined();
  });

  it('reads an excerpt’s year from its section heading, not its publication line', () => {
    const h = header('发布日期：2022年8月1日', '第二部分 2021年度单位决算情况说明', '本单位收入合计300万元，较2020年度决算数增加20万元。');
    expect(h).toMatchObject({ fiscalYear: 2021, fiscalYearFrom: 'heading' });
    expect(h.title).toBeUndefined();
  });

  it('falls back to the body’s statements of its own money, and only when one year clearly dominates', () => {
    const body = header('一、收支情况', '本单位2022年度总收入500万元，2022年度总支出480万元，比2021年度增加10万元。');
    expect(body).toMatchObject({ fiscalYear: 2022, fiscalYearFrom: 'body' });
    expect(header('一、收支情况', '2022年收入100万元，2021年收入90万元。').fiscalYear).toBeUndefined();
  });

  it('reads the organisation before the year (某街道2023年度“三公”经费决算情况说明)', () => {
    const h = header('某街道2023年度“三公”经费决算情况说明');
    expect(h.fiscalYear).toBe(2023);
    expect(h.organization).toBe('某街道');
  });

  it('prefers an explicit 预算主管部门 line and skips an 附件 label', () => {
    const h = header('附件1', '2024年度部门整体支出绩效自评报告', '预算主管部门：某市文化馆', '一、基本情况');
    expect(h.title).toBe('2024年度部门整体支出绩效自评报告');
    expect(h.fiscalYear).toBe(2024);
    expect(h.organization).toBe('某市文化馆');
  });

  it('reports no year or organisation when the opening names none', () => {
    const h = header('一、基本情况', '本单位负责全县档案管理。');
    expect(h.fiscalYear).toBeUndefined();
    expect(h.organization).toBeUndefined();
  });
});

describe('traditional characters', () => {
  it('reads 萬元, 佔 and 增長 as their simplified forms, one character for one', () => {
    const original = '本年度支出合計276.10萬元，其中基本支出76.11萬元，佔27.57%，比上年增長12.5%。';
    const n = normalizeText(original);
    expect(n.text).toBe('本年度支出合计276.10万元,其中基本支出76.11万元,占27.57%,比上年增长12.5%。');
    expect(n.text.length).toBe(original.length);
  });

  it('finds figures in a traditional-character text as in a simplified one', () => {
    const figures = figuresOf('項目支出199.99萬元，佔總支出的72.43%，比上年減少3.5萬元。');
    expect(figures.map((f) => [f.kind, f.text])).toEqual([
      ['amount', '199.99萬元'],
      ['percent', '72.43%'],
      ['amount', '3.5萬元'],
    ]);
    expect(figures[2]!.direction).toBe('decrease');
  });
});

describe('page numbers between the lines of a sentence', () => {
  it('are not read as digits of the figure they interrupt', () => {
    const figures = figuresOf('本年度会议费支出决算为215.30\n17\n万元，比上年减少12.50万元。');
    expect(figures.filter((f) => f.kind === 'amount').map((f) => f.text)).toEqual(['215.30万元', '12.50万元']);
    expect(figures[0]!.value).toEqual({ units: 21530n, scale: 2 });
  });

  it('leave a column of values alone (a number followed by a number is data, not a page)', () => {
    const doc = textDoc('在职人数（人）\n13\n25\n离退休人数');
    expect(doc.text).toContain('13');
  });
});
