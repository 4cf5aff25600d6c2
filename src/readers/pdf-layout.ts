/**
 * Where a PDF table row's cells stand. A row's text alone cannot say which column a value belongs to when a cell
 * is empty (a 项 with no 基本支出 prints two numbers, not three); their right edges can: amounts are right-aligned
 * in their columns. This reads the text items of the given pages with their positions and groups them into lines
 * and cells the way pdf-parse does (same line and cell thresholds), keeping each cell's right edge.
 */

export interface CellLayout {
  text: string;
  right: number;
}

export interface LineLayout {
  /** The line's text with all whitespace removed, to find it again among the reader's blocks. */
  key: string;
  cells: CellLayout[];
}

/** One text item of a page in viewport coordinates (y grows downwards), as pdf.js drew it. */
export interface PlacedItem {
  text: string;
  x: number;
  right: number;
  /** The baseline. */
  y: number;
  height: number;
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** The parts of pdf.js's document and page objects this module uses. */
export interface PdfDocumentLike {
  getPage(n: number): Promise<{
    getViewport(o: { scale: number }): { convertToViewportPoint(x: number, y: number): number[] };
    getTextContent(): Promise<{ items: unknown[] }>;
  }>;
}

const LINE_THRESHOLD = 4.6; // pdf-parse's defaults, so our lines match its text lines
const CELL_THRESHOLD = 7;

export const squashed = (text: string): string => text.replace(/\s+/g, '');

/** The page's non-blank text items in the order pdf.js gives them (the producer's drawing order). */
export async function placedItems(doc: PdfDocumentLike, n: number): Promise<PlacedItem[]> {
  const page = await doc.getPage(n);
  const viewport = page.getViewport({ scale: 1 });
  const { items } = await page.getTextContent();
  const out: PlacedItem[] = [];
  for (const raw of items) {
    const item = raw as Partial<TextItem>;
    if (typeof item.str !== 'string' || !item.transform || item.str.trim() === '') continue;
    const [x, y] = viewport.convertToViewportPoint(item.transform[4]!, item.transform[5]!) as [number, number];
    out.push({ text: item.str, x, right: x + (item.width ?? 0), y, height: item.height ?? 0 });
  }
  return out;
}

export async function pageLayouts(doc: PdfDocumentLike, pages: readonly number[]): Promise<Map<number, LineLayout[]>> {
  const out = new Map<number, LineLayout[]>();
  for (const n of pages) {
    const lines: LineLayout[] = [];
    let line: CellLayout[] = [];
    let lastY: number | undefined;
    let lastRight: number | undefined;
    const endLine = () => {
      if (line.length) lines.push({ key: squashed(line.map((c) => c.text).join('')), cells: line });
      line = [];
    };
    for (const { text, x, right, y } of await placedItems(doc, n)) {
      if (lastY !== undefined && Math.abs(lastY - y) > LINE_THRESHOLD) endLine();
      const cell = line[line.length - 1];
      if (cell && lastRight !== undefined && x - lastRight <= CELL_THRESHOLD) {
        cell.text += text;
        cell.right = right;
      } else {
        line.push({ text, right });
      }
      lastY = y;
      lastRight = right;
    }
    endLine();
    out.set(n, lines);
  }
  return out;
}
