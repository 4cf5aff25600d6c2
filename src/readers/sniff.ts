/**
 * Chooses the reader from the file's content. Extensions are never consulted: uploads are routinely misnamed
 * (a .doc that is really a .docx, a .pdf saved as .txt), and the bytes do not lie.
 */
import { decodeText, type TextEncodingName } from './decode-text.js';
import { ReadError } from './types.js';
import { listZipEntries, ZipFormatError } from './zip.js';

export type SniffResult =
  | { format: 'pdf'; /** offset of `%PDF-`, > 0 when junk precedes it */ offset: number }
  | { format: 'docx' }
  | { format: 'txt'; encoding: TextEncodingName };

/** pdf.js itself tolerates junk before the header; Acrobat allows it within the first 1024 bytes. */
const PDF_HEADER_WINDOW = 1024;

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Well-known binary formats, named so the user gets a useful message instead of "unrecognised". */
const KNOWN_BINARY: ReadonlyArray<{ magic: readonly number[]; what: string }> = [
  { magic: [0x89, 0x50, 0x4e, 0x47], what: '这是 PNG 图片，不是报告文件（扫描件需先做文字识别）' },
  { magic: [0xff, 0xd8, 0xff], what: '这是 JPEG 图片，不是报告文件（扫描件需先做文字识别）' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: '这是 GIF 图片，不是报告文件' },
  { magic: [0x49, 0x49, 0x2a, 0x00], what: '这是 TIFF 图片，不是报告文件（扫描件需先做文字识别）' },
  { magic: [0x4d, 0x4d, 0x00, 0x2a], what: '这是 TIFF 图片，不是报告文件（扫描件需先做文字识别）' },
  { magic: [0x52, 0x61, 0x72, 0x21], what: '这是 RAR 压缩包，请解压后上传其中的 DOCX、PDF 或 TXT 文件' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], what: '这是 7-Zip 压缩包，请解压后上传其中的 DOCX、PDF 或 TXT 文件' },
  { magic: [0x1f, 0x8b], what: '这是 gzip 压缩包，请解压后上传其中的 DOCX、PDF 或 TXT 文件' },
];

function hasPrefix(bytes: Uint8Array, prefix: ArrayLike<number>, at = 0): boolean {
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** Byte search via Buffer.indexOf (native, fast); `to` bounds where a match may start. */
function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, to: number): number {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, to + needle.length));
  return haystack.indexOf(needle);
}

const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');

/** An encrypted Office file is an OLE2 container with an "EncryptedPackage" stream (name stored as UTF-16LE). */
function isEncryptedOffice(bytes: Uint8Array): boolean {
  return indexOfBytes(bytes, Buffer.from('EncryptedPackage', 'utf16le'), bytes.length) >= 0;
}

function sniffZip(bytes: Uint8Array): SniffResult {
  let names: string[];
  try {
    names = listZipEntries(bytes).map((e) => e.name);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    // A truncated DOCX has no central directory, but its local headers still name its parts. Route it to the
    // DOCX reader so the user hears "corrupt DOCX", not "unsupported format".
    if (indexOfBytes(bytes, ascii('word/document.xml'), bytes.length) >= 0) return { format: 'docx' };
    throw new ReadError('E_CORRUPT', 'ZIP 压缩包已损坏，无法读取', { cause: error });
  }
  if (names.includes('word/document.xml')) return { format: 'docx' };
  // Decision (documented): a readable ZIP that is not a Word document is E_UNSUPPORTED, not E_CORRUPT,
  // because the file itself is fine; we just do not read that kind of document.
  let what = '这是 ZIP 压缩包，不是 Word 文件（DOCX）';
  if (names.includes('xl/workbook.xml')) what = '这是 Excel 工作簿（XLSX），请将报告导出为 DOCX 或 PDF';
  else if (names.includes('ppt/presentation.xml')) what = '这是 PowerPoint 演示文稿（PPTX），不是报告文件';
  else if (names.includes('content.xml') && names.includes('mimetype')) what = '这是 OpenDocument 文件（ODT/ODS），请另存为 DOCX';
  else if (names.some((n) => n.endsWith('.ofd') || n === 'OFD.xml')) what = '这是 OFD 版式文件，请导出为 PDF';
  throw new ReadError('E_UNSUPPORTED', what);
}

