/**
 * PDF reader: pdf-parse 2.x (pdf.js 5) for the text layer, then pdf-text.ts for page furniture and line joins.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { type LineLayout, pageLayouts, type PdfDocumentLike, placedItems } from './pdf-layout.js';
import { isSheetDocument, type Sheet, sheetOf, sheetsToDocument } from './pdf-sheets.js';
import { mergePageTables, placeTables, ruledTablePages } from './pdf-tables.js';
import { pagesNeedingPositions, tablesFromTabbedLines } from './pdf-text-tables.js';
import { pdfPagesToBlocks } from './pdf-text.js';
import { decodePdfTitle } from './pdf-title.js';
import { typedTables } from './cell-tables.js';
import { ReadError, type ExtractedDocument, type RawTable } from './types.js';

/**
 * pdf-parse never sets cMapUrl. Without the predefined CMaps, a non-embedded CJK font such as STSong-Light
 * with /UniGB-UCS2-H (the iText + iTextAsian pattern) extracts as *empty text, without an error*, and the
 * file would look like a scan. Resolve pdfjs-dist from pdf-parse's own location so we get its copy.
 */
function pdfjsAssetDirs(): { cMapUrl: string; standardFontDataUrl: string } {
  const fromHere = createRequire(import.meta.url);
  const fromPdfParse = createRequire(fromHere.resolve('pdf-parse'));
  const root = path.dirname(fromPdfParse.resolve('pdfjs-dist/package.json'));
  // pdf.js's Node readers take plain file-system paths and append the file name, so keep the trailing slash.
  return {
    cMapUrl: path.join(root, 'cmaps') + path.sep,
    standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
  };
}

let assetDirs: ReturnType<typeof pdfjsAssetDirs> | undefined;

/** A parser for the bytes, set up as the reader's own (CMaps, fonts, no eval): the page-box pass reads the same items. */
export function pdfParser(bytes: Uint8Array): PDFParse {
  assetDirs ??= pdfjsAssetDirs();
  // A copy: pdf.js may transfer (detach) the buffer it is given, and the caller's bytes must stay usable.
  return new PDFParse({
    data: bytes.slice(),
    cMapUrl: assetDirs.cMapUrl,
    cMapPacked: true,
    standardFontDataUrl: assetDirs.standardFontDataUrl,
    // pdf.js compiles font programs with `new Function` unless told not to; we only need text.
    isEvalSupported: false,
  });
}

/** Fewer non-whitespace characters than this (after removing page furniture) means there is no text layer. */
const MIN_TEXT_CHARS = 20;

/**
 * Share of non-whitespace characters that are Private Use Area or U+FFFD: what pdf.js emits for embedded
 * subset fonts that have no ToUnicode map. Such a text layer looks present but is unreadable.
 */
export function garbledShare(text: string): number {
  const chars = text.replace(/\s/g, '');
  if (chars.length === 0) return 0;
  const bad = chars.match(/[\uE000-\uF8FF\uFFFD]/g)?.length ?? 0;
  return bad / chars.length;
}

const GARBLED_WARN_SHARE = 0.05;

