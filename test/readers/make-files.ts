/**
 * Builds real DOCX/PDF/ZIP files in memory for the reader tests (no fixtures on disk, no mocks).
 */
import { existsSync } from 'node:fs';
import {
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
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import PDFDocument from 'pdfkit';

// ---------------------------------------------------------------- DOCX

export type DocxItem =
  | { title: string }
  | { heading: string; level?: 1 | 2 | 3 }
  | { p: string }
  /** a bulleted list item */
  | { li: string }
  /** Rows of cells; a cell may be a string or { text, rowSpan, colSpan }; row 0 is the header row. */
  | { table: Array<Array<string | { text: string; rowSpan?: number; colSpan?: number }>> };

const HEADING_LEVELS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

export async function makeDocx(items: DocxItem[], options: { title?: string } = {}): Promise<Uint8Array> {
  const children = items.map((item) => {
    if ('title' in item) return new Paragraph({ text: item.title, heading: HeadingLevel.TITLE });
    if ('heading' in item) return new Paragraph({ text: item.heading, heading: HEADING_LEVELS[item.level ?? 1] });
    if ('p' in item) return new Paragraph({ children: [new TextRun(item.p)] });
    if ('li' in item) return new Paragraph({ text: item.li, bullet: { level: 0 } });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: item.table.map(
        (cells, r) =>
          new TableRow({
            // Only the header row gets tableHeader: docx writes <w:tblHeader w:val="off"/> for `false`,
            // which mammoth 1.13 treats as a header row too.
            ...(r === 0 ? { tableHeader: true } : {}),
            children: cells.map((cell) => {
              const spec = typeof cell === 'string' ? { text: cell } : cell;
              return new TableCell({
                // '\n' in a cell's text makes several paragraphs in that cell
                children: spec.text.split('\n').map((t) => new Paragraph(t)),
                ...(spec.rowSpan ? { rowSpan: spec.rowSpan } : {}),
                ...(spec.colSpan ? { columnSpan: spec.colSpan } : {}),
              });
            }),
          }),
      ),
    });
  });
  const doc = new Document({
    ...(options.title ? { title: options.title } : {}),
    sections: [{ children }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

// ---------------------------------------------------------------- PDF (pdfkit)

const CJK_FONTS = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
];

export function cjkFont(): { path: string; family: string } {
  const font = CJK_FONTS.find((f) => existsSync(f.path));
  if (!font) throw new Error('no CJK font installed (fonts-wqy-microhei or fonts-noto-cjk)');
  return font;
}

export interface PdfPageSpec {
  /** Paragraphs; pdfkit wraps long ones over several lines (and pages, with `continued`). */
  paragraphs: string[];
}

export interface PdfOptions {
  title?: string;
  /** Drawn at the top of every page. */
  header?: string;
  /** Footer line drawn at the bottom of every page; `{n}` becomes the page number. */
  footer?: string;
  userPassword?: string;
  fontSize?: number;
  /** Pages with only a drawn rectangle, appended after the text (like scanned pages in a mixed file). */
  imageOnlyPages?: number;
}

type PdfDoc = InstanceType<typeof PDFDocument>;

function collect(doc: PdfDoc): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
}

/**
 * A text PDF. Paragraphs flow with pdfkit's own wrapping and page breaking, so a long paragraph really does
 * wrap over lines and, if it is long enough, over a page break. Headers/footers are drawn on each page.
 */
export async function makePdf(paragraphs: string[], options: PdfOptions = {}): Promise<Uint8Array> {
  const font = cjkFont();
  const doc = new PDFDocument({
    size: 'A5',
    margins: { top: 60, bottom: 60, left: 50, right: 50 },
    bufferPages: true,
    info: options.title ? { Title: options.title } : {},
    ...(options.userPassword ? { userPassword: options.userPassword, pdfVersion: '1.7' as const } : {}),
  });
  const done = collect(doc);
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk').fontSize(options.fontSize ?? 11);
  for (const p of paragraphs) doc.text(p, { paragraphGap: 4 });
  for (let i = 0; i < (options.imageOnlyPages ?? 0); i++) doc.addPage().rect(60, 60, 200, 300).fill('#999999');

  // Headers and footers are drawn last, into the margins, on every buffered page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // otherwise text in the margin triggers a new page
    doc.fontSize(9);
    if (options.header) doc.text(options.header, 50, 25, { lineBreak: false });
    if (options.footer) {
      doc.text(options.footer.replace('{n}', String(i + 1)), 50, doc.page.height - 40, { lineBreak: false });
    }
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** A PDF with drawn shapes only: what a scan-like, text-less page looks like to a text extractor. */
export async function makeShapesPdf(pages = 2): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A5' });
  const done = collect(doc);
  for (let i = 0; i < pages; i++) {
    if (i > 0) doc.addPage();
    doc.rect(50, 50, 200, 100).fill('#336699');
    doc.circle(150, 300, 60).stroke();
    doc.moveTo(50, 400).lineTo(300, 450).stroke();
  }
  doc.end();
  return done;
}

// ---------------------------------------------------------------- PDF (hand-written, non-embedded CJK font)

/**
 * The iText + iTextAsian pattern: a Type0 font `/STSong-Light` with `/Encoding /UniGB-UCS2-H`, not embedded,
 * text as UTF-16BE hex strings. pdf.js can only decode it with the predefined CMaps (cMapUrl).
 * Each entry of `lines` becomes one text line on a single page, 10 pt from x = 40 (at most ~55 CJK characters:
 * pdf.js drops glyphs that fall outside the MediaBox).
 */
export function makeStSongPdf(lines: string[]): Uint8Array {
  const hex = (s: string): string =>
    [...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()).join('');
  const ops = lines.map((line, i) => `BT /F1 10 Tf 1 0 0 1 40 ${780 - i * 16} Tm <${hex(line)}> Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
    `<< /Length ${Buffer.byteLength(ops, 'latin1')} >>\nstream\n${ops}\nendstream`,
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light ' +
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R /DW 1000 >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 ' +
      '/Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  let out = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(out, 'latin1');
  // Each xref entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n/f, CR LF.
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n\r\n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

// ---------------------------------------------------------------- ZIP

/** A ZIP of the given parts (strings are UTF-8), deflated. */
export function makeZip(parts: Record<string, string | Uint8Array>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(parts)) {
    files[name] = typeof data === 'string' ? strToU8(data) : data;
  }
  return zipSync(files, { level: 6 });
}

/** A ZIP (no compression of its own) from already-deflated parts, so huge parts cost nothing to "compress". */
function zipFromDeflated(parts: Array<{ name: string; deflated: Uint8Array; size: number; crc: number }>): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(part.crc, 14);
    local.writeUInt32LE(part.deflated.length, 18);
    local.writeUInt32LE(part.size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(part.crc, 16);
    cd.writeUInt32LE(part.deflated.length, 20);
    cd.writeUInt32LE(part.size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    chunks.push(local, name, Buffer.from(part.deflated));
    central.push(cd, name);
    offset += 30 + name.length + part.deflated.length;
  }
  const cdBytes = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cdBytes.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, cdBytes, eocd]));
}

/**
 * A zip bomb: `[Content_Types].xml` plus a word/document.xml of `mb` megabytes of zeros. A valid deflate
 * stream is built by repeating one sync-flushed, self-contained 1 MB segment and closing with an empty final
 * block, so even 300 MB takes milliseconds and never exists inflated in the test.
 */
export function makeZipBomb(mb: number): Uint8Array {
  const zero = Buffer.alloc(1024 * 1024);
  const segment = deflateRawSync(zero, { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < mb; i++) crc = crc32(zero, crc);
  const deflated = Buffer.concat([...Array<Buffer>(mb).fill(segment), Buffer.from([0x03, 0x00])]);
  const types = Buffer.from('<?xml version="1.0"?><Types/>', 'utf8');
  return zipFromDeflated([
    { name: '[Content_Types].xml', deflated: deflateRawSync(types), size: types.length, crc: crc32(types) },
    { name: 'word/document.xml', deflated, size: mb * 1024 * 1024, crc },
  ]);
}

/**
 * Rewrites the declared uncompressed size of every entry (local and central headers) to `size`: a bomb that
 * lies about itself, so only a guard that counts real inflated bytes catches it.
 */
export function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const bytes = zip.slice();
  const dv = new DataView(bytes.buffer);
  const eocd = bytes.length - 22; // fflate writes no archive comment
  if (dv.getUint32(eocd, true) !== 0x06054b50) throw new Error('EOCD not where expected');
  let at = dv.getUint32(eocd + 16, true);
  for (let i = dv.getUint16(eocd + 10, true); i > 0; i--) {
    dv.setUint32(at + 24, size, true); // central directory: uncompressed size
    dv.setUint32(dv.getUint32(at + 42, true) + 22, size, true); // local header: uncompressed size
    at += 46 + dv.getUint16(at + 28, true) + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
  }
  return bytes;
}

export interface SheetCell {
  text: string;
  x: number;
  y: number;
  size?: number;
}

/**
 * A spreadsheet printed to PDF: every cell one text run at its own position, drawn in the given order (an Excel
 * export draws the title last, neighbouring cells touch). One page per list of cells; no sentence anywhere.
 */
export async function makeSheetPdf(pages: SheetCell[][]): Promise<Uint8Array> {
  const font = cjkFont();
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 0, autoFirstPage: false });
  const done = collect(doc);
  doc.registerFont('cjk', font.path, font.family);
  for (const cells of pages) {
    doc.addPage();
    for (const c of cells) doc.font('cjk').fontSize(c.size ?? 9).text(c.text, c.x, c.y, { lineBreak: false });
  }
  doc.end();
  return done;
}
