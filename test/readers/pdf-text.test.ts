import { describe, expect, it } from 'vitest';
import {
  dropCjkDigitSpaces,
  isPageNumberLine,
  looksLikeTableRow,
  mapCompatIdeographs,
  pdfPagesToBlocks,
  removePageFurniture,
} from '../../src/readers/pdf-text.js';

describe('page furniture', () => {
  it('recognises page-number lines', () => {
    for (const line of ['- 3 -', '— 12 —', '－ 7 －', '3', '第3页', '第 3 页 共 10 页', '共10页 第3页', '3 / 10', 'Page 3 of 10']) {
      expect(isPageNumberLine(line), line).toBe(true);
    }
    for (const line of ['2024年', '3.5', '第三章', '276.10', '一、基本情况', '3个项目']) {
      expect(isPageNumberLine(line), line).toBe(false);
    }
  });

  it('removes running headers/footers that repeat (digits masked) at the edges of most pages', () => {
    const pages = [
      ['某区教育局2024年度部门决算说明', '一、部门职责', '正文甲。', '第1页'],
      ['某区教育局2024年度部门决算说明', '正文乙。', '某区教育局2024年度部门决算说明', '机密 2'],
      ['某区教育局2024年度部门决算说明', '正文丙。', '机密 3', '第3页'],
    ];
    expect(removePageFurniture(pages)).toEqual([
      ['一、部门职责', '正文甲。'],
      // the same text in the body of a page is content, not furniture
      ['正文乙。', '某区教育局2024年度部门决算说明'],
      ['正文丙。'],
    ]);
  });

  it('keeps an edge line that repeats on only a minority of pages', () => {
    const pages = [['附表说明', 'a。'], ['b。'], ['c。'], ['附表说明', 'd。'], ['e。']];
    expect(removePageFurniture(pages)[0]).toEqual(['附表说明', 'a。']);
  });
});

describe('character normalisation', () => {
  it('drops producer spaces between CJK and digits, but not between CJK words', () => {
    expect(dropCjkDigitSpaces('合计 276.10 万元，较 2023 年增长 3.5%，占比 27.57% 。')).toBe(
      '合计276.10万元，较2023年增长3.5%，占比27.57%。',
    );
    expect(dropCjkDigitSpaces('减少 -12.5 万元')).toBe('减少-12.5万元');
    expect(dropCjkDigitSpaces('单位：某局 日期：2024 年')).toBe('单位：某局 日期：2024年');
    expect(dropCjkDigitSpaces('Excel 表格 A 类')).toBe('Excel 表格 A 类');
  });

  it('maps Kangxi radicals and compatibility ideographs, leaving full-width punctuation alone', () => {
    // ⾏ U+2F8F, ⽀ U+2F40, 﨑 U+FA11 (compatibility ideograph)
    expect(mapCompatIdeographs('⾏政运⾏经费⽀出（万元）：１２％')).toBe('行政运行经费支出（万元）：１２％');
    expect(mapCompatIdeographs('\uF900')).toBe('\u8C48');
  });
});

describe('table rows', () => {
  it('recognises space- or tab-separated rows with adjacent numbers', () => {
    expect(looksLikeTableRow('基本支出 76.11 27.57%')).toBe(true);
    expect(looksLikeTableRow('合计 1,276.10 100.00%')).toBe(true);
    expect(looksLikeTableRow('公务接待费\t3.05')).toBe(true);
    expect(looksLikeTableRow('因公出国 - -')).toBe(true);
  });
  it('does not mistake prose with producer spaces for a row', () => {
    expect(looksLikeTableRow('合计 276.10 万元，其中基本支出 76.11 万元')).toBe(false);
    expect(looksLikeTableRow('2024 年 1 月 1 日')).toBe(false);
    expect(looksLikeTableRow('一、部门基本情况')).toBe(false);
  });
  it('reads a sentence whose number the producer set off with tabs as prose, so its wrapped line joins the next', () => {
    expect(looksLikeTableRow('机动经费预算数为 \t412.30 \t万元。与上年相比增')).toBe(false);
    const page = ['机动经费预算数为 \t412.30 \t万元。与上年相比增加10.00万元，增', '长2.49%。主要原因是人员增加。'];
    expect(pdfPagesToBlocks([page.join('\n')]).map((b) => b.text)).toHaveLength(1);
  });
});