/** [1,2,3,5,7,8] → "1–3, 5, 7–8": a long scanned appendix should not produce a 300-number warning. */
export function formatPageRanges(pages: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    ranges.push(i === j ? `${pages[i]}` : `${pages[i]}–${pages[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}

function mapPdfError(error: unknown): ReadError {
  const name = (error as Error)?.name;
  if (name === 'PasswordException') {
    return new ReadError('E_ENCRYPTED', 'PDF 文件设有打开密码，请去除密码后重新上传', { cause: error });
  }
  return new ReadError('E_CORRUPT', 'PDF 文件已损坏，无法读取', { cause: error });
}

/** Moves each ruled table's anchor to the same block after the text tables took their lines out. */
function reanchor(tables: readonly RawTable[], keptIndex: ReadonlyMap<number, number>): RawTable[] {
  return tables.map((t) => {
    let i = t.afterBlock;
    while (i >= 0 && !keptIndex.has(i)) i--;
    return { ...t, afterBlock: i >= 0 ? keptIndex.get(i)! : -1 };
  });
}

/** `offset` is where `%PDF-` starts; junk before it is dropped so xref offsets line up again. */
/**
 * The pdf.js document a PDFParse has loaded: its text pass has parsed the pages we read again for positions. pdf-parse
 * keeps it in a private field, so the package is pinned to one version (package.json) and test/readers/pdf.test.ts
 * fails when an upgrade moves it; undefined (never a crash) if it is gone.
 */
export function loadedDocumentOf(parser: PDFParse): PdfDocumentLike | undefined {
  const doc = (parser as unknown as { doc?: Partial<PdfDocumentLike> }).doc;
  return typeof doc?.getPage === 'function' ? (doc as PdfDocumentLike) : undefined;
}

export async function readPdf(bytes: Uint8Array, offset = 0): Promise<ExtractedDocument> {
  const parser = pdfParser(bytes.subarray(offset));

  let pageTexts: string[];
  let total: number;
  let title: string | undefined;
  let layouts = new Map<number, LineLayout[]>();
  let ruledTables: Omit<RawTable, 'afterBlock'>[] = [];
  /** A document of spreadsheets printed to PDF, read page by page from its items' positions. */
  let sheets: Sheet[] | undefined;
  const warnings: string[] = [];
  try {
    // pageJoiner '' keeps pdf-parse's "-- 1 of 3 --" markers out; we use the per-page texts anyway.
    const result = await parser.getText({ pageJoiner: '' });
    total = result.total;
    const byNumber = new Map(result.pages.map((p) => [p.num, p.text]));
    pageTexts = Array.from({ length: total }, (_, i) => byNumber.get(i + 1) ?? '');
    const doc = loadedDocumentOf(parser);
    if (doc && isSheetDocument(pageTexts)) {
      sheets = [];
      for (let n = 1; n <= total; n++) sheets.push(sheetOf(await placedItems(doc, n)));
    }
    const positional = sheets ? [] : pagesNeedingPositions(pageTexts);
    if (positional.length) {
      if (doc) layouts = await pageLayouts(doc, positional);
      else warnings.push('PDF: pdf-parse no longer exposes its pdf.js document; table rows were read from text order only');
    }
    const ruled = sheets ? [] : ruledTablePages(pageTexts);
    if (ruled.length) {
      try {
        ruledTables = mergePageTables((await parser.getTable({ partial: ruled })).pages);
      } catch (error) {
        // a table we cannot rebuild leaves its rows in the text; the document is still checked
        warnings.push(`tables unreadable: ${(error as Error)?.message ?? String(error)}`);
      }
    }
    try {
      const raw: unknown = (await parser.getInfo()).info?.Title;
      if (typeof raw === 'string') title = decodePdfTitle(raw);
    } catch (error) {
      // Broken metadata (outline, XMP) must not cost us a document whose text we already have.
      warnings.push(`PDF metadata unreadable: ${(error as Error)?.message ?? String(error)}`);
    }
  } catch (error) {
    throw mapPdfError(error);
  } finally {
    await parser.destroy();
  }

  const pdfBlocks = pdfPagesToBlocks(pageTexts);
  const chars = pdfBlocks.reduce((n, b) => n + b.text.replace(/\s/g, '').length, 0);
  if (total > 0 && chars < MIN_TEXT_CHARS) {
    throw new ReadError('E_NO_TEXT', 'PDF 没有文字层（扫描件？），需先做文字识别（OCR）');
  }
  if (total === 0) throw new ReadError('E_NO_TEXT', 'PDF 文件没有页面');

  const emptyPages = pageTexts.flatMap((t, i) => (t.trim() === '' ? [i + 1] : []));
  if (emptyPages.length > 0) {
    warnings.push(`page(s) ${formatPageRanges(emptyPages)} have no text layer (scanned or image-only?)`);
  }
  const garbled = garbledShare(pdfBlocks.map((b) => b.text).join(''));
  if (garbled > GARBLED_WARN_SHARE) {
    warnings.push(
      `${Math.round(garbled * 100)}% of the text is private-use or replacement characters: ` +
        'fonts without a Unicode mapping, the text may need OCR',
    );
  }

  if (sheets) {
    const { blocks, tables } = sheetsToDocument(sheets);
    return { format: 'pdf', pages: total, blocks, tables, warnings, ...(title ? { metadataTitle: title } : {}) };
  }
  // typed and ruled tables first (their cells are known), then the rows left in the text
  const typed = typedTables(pdfBlocks.map((b, index) => ({ index, kind: b.kind, text: b.text, page: b.page })));
  const ruledPlaced = placeTables(typed.blocks, [...typed.tables, ...ruledTables]);
  const fromText = tablesFromTabbedLines(ruledPlaced.blocks, layouts);
  const blocks = fromText.blocks;
  // the ruled tables were placed among blocks that the text tables have thinned out: re-anchor them
  const tables = [...fromText.tables, ...reanchor(ruledPlaced.tables, fromText.keptIndex)].sort((a, b) => a.afterBlock - b.afterBlock);
  return { format: 'pdf', pages: total, blocks, tables, warnings, ...(title ? { metadataTitle: title } : {}) };
}
