/**
 * Clean-up of PDF page text into paragraphs. pdf-parse gives one line per *visual* line, plus page furniture
 * (page numbers, running headers/footers) and producer artefacts (spaces between CJK and digits). Pure
 * functions on strings, so every rule here is testable without a PDF.
 */
import { endsSentence, isHeadingShaped, isOutlineHeading, startsNewItem } from './text-shape.js';
import type { BlockKind } from './types.js';

export interface PdfBlock {
  kind: BlockKind;
  text: string;
  /** 1-based page of the block's first line. */
  page: number;
}

interface Line {
  text: string;
  page: number;
  tableRow: boolean;
  width: number;
}

// ------------------------------------------------------------------ page furniture

/** pdf-parse's default page joiner; we pass `pageJoiner: ''`, but text from elsewhere may still carry it. */
const PAGE_MARKER = /^--\s*\d+\s+of\s+\d+\s*--$/;

const PAGE_NUMBER_PATTERNS = [
  /^[-－—–~～·•\s]*\d{1,4}[-－—–~～·•\s]*$/, // 3   - 3 -   — 3 —   ~3~
  /^第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?$/, // 第3页   第 3 页 共 10 页
  /^共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页$/, // 共10页 第3页
  /^\d{1,4}\s*[/／]\s*\d{1,4}$/, // 3 / 10
  /^(?:page\s*)?\d{1,4}(?:\s*of\s*\d{1,4})?$/i, // Page 3 of 10
];

export function isPageNumberLine(line: string): boolean {
  const t = line.trim();
  return t !== '' && PAGE_NUMBER_PATTERNS.some((re) => re.test(t));
}

/** How many lines at the top and at the bottom of a page may be furniture. */
const EDGE_LINES = 2;
/** Running headers/footers are short; a long repeated line is more likely content (e.g. a table header). */
const MAX_FURNITURE_CHARS = 40;

/** Digits vary between pages ("第3页", "2024年…报告 3"), so compare lines with digits masked. */
const furnitureKey = (line: string): string => line.replace(/\s+/g, '').replace(/\d+/g, '#');

function dropEdgePageNumbers(lines: string[]): string[] {
  const out = [...lines];
  for (let i = 0; i < EDGE_LINES && out.length > 0 && isPageNumberLine(out[0]!); i++) out.shift();
  for (let i = 0; i < EDGE_LINES && out.length > 0 && isPageNumberLine(out[out.length - 1]!); i++) out.pop();
  return out;
}

/**
 * Removes page numbers and running headers/footers. A header/footer is a short line that appears (digits
 * masked) among the first/last EDGE_LINES lines of most pages. Only the edges are searched, so the same
 * sentence repeated in the body is never touched.
 */
