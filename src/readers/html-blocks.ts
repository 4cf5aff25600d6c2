/**
 * Turns mammoth's HTML into blocks. mammoth's output is a small, regular subset of HTML (h1–h6, p, ul/ol/li,
 * table/thead/tbody/tr/th/td, br, a, strong/em/sup/sub, img), so a streaming SAX pass is enough.
 */
import { Parser } from 'htmlparser2';
import type { Block, BlockKind, TableCellRef } from './types.js';

interface Collector {
  tag: string;
  kind: BlockKind;
  /** Position reserved in the output when the element opened, so nested blocks keep document order. */
  slot: number;
  /** One entry per <p>/<h*> inside a cell or list item; joined with '\n'. */
  paragraphs: string[];
  cell?: TableCellRef;
}

interface TableState {
  index: number;
  row: number;
  col: number;
  /** "row,col" positions already covered by a rowspan/colspan from an earlier cell. */
  covered: Set<string>;
}

export interface HtmlBlocksResult {
  blocks: Block[];
  /** Number of <img> elements (their text, if any, is lost). */
  images: number;
}

const HEADING = /^h[1-6]$/;

function spanOf(value: string | undefined): number {
  const n = Number.parseInt(value ?? '1', 10);
  // Guard against absurd spans in hostile files: a cell cannot span more than a sane table size.
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 1000) : 1;
}

export function htmlToBlocks(html: string): HtmlBlocksResult {
  const slots: Array<Block | undefined> = [];
  const open: Collector[] = [];
  const tables: TableState[] = [];
  let tableCount = 0;
  let images = 0;
  /** Depth of <a> back-links ("↑") that mammoth appends to footnotes/endnotes; their text is not content. */
  let skipDepth = 0;

  const top = (): Collector | undefined => open[open.length - 1];
  const startCollector = (tag: string, kind: BlockKind, cell?: TableCellRef): void => {
    open.push({ tag, kind, slot: slots.length, paragraphs: [''], ...(cell ? { cell } : {}) });
    slots.push(undefined);
  };
  const append = (text: string): void => {
    const c = top();
    if (!c) return; // mammoth never emits bare text outside a block; nothing to attach it to
    c.paragraphs[c.paragraphs.length - 1] += text;
  };

  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const inside = top();
        if (name === 'table') {
          tables.push({ index: tableCount++, row: -1, col: 0, covered: new Set() });
        } else if (name === 'tr') {
          const t = tables[tables.length - 1];
          if (t) {
            t.row += 1;
            t.col = 0;
          }
        } else if (name === 'td' || name === 'th') {
          const t = tables[tables.length - 1];
          if (!t) return;
          if (t.row < 0) t.row = 0; // a cell outside any <tr>: treat as the first row
          // Skip positions taken by a rowspan from a row above (or a colspan to the left).
          while (t.covered.has(`${t.row},${t.col}`)) t.col++;
          const rows = spanOf(attrs.rowspan);
          const cols = spanOf(attrs.colspan);
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < cols; c++) t.covered.add(`${t.row + r},${t.col + c}`);
          }
          startCollector(name, 'table-cell', { table: t.index, row: t.row, col: t.col });
          t.col += cols;
        } else if (name === 'li') {
          startCollector(name, 'list-item');
        } else if (name === 'p' || HEADING.test(name)) {
          if (inside && (inside.kind === 'table-cell' || inside.kind === 'list-item')) {
            // A paragraph inside a cell or list item is part of that block, on its own line.
            inside.paragraphs.push('');
          } else {
            startCollector(name, HEADING.test(name) ? 'heading' : 'paragraph');
          }
        } else if (name === 'br') {
          append('\n');
        } else if (name === 'img') {
          images++;
        } else if (name === 'a' && /^#(?:foot|end)note-ref-/.test(attrs.href ?? '')) {
          skipDepth++;
        }
      },
      ontext(text) {
        if (skipDepth === 0) append(text);
      },
      onclosetag(name) {
        if (name === 'table') {
          tables.pop();
          return;
        }
        if (name === 'a' && skipDepth > 0) {
          skipDepth--;
          return;
        }
        const c = top();
        if (!c || c.tag !== name) return;
        open.pop();
        const text = c.paragraphs
          .map((p) => p.replace(/\s+$/u, ''))
          .filter((p) => p !== '')
          .join('\n');
        // Empty cells are kept so the table grid stays complete; empty paragraphs carry nothing.
        if (text === '' && c.kind !== 'table-cell') return;
        slots[c.slot] = { index: 0, kind: c.kind, text, ...(c.cell ? { cell: c.cell } : {}) };
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();

  const blocks = slots.filter((b): b is Block => b !== undefined);
  blocks.forEach((b, i) => (b.index = i));
  return { blocks, images };
}
