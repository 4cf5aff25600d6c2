import { placedItems, type PlacedItem, squashed } from './pdf-layout.js';
import { loadedDocumentOf, pdfParser } from './pdf.js';

/**
 * Where figures stand on a PDF page, for the report view's page image: the page's text items with their positions,
 * as the reader reads them (placedItems, viewport coordinates at scale 1, y downwards), and each figure found among
 * them by its printed text. A figure whose text occurs more than once on the page takes the occurrence of its rank
 * among the page's figures with that text (the reader numbers figures in reading order), so two "100.00万元" on one
 * page get the first and the second box, not both the first.
 */

export interface FigureOnPage {
  id: string;
  text: string;
}

export interface FigureBox {
  figure: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageBoxes {
  page: number;
  width: number;
  height: number;
  boxes: FigureBox[];
}

/** The page's items as one string without whitespace, and for each of its characters the item it came from. */
function pageString(items: PlacedItem[]): { text: string; item: number[]; offset: number[] } {
  let text = '';
  const item: number[] = [];
  const offset: number[] = [];
  items.forEach((it, i) => {
    let k = 0;
    for (const ch of it.text) {
      if (!/\s/.test(ch)) {
        text += ch;
        item.push(i);
        offset.push(k);
      }
      k += ch.length;
    }
  });
  return { text, item, offset };
}

/** The box of the characters [start, end) of the page string: each item's share by its character positions. */
function boxOf(items: PlacedItem[], map: ReturnType<typeof pageString>, start: number, end: number): Omit<FigureBox, 'figure'> {
  let left = Infinity;
  let right = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  for (let c = start; c < end; c++) {
    const it = items[map.item[c]!]!;
    const per = (it.right - it.x) / Math.max(1, it.text.length);
    const x = it.x + per * map.offset[c]!;
    left = Math.min(left, x);
    right = Math.max(right, x + per);
    // the item's height is its font size; glyphs stand on the baseline and descend a little below it
    top = Math.min(top, it.y - it.height);
    bottom = Math.max(bottom, it.y + it.height * 0.2);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * Every page's figure boxes in one pass: pdf.js loads a document's fonts and CMaps on its first text pass (seconds
 * for a CJK font), after which each page's items take milliseconds — so a document is read once, not once per page.
 */
export async function figureBoxes(bytes: Uint8Array, figuresByPage: ReadonlyMap<number, readonly FigureOnPage[]>): Promise<PageBoxes[]> {
  const parser = pdfParser(bytes);
  try {
    const { total } = await parser.getInfo();
    const doc = loadedDocumentOf(parser);
    if (!doc) return [];
    const out: PageBoxes[] = [];
    for (let page = 1; page <= total; page++) {
      const pdfPage = (await doc.getPage(page)) as unknown as { getViewport(o: { scale: number }): { width: number; height: number } };
      const { width, height } = pdfPage.getViewport({ scale: 1 });
      const figures = figuresByPage.get(page) ?? [];
      out.push({ page, width, height, boxes: figures.length ? placeFigures(await placedItems(doc, page), figures) : [] });
    }
    return out;
  } finally {
    await parser.destroy();
  }
}

function placeFigures(items: PlacedItem[], figures: readonly FigureOnPage[]): FigureBox[] {
  const map = pageString(items);
  const seen = new Map<string, number>();
  const boxes: FigureBox[] = [];
  for (const f of figures) {
    const needle = squashed(f.text);
    if (!needle) continue;
    const rank = seen.get(needle) ?? 0;
    seen.set(needle, rank + 1);
    let at = -1;
    for (let k = 0; k <= rank; k++) {
      at = map.text.indexOf(needle, at + 1);
      if (at < 0) break;
    }
    if (at >= 0) boxes.push({ figure: f.id, ...boxOf(items, map, at, at + needle.length) });
  }
  return boxes;
}