describe('pdfPagesToBlocks', () => {
  // Lines of equal width stand for full lines of a wrapped paragraph.
  it('joins wrapped CJK lines without a space, Latin words with one, and stops at 。', () => {
    const page = [
      '本年度一般公共预算财政拨款支出合计为', // 18 CJK: full width
      '91.9万元，主要用于保障机构正常运转和完',
      '成专项业务工作任务，执行情况总体良好。',
      '全年召开绩效管理专题会议三次进行部署，',
      'and the annual performance review was',
      'done by an external team。',
    ];
    expect(pdfPagesToBlocks([page.join('\n')]).map((b) => b.text)).toEqual([
      '本年度一般公共预算财政拨款支出合计为91.9万元，主要用于保障机构正常运转和完成专项业务工作任务，执行情况总体良好。',
      '全年召开绩效管理专题会议三次进行部署，and the annual performance review was done by an external team。',
    ]);
  });

  it('does not join into a heading or numbered item, nor out of a short line', () => {
    const page = [
      '湖滨区文化旅游局2024年度决算说明', // short: title
      '一、收入支出决算总体情况',
      '本年度收入总计为一千二百三十四万元整，',
      '1.基本支出情况说明，本年度人员经费合计',
      '1.5万元，公用经费合计为三十二万元整，用',
      '于办公及日常运转。',
      '（二）项目支出',
      '第三章 附则',
    ];
    const blocks = pdfPagesToBlocks([page.join('\n')]);
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['heading', '湖滨区文化旅游局2024年度决算说明'],
      ['heading', '一、收入支出决算总体情况'],
      ['paragraph', '本年度收入总计为一千二百三十四万元整，'],
      ['paragraph', '1.基本支出情况说明，本年度人员经费合计1.5万元，公用经费合计为三十二万元整，用于办公及日常运转。'],
      ['heading', '（二）项目支出'],
      ['heading', '第三章 附则'],
    ]);
  });

  it('joins a paragraph over a page break and keeps the page of its first line', () => {
    const p1 = ['一、绩效目标', '全年计划完成公共文化服务活动场次共计', '一百二十场次并覆盖辖区内全部乡镇街道，', '- 1 -'];
    const p2 = ['- 2 -', '实际完成一百三十场次，完成率108.3%。', '二、存在问题'];
    const blocks = pdfPagesToBlocks([p1.join('\n'), p2.join('\n')]);
    expect(blocks.map((b) => [b.page, b.text])).toEqual([
      [1, '一、绩效目标'],
      [1, '全年计划完成公共文化服务活动场次共计一百二十场次并覆盖辖区内全部乡镇街道，实际完成一百三十场次，完成率108.3%。'],
      [2, '二、存在问题'],
    ]);
  });

  it('keeps table rows as separate blocks with their spaces', () => {
    const page = ['项目 决算数 占比', '基本支出 76.11 27.57%', '项目支出 199.99 72.43%', '合计 276.10 100.00%'];
    expect(pdfPagesToBlocks([page.join('\n')]).map((b) => b.text)).toEqual(page);
  });

  it('drops pdf-parse page markers', () => {
    expect(pdfPagesToBlocks(['正文内容。\n-- 1 of 2 --']).map((b) => b.text)).toEqual(['正文内容。']);
  });
});

describe('pdf.ts helpers', () => {
  it('formats page ranges and measures garbled text', async () => {
    const { formatPageRanges, garbledShare } = await import('../../src/readers/pdf.js');
    expect(formatPageRanges([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7–8');
    expect(garbledShare('正常文字')).toBe(0);
    expect(garbledShare('\uE001\uE002正常')).toBe(0.5);
  });
});

describe('document titles', () => {
  const body = [
    '本年度一般公共预算财政拨款支出合计为',
    '91.9万元，主要用于保障机构正常运转和完',
    '成专项业务工作任务，执行情况总体良好。',
  ];
  it('does not glue a full-width title to the first body line', () => {
    const blocks = pdfPagesToBlocks([['北湖区交通运输局2024年度部门决算说明', ...body].join('\n')]);
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph']);
  });
  it('re-joins a title wrapped in a large font', () => {
    const blocks = pdfPagesToBlocks([['北湖区交通运输局2024年度部门', '整体支出绩效评价报告', ...body].join('\n')]);
    expect(blocks.map((b) => [b.kind, b.text])).toEqual([
      ['heading', '北湖区交通运输局2024年度部门整体支出绩效评价报告'],
      ['paragraph', body.join('')],
    ]);
  });
  it('does not glue a short line above the title to it', () => {
    const blocks = pdfPagesToBlocks([['附件1', '北湖区交通运输局2024年度部门决算说明', ...body].join('\n')]);
    expect(blocks.map((b) => b.text)).toEqual(['附件1', '北湖区交通运输局2024年度部门决算说明', body.join('')]);
  });
  it('treats "…报告" deeper in the document as prose', () => {
    const lines = ['一、总体情况', ...body, '根据第三方机构出具的专项绩效评价报告', '显示本部门各项目标均已完成，效果较好。'];
    const blocks = pdfPagesToBlocks([lines.join('\n')]);
    expect(blocks.at(-1)?.text).toBe('根据第三方机构出具的专项绩效评价报告显示本部门各项目标均已完成，效果较好。');
  });
});
