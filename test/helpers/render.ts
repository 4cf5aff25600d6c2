/**
 * Test helpers: render a plain-text fixture report (one paragraph per line) to DOCX and PDF,
 * and apply a planted edit from fixtures/planted.json.
 *
 * Text conventions understood by the renderers:
 * - the first non-empty line is the title;
 * - `一、…` lines are level-1 headings, `（一）…` lines are level-2 headings;
 * - consecutive lines starting with `|` form one table (cells split on `|`; the first row is the header row);
 * - every other non-empty line is a body paragraph.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import PDFDocument from 'pdfkit';

const execFileAsync = promisify(execFile);

/** WenQuanYi Micro Hei (TrueType collection, Debian package fonts-wqy-microhei). */
export const WQY_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
export const WQY_FONT_FAMILY = 'WenQuanYiMicroHei';
/** Fixed so that pdfkit output is byte-identical from run to run (the PDF /ID derives from the info dict). */
export const FIXED_PDF_DATE = new Date('2026-01-01T00:00:00Z');

export type TextBlock =
  | { kind: 'title' | 'h1' | 'h2' | 'body'; text: string }
  | { kind: 'table'; rows: string[][] };

const H1 = /^[一二三四五六七八九十]+、/;
const H2 = /^[（(][一二三四五六七八九十]+[）)]/;

/** Splits `| a | b |` into ['a', 'b'] (outer pipes optional). */
export function splitTableRow(line: string): string[] {
  const cells = line.trim().split('|').map((c) => c.trim());
  if (cells[0] === '') cells.shift();
  if (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

/** Parses fixture text into title / headings / body paragraphs / tables. */
export function parseFixtureText(text: string): TextBlock[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  const blocks: TextBlock[] = [];
  let titleDone = false;
  for (const line of lines) {
    if (!line) continue;
    if (line.startsWith('|')) {
      const row = splitTableRow(line);
      const last = blocks[blocks.length - 1];
      if (last && last.kind === 'table') last.rows.push(row);
      else blocks.push({ kind: 'table', rows: [row] });
      continue;
    }
    if (!titleDone) {
      titleDone = true;
      blocks.push({ kind: 'title', text: line });
    } else if (H1.test(line)) blocks.push({ kind: 'h1', text: line });
    else if (H2.test(line)) blocks.push({ kind: 'h2', text: line });
    else blocks.push({ kind: 'body', text: line });
  }
  return blocks;
}

function titleOf(blocks: TextBlock[]): string {
  const t = blocks.find((b) => b.kind === 'title');
  return t && t.kind === 'title' ? t.text : '';
}

// ---------------------------------------------------------------- DOCX

const BODY_FONT = { ascii: 'Noto Serif CJK SC', eastAsia: 'Noto Serif CJK SC', hAnsi: 'Noto Serif CJK SC' };
const HEAD_FONT = { ascii: 'Noto Sans CJK SC', eastAsia: 'Noto Sans CJK SC', hAnsi: 'Noto Sans CJK SC' };
const ZH_CN = { value: 'zh-CN', eastAsia: 'zh-CN' };

function docxTable(rows: string[][]): Table {
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: rows.map(
      (r, i) =>
        new TableRow({
          // tableHeader ONLY on the first row: `tableHeader: false` emits <w:tblHeader w:val="off"/>,
          // which mammoth treats as a header row too (every row would become <th>).
          ...(i === 0 ? { tableHeader: true } : {}),
          children: Array.from({ length: cols }, (_, j) => {
            const text = r[j] ?? '';
            const numeric = /^[-+]?[\d,.]+%?$/.test(text);
            return new TableCell({
              width: { size: Math.floor(100 / cols), type: WidthType.PERCENTAGE },
              children: [
                new Paragraph({
                  alignment: i > 0 && numeric ? AlignmentType.RIGHT : i === 0 ? AlignmentType.CENTER : AlignmentType.LEFT,
                  children: [
                    new TextRun({ text, font: i === 0 ? HEAD_FONT : BODY_FONT, bold: i === 0, size: 24, language: ZH_CN }),
                  ],
                }),
              ],
            });
          }),
        }),
    ),
  });
}

