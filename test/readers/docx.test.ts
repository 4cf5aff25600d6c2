import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, readDocument, ReadError, type ReadLimits } from '../../src/readers/index.js';
import { lieAboutSizes, makeDocx, makeZip, makeZipBomb } from './make-files.js';

async function readError(bytes: Uint8Array, limits?: ReadLimits): Promise<ReadError> {
  const error = await readDocument(bytes, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadError);
  return error as ReadError;
}

const MB = 1024 * 1024;

describe('DOCX reader', () => {
  it('reads headings, paragraphs and table cells with merged cells expanded', async () => {
    const bytes = await makeDocx(
      [
        { title: '白云镇人民政府2024年度部门整体支出绩效评价报告' },
        { heading: '一、部门概况' },
        { p: '本单位2024年度支出合计386.25万元，其中基本支出210.40万元，项目支出175.85万元。' },
        { heading: '（一）支出结构', level: 2 },
        {
          table: [
            ['类别', '项目', '决算数（万元）'],
            [{ text: '基本支出', rowSpan: 2 }, '人员经费', '180.00'],
            ['公用经费', '30.40'],
            [{ text: '项目支出合计', colSpan: 2 }, '175.85'],
          ],
        },
        { p: '资金使用符合规定 & 无挤占挪用 <情况>。' },
      ],
      { title: '白云镇绩效报告 & 附表' },
    );
    const doc = await readDocument(bytes);
    expect(doc.format).toBe('docx');
    expect(doc.metadataTitle).toBe('白云镇绩效报告 & 附表');
    expect(doc.warnings).toEqual([]);
    expect(doc.blocks.map((b) => b.index)).toEqual(doc.blocks.map((_, i) => i));

    const nonCells = doc.blocks.filter((b) => b.kind !== 'table-cell').map((b) => [b.kind, b.text]);
    expect(nonCells).toEqual([
      ['heading', '白云镇人民政府2024年度部门整体支出绩效评价报告'],
      ['heading', '一、部门概况'],
      ['paragraph', '本单位2024年度支出合计386.25万元，其中基本支出210.40万元，项目支出175.85万元。'],
      ['heading', '（一）支出结构'],
      // entities decoded
      ['paragraph', '资金使用符合规定 & 无挤占挪用 <情况>。'],
    ]);

    const cells = doc.blocks.filter((b) => b.kind === 'table-cell').map((b) => [b.cell?.row, b.cell?.col, b.text]);
    expect(cells).toEqual([
      [0, 0, '类别'],
      [0, 1, '项目'],
      [0, 2, '决算数（万元）'],
      [1, 0, '基本支出'], // rowspan 2: covers (2,0), which gets no block
      [1, 1, '人员经费'],
      [1, 2, '180.00'],
      [2, 1, '公用经费'],
      [2, 2, '30.40'],
      [3, 0, '项目支出合计'], // colspan 2: covers (3,1)
      [3, 2, '175.85'],
    ]);
    expect(new Set(doc.blocks.filter((b) => b.cell).map((b) => b.cell?.table))).toEqual(new Set([0]));
    // the table sits between the heading before it and the paragraph after it
    const kinds = doc.blocks.map((b) => b.kind);
    expect(kinds.indexOf('table-cell')).toBe(4);
    expect(kinds.lastIndexOf('table-cell')).toBe(doc.blocks.length - 2);
  });

  it('reads list items, multi-paragraph cells and empty cells', async () => {
    const doc = await readDocument(
      await makeDocx([
        { p: '主要措施如下：' },
        { li: '完善预算绩效管理制度' },
        { li: '开展重点项目事前评估' },
        { table: [['指标', '说明'], ['产出数量', '完成培训6期\n覆盖310人次'], ['备注', '']] },
      ]),
    );
    expect(doc.blocks.map((b) => [b.kind, b.text])).toEqual([
      ['paragraph', '主要措施如下：'],
      ['list-item', '完善预算绩效管理制度'],
      ['list-item', '开展重点项目事前评估'],
      ['table-cell', '指标'],
      ['table-cell', '说明'],
      ['table-cell', '产出数量'],
      ['table-cell', '完成培训6期\n覆盖310人次'],
      ['table-cell', '备注'],
      ['table-cell', ''], // kept so the grid is complete
    ]);
  });

  it('a DOCX without text is E_NO_TEXT', async () => {
    const e = await readError(await makeDocx([{ p: '' }]));
    expect(e.code).toBe('E_NO_TEXT');
  });

  it('a truncated DOCX (first half of a real one) is E_CORRUPT', async () => {
    const bytes = await makeDocx([{ p: '本年度预算执行情况良好。'.repeat(300) }, { heading: '二、绩效目标' }]);
    const e = await readError(bytes.slice(0, Math.floor(bytes.length / 2)));
    expect(e.code).toBe('E_CORRUPT');
  });

  it('a ZIP whose word/document.xml is not XML is E_CORRUPT (mammoth error wrapped)', async () => {
    const e = await readError(makeZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '这不是XML<<<' }));
    expect(e.code).toBe('E_CORRUPT');
    expect(e.cause).toBeDefined();
  });

  it('zip bomb over the inflated-size limit (limit lowered to 1 MB, 5 MB part) is E_TOO_LARGE', async () => {
    const e = await readError(makeZipBomb(5), { ...DEFAULT_READ_LIMITS, maxInflatedBytes: 1 * MB });
    expect(e.code).toBe('E_TOO_LARGE');
  });

  it('a real 300 MB zip bomb is refused with default limits, before anything is inflated', async () => {
    const bomb = makeZipBomb(300);
    expect(bomb.length).toBeLessThan(2 * MB);
    const started = Date.now();
    const e = await readError(bomb);
    expect(e.code).toBe('E_TOO_LARGE');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a zip bomb that lies about its sizes is caught by counting the real inflated bytes', async () => {
    const liar = lieAboutSizes(makeZipBomb(5), 100);
    const e = await readError(liar, { ...DEFAULT_READ_LIMITS, maxInflatedBytes: 1 * MB });
    expect(e.code).toBe('E_TOO_LARGE');
    expect(e.message).toMatch(/解压后超过 \d+ 字节的上限/);
  });

  it('the hand-built bomb is a valid ZIP that really inflates (checked with fflate)', () => {
    const files = unzipSync(makeZipBomb(3));
    expect(files['word/document.xml']?.length).toBe(3 * MB);
    expect(files['word/document.xml']?.every((b) => b === 0)).toBe(true);
  });

  it('below the limits the bomb passes the guard, and mammoth failing on it becomes E_CORRUPT', async () => {
    const e = await readError(makeZipBomb(2));
    expect(e.code).toBe('E_CORRUPT');
  });
});
