import { describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, readDocument, ReadError } from '../../src/readers/index.js';
import { makeDocx, makePdf, makeStSongPdf } from './make-files.js';

/** The same bytes inside a larger buffer, at an odd offset, like a pooled Node Buffer. */
function atOffset(bytes: Uint8Array, offset = 7): Uint8Array {
  const big = new Uint8Array(bytes.length + offset + 5).fill(0xaa);
  big.set(bytes, offset);
  return big.subarray(offset, offset + bytes.length);
}

describe('readDocument', () => {
  it('refuses input over maxBytes before looking at it', async () => {
    const text = new TextEncoder().encode('预算执行率98.6%。');
    await expect(readDocument(text, { ...DEFAULT_READ_LIMITS, maxBytes: 10 })).rejects.toMatchObject({
      name: 'ReadError',
      code: 'E_TOO_LARGE',
    });
  });

  it('dispatches on content and numbers blocks 0..n-1, for all three formats', async () => {
    const docx = await makeDocx([{ heading: '一、概况' }, { p: '支出合计50.00万元。' }, { table: [['项目', '金额'], ['合计', '50.00']] }]);
    const pdf = makeStSongPdf(['一、部门概况', '本部门2024年度支出合计50.00万元，全部为基本支出。']);
    const txt = new TextEncoder().encode('一、概况\n支出合计50.00万元。\n');
    const formats: string[] = [];
    for (const bytes of [docx, pdf, txt]) {
      const doc = await readDocument(atOffset(bytes));
      formats.push(doc.format);
      expect(doc.blocks.length).toBeGreaterThan(1);
      expect(doc.blocks.map((b) => b.index)).toEqual(doc.blocks.map((_, i) => i));
    }
    expect(formats).toEqual(['docx', 'pdf', 'txt']);
  });

  it('leaves the caller’s bytes intact (pdf.js gets a copy)', async () => {
    const pdf = makeStSongPdf(['本部门2024年度支出合计50.00万元，全部为基本支出。']);
    const before = Buffer.from(pdf).toString('base64');
    await readDocument(pdf);
    expect(pdf.byteLength).toBeGreaterThan(0);
    expect(Buffer.from(pdf).toString('base64')).toBe(before);
  });

  it('every failure is a ReadError with a code', async () => {
    const inputs = [new Uint8Array(), new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), new TextEncoder().encode('%PDF-1.4 junk')];
    for (const bytes of inputs) {
      const error = await readDocument(bytes).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ReadError);
      expect(['E_NO_TEXT', 'E_CORRUPT']).toContain((error as ReadError).code);
    }
  });

  it('damaged files (deterministic byte flips and cuts) give a document or a ReadError, never a raw crash', async () => {
    let seed = 20240601;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const bases = [
      await makeDocx([{ title: '测试报告' }, { p: '正文内容。'.repeat(40) }, { table: [['项目', '金额'], ['合计', '1.00']] }]),
      await makePdf(['测试报告', '正文内容，'.repeat(80)]),
      makeStSongPdf(['正文内容测试文字行，共计十二个字符。']),
    ];
    for (let i = 0; i < 90; i++) {
      const bytes = bases[i % bases.length]!.slice();
      for (let k = 1 + Math.floor(random() * 16); k > 0; k--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const input = random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
      const outcome = await readDocument(input).then(
        (doc) => doc,
        (e: unknown) => e,
      );
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ReadError);
      else expect(outcome).toHaveProperty('blocks');
    }
  });
});