/** Renders fixture text to a DOCX (Title, Heading 1/2, indented body paragraphs, real tables). */
export async function renderDocx(text: string): Promise<Buffer> {
  const blocks = parseFixtureText(text);
  const children: (Paragraph | Table)[] = [];
  const run = (t: string, font = BODY_FONT, extra: { bold?: boolean; size?: number } = {}) =>
    new TextRun({ text: t, font, size: 28, language: ZH_CN, ...extra });
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        children.push(
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [run(b.text, HEAD_FONT, { bold: true, size: 36 })],
          }),
        );
        break;
      case 'h1':
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(b.text, HEAD_FONT, { bold: true, size: 32 })] }));
        break;
      case 'h2':
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(b.text, HEAD_FONT, { bold: true })] }));
        break;
      case 'body':
        children.push(new Paragraph({ indent: { firstLine: 560 }, spacing: { line: 360 }, children: [run(b.text)] }));
        break;
      case 'table':
        children.push(docxTable(b.rows));
        // an empty paragraph after the table keeps two adjacent tables apart and matches what Word writes
        children.push(new Paragraph({ children: [] }));
        break;
    }
  }
  const doc = new Document({
    creator: 'crossfoot test fixtures',
    title: titleOf(blocks),
    styles: { default: { document: { run: { font: BODY_FONT, size: 28, language: ZH_CN } } } },
    sections: [{ properties: { page: { margin: { top: 1440, bottom: 1440, left: 1588, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------- PDF (pdfkit)

/** Renders fixture text to an A4 PDF with pdfkit and WenQuanYi Micro Hei; byte-stable; footer `- N -` on every page. */
export async function renderPdfKit(text: string): Promise<Buffer> {
  const blocks = parseFixtureText(text);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 80, right: 74 },
    bufferPages: true,
    info: { Title: titleOf(blocks), Author: 'crossfoot test fixtures', CreationDate: FIXED_PDF_DATE, ModDate: FIXED_PDF_DATE },
    lang: 'zh-CN',
    pdfVersion: '1.7',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('body', WQY_FONT_PATH, WQY_FONT_FAMILY);
  const para = (
    t: string,
    { size = 14, align = 'justify', indent = 28 }: { size?: number; align?: 'left' | 'center' | 'justify' | 'right'; indent?: number } = {},
  ) => {
    doc.x = doc.page.margins.left;
    doc.font('body').fontSize(size).text(t, { align, indent, lineGap: 6, paragraphGap: 4 });
  };
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        doc.moveDown(0.5);
        para(b.text, { size: 18, align: 'center', indent: 0 });
        doc.moveDown(0.5);
        break;
      case 'h1':
        para(b.text, { size: 16, align: 'left', indent: 0 });
        break;
      case 'h2':
        para(b.text, { size: 14, align: 'left', indent: 0 });
        break;
      case 'body':
        para(b.text);
        break;
      case 'table': {
        const cols = Math.max(1, ...b.rows.map((r) => r.length));
        doc.x = doc.page.margins.left;
        doc.font('body').fontSize(12);
        doc.table({
          columnStyles: Array.from({ length: cols }, (_, j) => (j === 0 ? '*' : 90)),
          data: b.rows.map((r, i) =>
            Array.from({ length: cols }, (_, j) => {
              const t = r[j] ?? '';
              return i > 0 && j > 0 ? { text: t, align: { x: 'right' as const, y: 'center' as const } } : t;
            }),
          ),
        });
        doc.moveDown(0.5);
        break;
      }
    }
  }

  // page-number footer, written after layout so every page has one
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not add a page
    doc
      .font('body')
      .fontSize(10.5)
      .text(`- ${i + 1} -`, doc.page.margins.left, doc.page.height - 46, {
        width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

// ---------------------------------------------------------------- PDF (LibreOffice)

/** Converts a DOCX to PDF with headless LibreOffice (`soffice`), using a private profile; not byte-stable. */
export async function renderPdfOffice(docx: Buffer): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-soffice-'));
  try {
    const input = path.join(dir, 'report.docx');
    await writeFile(input, docx);
    await execFileAsync(
      'soffice',
      [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, input],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return await readFile(path.join(dir, 'report.pdf'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- planted edits

/** Replaces the single occurrence of `find` in `base`; throws unless `find` occurs exactly once. */
export function applyPlanted(base: string, find: string, replace: string): string {
  if (!find) throw new Error('applyPlanted: empty find string');
  const first = base.indexOf(find);
  if (first < 0) throw new Error(`applyPlanted: "${find}" not found`);
  if (base.indexOf(find, first + 1) >= 0) throw new Error(`applyPlanted: "${find}" occurs more than once`);
  return base.slice(0, first) + replace + base.slice(first + find.length);
}

/**
 * Text files as LibreOffice renders them, each line a paragraph, to DOCX and then to PDF (as the evaluation's
 * documents are made): the paths of the DOCX and the PDF of each, in `out`.
 */
export function renderTextsWithOffice(dir: string, documents: readonly string[], out: string): { docx: string[]; pdf: string[] } {
  const office = (args: string[]) =>
    execFileSync('soffice', [`-env:UserInstallation=file://${path.join(out, 'profile')}`, '--headless', ...args], { cwd: dir, timeout: 240_000, stdio: 'pipe' });
  office(['--infilter=Text (encoded):UTF8,,,', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', path.join(out, 'docx'), ...documents]);
  const docx = documents.map((d) => path.join(out, 'docx', d.replace(/\.txt$/, '.docx')));
  office(['--convert-to', 'pdf', '--outdir', path.join(out, 'pdf'), ...docx]);
  return { docx, pdf: documents.map((d) => path.join(out, 'pdf', d.replace(/\.txt$/, '.pdf'))) };
}
