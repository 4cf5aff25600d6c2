/**
 * Turns the bytes of a plain-text file into a string, choosing the encoding from the content.
 *
 * Chinese government text files come as UTF-8 (with or without BOM), UTF-16 from Windows Notepad "Unicode",
 * or GBK/GB18030 from older tools. GB18030 is a superset of GBK and GB2312, so one decoder covers all three.
 */
import { ReadError } from './types.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DecodedText {
  encoding: TextEncodingName;
  /** Whether a byte-order mark was present (it is not part of `text`). */
  bom: boolean;
  text: string;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Decodes strictly: returns undefined instead of inserting U+FFFD, so a wrong guess is detectable. */
function tryDecode(bytes: Uint8Array, encoding: TextEncodingName): string | undefined {
  try {
    // ignoreBOM: the caller has already stripped any BOM it recognised; keep anything else verbatim.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Control characters that never occur in a real text document. Tab, LF, VT, FF, CR and the DOS EOF marker
 * (0x1A, which old editors append) are allowed.
 */
// oxlint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const BINARY_CONTROL = /[\u0000-\u0008\u000E-\u0019\u001B-\u001F\u007F]/g;

const BINARY_MESSAGE = '无法识别的文件格式：不是 DOCX、PDF 或文本文件';

/**
 * Binary content decodes "successfully" surprisingly often (GB18030 accepts most byte pairs), so we also
 * look at the result: any NUL, or more than 1 % other control characters, means it is not a text file.
 */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const controls = text.match(BINARY_CONTROL)?.length ?? 0;
  return controls > Math.max(1, text.length * 0.01);
}

/**
 * Detects the encoding and decodes. Throws ReadError E_UNSUPPORTED when the bytes are not text in any of the
 * supported encodings.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let result: DecodedText | undefined;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    const text = tryDecode(bytes.subarray(3), 'utf-8');
    if (text !== undefined) result = { encoding: 'utf-8', bom: true, text };
  } else if (startsWith(bytes, [0xff, 0xfe]) && !startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) {
    // FF FE 00 00 would be UTF-32LE, which TextDecoder cannot read; it falls through to "not text".
    const text = tryDecode(bytes.subarray(2), 'utf-16le');
    if (text !== undefined) result = { encoding: 'utf-16le', bom: true, text };
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    const text = tryDecode(bytes.subarray(2), 'utf-16be');
    if (text !== undefined) result = { encoding: 'utf-16be', bom: true, text };
  } else {
    // Valid UTF-8 is almost never valid by accident for Chinese GBK text, so try it first.
    const utf8 = tryDecode(bytes, 'utf-8');
    if (utf8 !== undefined) {
      result = { encoding: 'utf-8', bom: false, text: utf8 };
    } else {
      const gb = tryDecode(bytes, 'gb18030');
      if (gb !== undefined) result = { encoding: 'gb18030', bom: false, text: gb };
    }
  }
  if (result === undefined) {
    throw new ReadError('E_UNSUPPORTED', BINARY_MESSAGE);
  }
  if (looksBinary(result.text)) {
    throw new ReadError('E_UNSUPPORTED', BINARY_MESSAGE);
  }
  return result;
}
