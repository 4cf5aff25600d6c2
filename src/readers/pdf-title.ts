/**
 * A PDF's metadata title as text. Some producers (an .xls printed to PDF on a Chinese Windows) store it as a hex
 * string of GBK or BOM'd UTF-16BE bytes that pdf.js hands back verbatim (`<BDADCBD5…2E786C73>`), and the title is
 * then the source file's name, extension included.
 */
import { decodeText } from './decode-text.js';

const HEX_STRING = /^<([0-9A-Fa-f\s]*)>$/;
/** The office file the PDF was printed from: its extension is no part of the title. */
const FILE_EXTENSION = /\.(?:xlsx?|et|docx?|wps|pptx?|txt|pdf)$/i;

function hexBytes(hex: string): Uint8Array {
  const digits = hex.replace(/\s+/g, '');
  // PDF: a hex string with an odd number of digits ends as if followed by 0
  const even = digits.length % 2 ? `${digits}0` : digits;
  return Uint8Array.from(even.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** The title to show, or undefined when there is none or its bytes are no text. */
export function decodePdfTitle(raw: string): string | undefined {
  let text = raw.trim();
  const hex = HEX_STRING.exec(text);
  if (hex) {
    try {
      text = decodeText(hexBytes(hex[1]!)).text.trim();
    } catch {
      return undefined; // bytes in no text encoding: better no title than mojibake
    }
  }
  text = text.replace(FILE_EXTENSION, '').trim();
  return text === '' ? undefined : text;
}