/** Text formats that decode fine but are not plain text; reading them as TXT would feed markup to the checks. */
function rejectMarkup(text: string): void {
  const head = text.slice(0, 2048).replace(/^[\s\uFEFF]+/, '');
  if (head.startsWith('{\\rtf')) throw new ReadError('E_UNSUPPORTED', '这是 RTF 文件，请在 Word 中另存为 DOCX');
  if (/^MIME-Version:/i.test(head)) {
    throw new ReadError('E_UNSUPPORTED', '这是 MHT 网页存档（Word 另存的“网页”？），请在 Word 中另存为 DOCX');
  }
  if (/^<\?xml[^>]*>\s*<\?mso-application/i.test(head) || /<w:wordDocument\b/.test(head)) {
    throw new ReadError('E_UNSUPPORTED', '这是 Word 2003 XML 文件，请在 Word 中另存为 DOCX');
  }
  if (/^(<!DOCTYPE html|<html\b)/i.test(head)) {
    throw new ReadError('E_UNSUPPORTED', '这是 HTML 网页（Word 另存的“网页”？），请在 Word 中另存为 DOCX');
  }
}

/**
 * What a reviewer is told about bytes that are neither a known format nor text: when the name promised a PDF or a
 * DOCX (an .exe renamed .pdf, a download cut short before its header), that the file is not one.
 */
const NOT_WHAT_IT_CLAIMS: Readonly<Record<string, string>> = {
  pdf: '不是有效的 PDF 文件：内容不是 PDF 格式（扩展名与内容不符，或文件已损坏）',
  docx: '不是有效的 Word 文件（DOCX）：内容不是 DOCX 格式（扩展名与内容不符，或文件已损坏）',
};

function decodeOrRefuse(bytes: Uint8Array, claimed: string): ReturnType<typeof decodeText> {
  try {
    return decodeText(bytes);
  } catch (error) {
    const instead = NOT_WHAT_IT_CLAIMS[claimed];
    if (instead && error instanceof ReadError && error.code === 'E_UNSUPPORTED') throw new ReadError('E_UNSUPPORTED', instead);
    throw error;
  }
}

/** `claimed`: the file name's extension, lower case — used only for the words of a refusal, never to choose a reader. */
export function sniff(bytes: Uint8Array, claimed = ''): SniffResult {
  if (bytes.length === 0) throw new ReadError('E_NO_TEXT', '文件为空（0 字节）');

  // Magic numbers at offset 0 are decisive, so they go before the looser "%PDF- somewhere near the start".
  if (hasPrefix(bytes, ascii('%PDF-'))) return { format: 'pdf', offset: 0 };
  if (hasPrefix(bytes, ZIP_LOCAL)) return sniffZip(bytes);
  if (hasPrefix(bytes, ZIP_EMPTY)) throw new ReadError('E_UNSUPPORTED', '这是一个空的 ZIP 压缩包');

  if (hasPrefix(bytes, OLE2)) {
    if (isEncryptedOffice(bytes)) {
      throw new ReadError('E_ENCRYPTED', 'Office 文件设有密码，请去除密码后重新上传');
    }
    throw new ReadError('E_UNSUPPORTED', '这是旧版 Word 文件（.doc），请在 Word 中另存为 DOCX');
  }
  for (const { magic, what } of KNOWN_BINARY) {
    if (hasPrefix(bytes, magic)) throw new ReadError('E_UNSUPPORTED', what);
  }
  const pdfAt = indexOfBytes(bytes, ascii('%PDF-'), PDF_HEADER_WINDOW);
  if (pdfAt >= 0) return { format: 'pdf', offset: pdfAt };

  const decoded = decodeOrRefuse(bytes, claimed);
  rejectMarkup(decoded.text);
  return { format: 'txt', encoding: decoded.encoding };
}
