/**
 * Plain-text reader: one block per non-empty line, so every block maps back to exactly one source line.
 */
import { decodeText } from './decode-text.js';
import { isHeadingShaped, isOutlineHeading } from './text-shape.js';
import { isRuleRow, tablesOf, textTableRow } from './cell-tables.js';
import { ReadError, type Block, type ExtractedDocument } from './types.js';

export function readTxt(bytes: Uint8Array): ExtractedDocument {
  // Decoding again after sniff() is cheap (native TextDecoder) and keeps this reader usable on its own.
  const decoded = decodeText(bytes);

  // \r\n, lone \r (classic Mac) and \n all end a line; U+2028/2029 are left inside the text on purpose:
  // editors do not show them as line breaks in .txt files, so they would shift sourceLine.
  const lines = decoded.text.split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let seenFirst = false;
  let table = -1;
  let row = -1;
  let inTable = false;
  lines.forEach((raw, i) => {
    // Trailing whitespace is layout; leading indentation (often two ideographic spaces, U+3000) is kept verbatim.
    const text = raw.replace(/[\s\uFEFF]+$/u, '');
    // "| 项目 | 决算数 |": a table row, one block per cell (plain-text exports of tables look like this)
    const cells = textTableRow(text);
    if (cells) {
      if (inTable && isRuleRow(cells)) return;
      if (!inTable) table++;
      inTable = true;
      row++;
      cells.forEach((cell, col) => {
        blocks.push({ index: blocks.length, kind: 'table-cell', text: cell, sourceLine: i + 1, cell: { table, row, col } });
      });
      seenFirst = true;
      return;
    }
    if (inTable) {
      inTable = false;
      row = -1;
    }
    if (text.trim() === '') return;
    const heading = (!seenFirst && isHeadingShaped(text)) || isOutlineHeading(text);
    seenFirst = true;
    blocks.push({ index: blocks.length, kind: heading ? 'heading' : 'paragraph', text, sourceLine: i + 1 });
  });

  if (blocks.length === 0) throw new ReadError('E_NO_TEXT', '文本文件中只有空白，没有文字');
  return { format: 'txt', blocks, tables: tablesOf(blocks), warnings: [] };
}
