import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/readers/decode-text.js';
import { readDocument, ReadError } from '../../src/readers/index.js';

const REPORT = [
  '青山县农业农村局2024年度部门决算说明',
  '',
  '一、部门基本情况',
  '　　本部门内设机构5个，下属单位2个，年末实有人数48人。',
  '（一）收入支出决算总体情况',
  '2024年度收入总计1,532.40万元，支出总计1,498.77万元，年末结转33.63万元。   ',
  '(二)财政拨款收入支出情况',
  '一、本年度“三公”经费支出12.30万元，比上年减少1.05万元，主要原因是严格控制公务接待。',
].join('\r\n');

async function expectReadError(bytes: Uint8Array, code: string): Promise<ReadError> {
  const error = await readDocument(bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadError);
  expect((error as ReadError).code).toBe(code);
  return error as ReadError;
}

describe('TXT reader', () => {
  it('reads UTF-8 with CRLF: one block per non-empty line, headings, sourceLine, verbatim text', async () => {
    const doc = await readDocument(new TextEncoder().encode(REPORT));
    expect(doc.format).toBe('txt');
    expect(doc.blocks.map((b) => [b.index, b.kind, b.sourceLine, b.text])).toEqual([
      [0, 'heading', 1, '青山县农业农村局2024年度部门决算说明'],
      [1, 'heading', 3, '一、部门基本情况'],
      // leading full-width indentation is kept verbatim
      [2, 'paragraph', 4, '　　本部门内设机构5个，下属单位2个，年末实有人数48人。'],
      [3, 'heading', 5, '（一）收入支出决算总体情况'],
      // trailing spaces trimmed, inner text untouched
      [4, 'paragraph', 6, '2024年度收入总计1,532.40万元，支出总计1,498.77万元，年末结转33.63万元。'],
      [5, 'heading', 7, '(二)财政拨款收入支出情况'],
      // outline-numbered but a sentence: stays a paragraph
      [6, 'paragraph', 8, '一、本年度“三公”经费支出12.30万元，比上年减少1.05万元，主要原因是严格控制公务接待。'],
    ]);
    expect(doc.warnings).toEqual([]);
  });

  it('decodes GBK (GB18030) text', async () => {
    const gbk = new Uint8Array(iconv.encode(REPORT, 'gbk'));
    expect(decodeText(gbk).encoding).toBe('gb18030');
    const doc = await readDocument(gbk);
    expect(doc.blocks[1]?.text).toBe('一、部门基本情况');
    expect(doc.blocks.map((b) => b.text).join('\n')).toContain('“三公”经费支出12.30万元');
  });

  it('strips a UTF-8 BOM and keeps line numbers', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('\n部门整体支出绩效自评得分92.5分。')]);
    const doc = await readDocument(bytes);
    expect(doc.blocks).toEqual([{ index: 0, kind: 'paragraph', text: '部门整体支出绩效自评得分92.5分。', sourceLine: 2 }]);
    expect(decodeText(bytes)).toMatchObject({ encoding: 'utf-8', bom: true });
  });

  it('decodes UTF-16 LE and BE with BOM', async () => {
    const le = new Uint8Array(iconv.encode('\uFEFF预算执行率98.6%', 'utf16le'));
    const be = new Uint8Array(iconv.encode('\uFEFF预算执行率98.6%', 'utf16be'));
    for (const bytes of [le, be]) {
      const doc = await readDocument(bytes);
      expect(doc.blocks[0]?.text).toBe('预算执行率98.6%');
    }
    expect(decodeText(be).encoding).toBe('utf-16be');
  });

  it('rejects binary junk with control characters', async () => {
    const junk = new Uint8Array(256).map((_, i) => (i * 37) % 256);
    await expectReadError(junk, 'E_UNSUPPORTED');
    const nul = new TextEncoder().encode('正文\u0000\u0000\u0000内容');
    await expectReadError(nul, 'E_UNSUPPORTED');
  });

  it('whitespace-only text is E_NO_TEXT', async () => {
    await expectReadError(new TextEncoder().encode(' \r\n\t\n　\n'), 'E_NO_TEXT');
  });
});