export function removePageFurniture(pages: string[][]): string[][] {
  let cleaned = pages.map(dropEdgePageNumbers);
  if (cleaned.length < 2) return cleaned;

  const needed = Math.max(2, Math.floor(cleaned.length / 2) + 1);
  const countKeys = (pick: (lines: string[]) => string[]): Set<string> => {
    const counts = new Map<string, number>();
    for (const lines of cleaned) {
      const keys = new Set(pick(lines).filter((l) => l.trim().length <= MAX_FURNITURE_CHARS).map(furnitureKey));
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return new Set([...counts].filter(([, n]) => n >= needed).map(([k]) => k));
  };
  const headers = countKeys((l) => l.slice(0, EDGE_LINES));
  const footers = countKeys((l) => l.slice(-EDGE_LINES));

  cleaned = cleaned.map((lines) => {
    const out = [...lines];
    for (let i = 0; i < EDGE_LINES && out.length > 0 && headers.has(furnitureKey(out[0]!)); i++) out.shift();
    for (let i = 0; i < EDGE_LINES && out.length > 0 && footers.has(furnitureKey(out[out.length - 1]!)); i++) {
      out.pop();
    }
    return out;
  });
  // A page number printed just inside a running header/footer is at the edge only now.
  return cleaned.map(dropEdgePageNumbers);
}

// ------------------------------------------------------------------ character-level normalisation

/**
 * Kangxi radicals and CJK compatibility ideographs look identical to ordinary ideographs but are different
 * code points (Word PDFs produce them, e.g. ⾏ U+2F8F for 行), so keyword matching would miss them. Only these
 * ranges get NFKC: NFKC on the whole text would also turn full-width （）：％ into ASCII.
 */
export function mapCompatIdeographs(text: string): string {
  return text.replace(/[\u2E80-\u2FDF\uF900-\uFAFF]/g, (c) => c.normalize('NFKC'));
}

/** Han characters plus CJK and full-width punctuation. */
const CJK = '\\p{Script=Han}\\u3000-\\u303F\\uFF01-\\uFF60\\u2018-\\u201D';
const SPACE_CJK_THEN_DIGIT = new RegExp(`(?<=[${CJK}])[ \\t\\u00A0]+(?=[-+−]?\\d)`, 'gu');
const SPACE_DIGIT_THEN_CJK = new RegExp(`(?<=[\\d%‰])[ \\t\\u00A0]+(?=[${CJK}])`, 'gu');

/**
 * Word and LibreOffice add visual spacing between CJK and Latin/digits, which PDF text extraction turns into
 * real spaces: `合计 276.10 万元`, `2024 年`. The source text has none, and amount patterns must not need
 * them. Spaces between two CJK characters are kept: they separate fields (`单位：某局 日期：…`).
 */
export function dropCjkDigitSpaces(text: string): string {
  return text.replace(SPACE_CJK_THEN_DIGIT, '').replace(SPACE_DIGIT_THEN_CJK, '');
}

// ------------------------------------------------------------------ line shape

const NUMERIC_CELL = /^(?:[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[%‰]?|[-—–]+)$/;

/**
 * A table row as pdf-parse prints it: cells separated by spaces or tabs. Prose with producer spacing
 * (`合计 276.10 万元，其中`) has a unit after every number, so we require two *adjacent* numeric cells
 * (`基本支出 76.11 27.57%`), or a tab (pdf-parse's cell separator for a wide gap) next to a number.
 */
export function looksLikeTableRow(line: string): boolean {
  const cells = line.trim().split(/[ \t\u00A0]+/);
  const numeric = cells.map((c) => NUMERIC_CELL.test(c));
  if (numeric.some((n, i) => n && numeric[i + 1] === true)) return true;
  // a tab before a lone number is a table's column gap, unless the line is prose ("预算数为\t1685.72\t万元。与上年相比增"):
  // table cells hold labels and numbers, never a sentence's 。，
  return line.includes('\t') && numeric.some(Boolean) && !/[。，]/.test(line);
}

const WIDE = /[\p{Script=Han}\u3000-\u303F\uFF00-\uFF60\u2018-\u201D\u2026\u2014]/u;
const NARROW = /[ .,:;'!|il\u00A0]/;

/**
 * Approximate printed width in half-em units: CJK glyphs are square (2), digits and Latin letters about
 * half as wide (1.1), spaces and thin punctuation narrower still (0.6). Only ratios between lines matter.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : NARROW.test(ch) ? 0.6 : 1.1;
  return width;
}

/**
 * A line narrower than this share of a full line ends its paragraph: only full lines wrap, the last line
 * of a paragraph (or a heading) is usually shorter. Measured on pdfkit CJK text: wrapped lines come out at
 * 0.89–0.98 of the widest line, even with many digits.
 */
const SHORT_LINE_RATIO = 0.85;

function fullLineWidth(lines: Line[]): number {
  const widths = lines
    .filter((l) => !l.tableRow)
    .map((l) => l.width)
    .sort((a, b) => a - b);
  if (widths.length === 0) return Infinity;
  // The 90th percentile: robust to a few over-long lines; with few lines it is the longest one.
  return widths[Math.round((widths.length - 1) * 0.9)]!;
}

/**
 * Document titles of the reports we check end in one of these words. Titles are often nearly as wide as a
 * full line, so the width rule alone would glue the title to the first body line.
 */
const TITLE_ENDING = /(?:报告|说明|情况|报表|自评表|公开|目录)$/;
/**
 * Only this many lines at the start of the document are title candidates ("…评价报告" mid-paragraph is
 * prose): a running header, plus a title wrapped over two or three lines.
 */
const TITLE_ZONE = 4;

function joins(prev: Line, next: Line, full: number, prevIndex: number): boolean {
  if (prev.tableRow || next.tableRow) return false;
  // a table typed as text ("| 项目 | 决算数 |") keeps one line per row
  if (prev.text.startsWith('|') || next.text.startsWith('|')) return false;
  if (prevIndex < TITLE_ZONE && isHeadingShaped(prev.text)) {
    if (TITLE_ENDING.test(prev.text)) return false;
    // A title in a large font wraps after fewer characters than a body line, so the width rule would split
    // it: "苍山县水务局2024年度部门整体支" + "出绩效评价报告". The wrapped first line is the full one, which
    // tells it apart from a short line above a title ("附件1", a running header on a one-page file).
    if (
      isHeadingShaped(next.text) &&
      TITLE_ENDING.test(next.text) &&
      !startsNewItem(next.text) &&
      prev.width > next.width
    ) {
      return true;
    }
  }
  if (startsNewItem(next.text)) return false;
  const fullLine = prev.width >= full * SHORT_LINE_RATIO;
  if (endsSentence(prev.text)) {
    // a full line ending in ；or ： wrapped inside a list ("…占85.53%；" / "社会保障…"); one ending in 。 ends its
    // paragraph unless the next line goes on with 其中
    if (!fullLine) return false;
    return /[；;：:]$/.test(prev.text.trim()) || next.text.trim().startsWith('其中');
  }
  // A short line is a heading or the last line of a paragraph; only full lines wrap — or a line cut short because
  // the number that follows could not be broken ("…较2024年度的" / "3611.08万元增加…").
  if (!fullLine) {
    const leadingNumber = /^[\d,.%]+/.exec(next.text.trim())?.[0];
    return leadingNumber !== undefined && prev.width + displayWidth(leadingNumber) >= full * 0.95;
  }
  return true;
}

/** Re-joins wrapped lines into paragraphs: no space for CJK, one space between two Latin words. */
function joinText(a: string, b: string): string {
  return /[A-Za-z]$/.test(a) && /^[A-Za-z]/.test(b) ? `${a} ${b}` : a + b;
}

/**
 * Page texts (as pdf-parse returns them, one entry per page) → paragraph blocks with their page.
 * Paragraphs are re-joined across line *and* page breaks; a block keeps the page of its first line.
 */
export function pdfPagesToBlocks(pageTexts: string[]): PdfBlock[] {
  const pages = pageTexts.map((t) =>
    t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !PAGE_MARKER.test(l)),
  );
  const lines: Line[] = [];
  removePageFurniture(pages).forEach((pageLines, i) => {
    for (const raw of pageLines) {
      const tableRow = looksLikeTableRow(raw);
      // Table rows keep their spaces: there they separate cells, not CJK from digits.
      const text = tableRow ? mapCompatIdeographs(raw) : dropCjkDigitSpaces(mapCompatIdeographs(raw));
      lines.push({ text, page: i + 1, tableRow, width: displayWidth(text) });
    }
  });

  const full = fullLineWidth(lines);
  const paragraphs: Line[][] = [];
  lines.forEach((line, i) => {
    const current = paragraphs[paragraphs.length - 1];
    const last = current?.[current.length - 1];
    if (current && last && joins(last, line, full, i - 1)) current.push(line);
    else paragraphs.push([line]);
  });

  return paragraphs.map((para, i) => {
    const first = para[0]!;
    const text = para.map((l) => l.text).reduce(joinText);
    // Joined blocks can be headings too (a wrapped title); the heading shape (short, no 。) still applies.
    const heading = !first.tableRow && (isOutlineHeading(text) || (i === 0 && isHeadingShaped(text)));
    return { kind: heading ? 'heading' : 'paragraph', text, page: first.page };
  });
}
