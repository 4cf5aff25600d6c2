import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument, ReadError, type ExtractedDocument } from '../../src/readers/index.js';
import { loadedDocumentOf } from '../../src/readers/pdf.js';
import { makePdf, makeShapesPdf, makeStSongPdf } from './make-files.js';

async function readError(bytes: Uint8Array): Promise<ReadError> {
  const error = await readDocument(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadError);
  return error as ReadError;
}

/** What the tests expect after reading: producer spaces between CJK and digits gone. */
const unspace = (s: string): string => s.replace(/(?<=[\p{Script=Han}，。（）])\s+(?=\d)|(?<=[\d%])\s+(?=[\p{Script=Han}，。（）])/gu, '');

const TITLE = '苍山县水务局2024年度部门整体支出绩效评价报告';
const HEADER = '苍山县水务局绩效评价报告';
// Written with the spaces Word/LibreOffice PDFs carry between digits and CJK.
const P1 =
  '2024 年度本局全年支出合计 276.10 万元，其中基本支出 76.11 万元，项目支出 199.99 万元，' +
  '预算执行率为 98.50%，较上年提高 2.30 个百分点，资金使用总体规范。';
const CLAUSES = [
  '全年完成农村供水保障工程 12 处',
  '新增受益人口 3,200 人',
  '维修改造灌溉渠道 18.6 公里',
  '开展河道巡查 240 余次',
  '处理涉水投诉 36 件',
  '水质抽检合格率达到 99.2%',
  '防汛物资储备金额为 45.80 万元',
  '组织业务培训 6 期',
  '培训基层水管员 310 人次',
  '项目按期完工率为 91.7%',
];
/** A long paragraph (commas only, so the only 。 is the last character) that wraps over many lines. */
const longParagraph = (repeats: number): string =>
  `${Array.from({ length: repeats }, () => CLAUSES.join('，')).join('，')}。`;
const LONG = longParagraph(6);
const P3 = '部分项目前期论证不够充分，绩效目标设置偏宽泛。';

describe('PDF reader (pdfkit, embedded CJK font)', () => {
  let bytes: Uint8Array;
  let doc: ExtractedDocument;
  let raw: string[];
  /** The long paragraph of this PDF, sized so that it runs over the page break (font metrics vary). */
  let long = '';

  const rawPages = async (pdf: Uint8Array): Promise<string[]> => {
    const parser = new PDFParse({ data: pdf.slice() });
    try {
      return (await parser.getText({ pageJoiner: '' })).pages.map((p) => p.text);
    } finally {
      await parser.destroy();
    }
  };
  /** Page 2's first body line, if page 2 starts inside the long paragraph. */
  const page2StartsInside = (pages: string[]): boolean => {
    const first = pages[1]?.split('\n').find((l) => l !== HEADER && !/^- \d -$/.test(l));
    return pages.length === 2 && first !== undefined && !first.startsWith('三、') && unspace(long).includes(unspace(first));
  };

  beforeAll(async () => {
    for (let repeats = 5; repeats <= 9; repeats++) {
      long = longParagraph(repeats);
      bytes = await makePdf(
        [TITLE, '一、部门基本情况', P1, '基本支出 76.11 27.57%', '项目支出 199.99 72.43%', '二、绩效目标完成情况', long, '三、存在的问题', P3],
        { header: HEADER, footer: '- {n} -', title: '水务局绩效报告' },
      );
      raw = await rawPages(bytes);
      if (page2StartsInside(raw)) break;
    }
    doc = await readDocument(bytes);
  });

  it("reaches pdf-parse's private pdf.js document after its text pass (pinned version; an upgrade that moves it fails here)", async () => {
    const parser = new PDFParse({ data: bytes.slice() });
    try {
      await parser.getText({ pageJoiner: '' });
      const loaded = loadedDocumentOf(parser);
      expect(loaded).toBeDefined();
      const page = await loaded!.getPage(2);
      expect((await page.getTextContent()).items.length).toBeGreaterThan(0);
    } finally {
      await parser.destroy();
    }
  });

  it('has the layout the tests rely on: 2 pages, LONG breaks over the page, furniture in the raw text', () => {
    expect(doc.pages).toBe(2);
    expect(raw).toHaveLength(2);
    expect(raw[0]).toContain('- 1 -');
    expect(raw[1]).toContain(HEADER);
    expect(page2StartsInside(raw)).toBe(true);
    // and the raw text really has wrapped lines and producer spaces
    expect(raw[0]!.split('\n').length).toBeGreaterThan(20);
    expect(raw[0]).toMatch(/276\.10 万元/);
  });

  it('re-joins wrapped lines and the page break into the original paragraphs, with the right pages', () => {
    expect(doc.blocks.map((b) => [b.kind, b.page, b.text])).toEqual([
      ['heading', 1, TITLE],
      ['heading', 1, '一、部门基本情况'],
      ['paragraph', 1, unspace(P1)],
      ['heading', 1, '二、绩效目标完成情况'],
      ['paragraph', 1, unspace(long)], // starts on page 1, ends on page 2
      ['heading', 2, '三、存在的问题'],
      ['paragraph', 2, P3],
    ]);
    expect(doc.blocks.map((b) => b.index)).toEqual(doc.blocks.map((_, i) => i));
  });

  it('reads the two rows of numbers as a table, after the paragraph they follow', () => {
    expect(doc.tables).toEqual([
      expect.objectContaining({
        page: 1,
        afterBlock: 2,
        rebuilt: true,
        rows: [
          ['', '基本支出', '76.11', '27.57%'],
          ['', '项目支出', '199.99', '72.43%'],
        ],
      }),
    ]);
  });

  it('drops CJK/digit spaces, page numbers and running headers', () => {
    const all = doc.blocks.map((b) => b.text).join('\n');
    expect(all).toContain('合计276.10万元');
    expect(all).toContain('2024年度');
    const prose = doc.blocks.filter((b) => !b.text.startsWith('基本支出') && !b.text.startsWith('项目支出 '));
    for (const b of prose) expect(b.text).not.toMatch(/\d [\p{Script=Han}]|[\p{Script=Han}] \d/u);
    expect(all).not.toContain(HEADER);
    expect(all).not.toMatch(/- \d -/);
  });

  it('reads the metadata title and reports no warnings', () => {
    expect(doc.metadataTitle).toBe('水务局绩效报告');
    expect(doc.warnings).toEqual([]);
  });

  it('tolerates junk before %PDF-', async () => {
    const junk = new TextEncoder().encode('garbage from a mail gateway\r\n');
    const shifted = await readDocument(new Uint8Array([...junk, ...bytes]));
    expect(shifted.blocks.map((b) => b.text)).toEqual(doc.blocks.map((b) => b.text));
  });

  it('handles "第N页" footers', async () => {
    const pdf = await makePdf([TITLE, longParagraph(9)], { footer: '第{n}页' });
    const d = await readDocument(pdf);
    expect(d.pages).toBe(2);
    expect(d.blocks.map((b) => b.text)).toEqual([TITLE, unspace(longParagraph(9))]);
  });
});

