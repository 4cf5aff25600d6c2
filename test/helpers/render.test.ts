import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { applyPlanted, parseFixtureText, renderDocx, renderPdfKit, renderPdfOffice } from './render.js';

const execFileAsync = promisify(execFile);
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const fixture = (name: string) => readFile(path.join(FIXTURES, 'reports', name), 'utf8');
const squash = (s: string) => s.replace(/\s+/g, '');

interface Planted {
  id: string;
  base: string;
  find: string;
  replace: string;
  expect: { ruleId: string; cites: string }[];
  note: string;
}

async function pdfToText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-pdftotext-'));
  try {
    const file = path.join(dir, 'in.pdf');
    await writeFile(file, pdf);
    const { stdout } = await execFileAsync('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function docxXml(docx: Buffer): string {
  const files = unzipSync(new Uint8Array(docx));
  const xml = files['word/document.xml'];
  expect(xml, 'word/document.xml in the zip').toBeDefined();
  return strFromU8(xml!);
}

describe('parseFixtureText', () => {
  it('finds title, headings, body lines and | tables', async () => {
    const blocks = parseFixtureText(await fixture('sangong-market-2025.txt'));
    expect(blocks[0]).toEqual({ kind: 'title', text: '某县市场监督管理局2025年度“三公”经费决算说明' });
    expect(blocks.filter((b) => b.kind === 'h1').length).toBe(4);
    const tables = blocks.filter((b) => b.kind === 'table');
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ rows: expect.arrayContaining([['合计', '16.50', '12.48']]) });
  });
});

describe('renderDocx', () => {
  it('writes a DOCX with headings, body text and a real table (header flag on the first row only)', async () => {
    const t0 = performance.now();
    const docx = await renderDocx(await fixture('sangong-market-2025.txt'));
    const ms = performance.now() - t0;
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const xml = docxXml(docx);
    expect(xml).toContain('w:val="Title"');
    expect(xml).toContain('w:val="Heading1"');
    expect(xml).toContain('Noto Serif CJK SC');
    expect(xml).toContain('w:eastAsia="zh-CN"');
    expect(xml).toContain('完成预算的75.64%');
    expect(xml.match(/<w:tbl>/g)).toHaveLength(1);
    expect(xml.match(/<w:tblHeader/g)).toHaveLength(1);
    expect(xml).not.toContain('w:tblHeader w:val="off"');
    expect(ms).toBeLessThan(5000);
  });

  it('escapes markup-like text', async () => {
    const xml = docxXml(await renderDocx(await fixture('xss-archives-2025.txt')));
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('<script>');
  });
});

describe('renderPdfKit', () => {
  it('writes a byte-stable PDF whose text pdftotext gives back, with page-number footers', async () => {
    const text = await fixture('perf-agri-dept-2025.txt');
    const pdf = await renderPdfKit(text);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const again = await renderPdfKit(text);
    expect(again.equals(pdf)).toBe(true);
    const out = await pdfToText(pdf);
    // footers are drawn as `- N -`; pdftotext drops the spaces (pdf-parse keeps them)
    expect(out).toMatch(/^- ?1 ?-$/m);
    expect(out).toMatch(/^- ?2 ?-$/m);
    // the page break may fall inside a sentence: drop the footer lines first, as the PDF reader has to
    const body = squash(out.replace(/^- ?\d+ ?-$/gm, ''));
    expect(body).toContain('2025年决算支出合计2453.18万元，其中：基本支出1127.46万元，占45.96%；项目支出1325.72万元，占54.04%。');
    expect(body).toContain('开展绩效评价的3个项目涉及金额857.70万元');
  });

  it('draws | tables', async () => {
    const out = await pdfToText(await renderPdfKit(await fixture('sangong-market-2025.txt')));
    expect(squash(out)).toContain('公务接待费4.503.16');
  });
});

describe('renderPdfOffice', () => {
  it('converts a DOCX to PDF with LibreOffice', { timeout: 120_000 }, async () => {
    const pdf = await renderPdfOffice(await renderDocx(await fixture('final-school-2025.txt')));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(squash(await pdfToText(pdf))).toContain('完成年初预算的97.57%');
  });
});

describe('applyPlanted', () => {
  it('replaces exactly one occurrence and refuses anything else', () => {
    expect(applyPlanted('甲1万元，乙2万元', '乙2万元', '乙3万元')).toBe('甲1万元，乙3万元');
    expect(applyPlanted('a $& b', '$&', '$1')).toBe('a $1 b');
    expect(() => applyPlanted('甲1万元', '乙', '丙')).toThrow(/not found/);
    expect(() => applyPlanted('1万元，1万元', '1万元', '2万元')).toThrow(/more than once/);
  });

  it('applies every entry of fixtures/planted.json', async () => {
    const planted = JSON.parse(await readFile(path.join(FIXTURES, 'planted.json'), 'utf8')) as Planted[];
    expect(planted.length).toBeGreaterThanOrEqual(17);
    expect(new Set(planted.map((p) => p.id)).size).toBe(planted.length);
    for (const p of planted) {
      const base = await readFile(path.join(FIXTURES, p.base), 'utf8');
      const edited = applyPlanted(base, p.find, p.replace);
      expect(edited, p.id).not.toBe(base);
      for (const e of p.expect) {
        // one slip may be reported by either of two rules that see the same figures ("core/named-sum|core/listed-parts-sum")
        expect(e.ruleId, p.id).toMatch(/^core\/[a-z0-9-]+(?:\|core\/[a-z0-9-]+)*$/);
        expect(edited.includes(e.cites) || edited.includes(e.cites.replace(/年$/, '年度')), `${p.id}: ${e.cites}`).toBe(true);
      }
    }
  });
});