describe('PDF reader: mixed text and image-only pages', () => {
  it('reads the text and warns about the pages without a text layer', async () => {
    const d = await readDocument(await makePdf([TITLE, P3], { imageOnlyPages: 3 }));
    expect(d.pages).toBe(4);
    expect(d.blocks.map((b) => b.text)).toEqual([TITLE, P3]);
    expect(d.warnings).toEqual(['page(s) 2–4 have no text layer (scanned or image-only?)']);
  });
});

describe('PDF reader: non-embedded CJK font (STSong-Light, UniGB-UCS2-H)', () => {
  const LINE = '部门决算说明：2024年“三公”经费支出合计12.30万元（含公务接待费3.05万元），完成率100%。';

  it('reads back exactly (needs cMapUrl)', async () => {
    const d = await readDocument(makeStSongPdf([LINE]));
    expect(d.pages).toBe(1);
    expect(d.blocks).toEqual([{ index: 0, kind: 'paragraph', text: LINE, page: 1 }]);
  });

  it('is silently empty with pdf-parse defaults, which is why the reader sets cMapUrl', async () => {
    const parser = new PDFParse({ data: makeStSongPdf([LINE]) });
    try {
      expect((await parser.getText({ pageJoiner: '' })).text.trim()).toBe('');
    } finally {
      await parser.destroy();
    }
  });
});

describe('PDF reader: failures', () => {
  it('encrypted (user password) → E_ENCRYPTED', async () => {
    const pdf = await makePdf(['这是一份设置了打开密码的决算说明。'], { userPassword: 'secret' });
    expect((await readError(pdf)).code).toBe('E_ENCRYPTED');
  });

  it('only drawn shapes → E_NO_TEXT, needs OCR', async () => {
    const e = await readError(await makeShapesPdf(2));
    expect(e.code).toBe('E_NO_TEXT');
    expect(e.message).toBe('PDF 没有文字层（扫描件？），需先做文字识别（OCR）');
  });

  it('truncated → E_CORRUPT', async () => {
    const pdf = await makePdf([TITLE, P1, LONG]);
    const e = await readError(pdf.slice(0, Math.floor(pdf.length / 2)));
    expect(e.code).toBe('E_CORRUPT');
  });

  it('a header and nothing else → E_CORRUPT', async () => {
    const e = await readError(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'));
    expect(e.code).toBe('E_CORRUPT');
  });
});
