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
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'PNG image (a scan needs OCR first)' },
  { magic: [0xff, 0xd8, 0xff], what: 'JPEG image (a scan needs OCR first)' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'GIF image' },
  { magic: [0x49, 0x49, 0x2a, 0x00], what: 'TIFF image (a scan needs OCR first)' },
  { magic: [0x4d, 0x4d, 0x00, 0x2a], what: 'TIFF image (a scan needs OCR first)' },
  { magic: [0x52, 0x61, 0x72, 0x21], what: 'RAR archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], what: '7-Zip archive' },
  { magic: [0x1f, 0x8b], what: 'gzip archive' },
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
    throw new ReadError('E_CORRUPT', `unreadable ZIP archive: ${error.message}`, { cause: error });
  }
  if (names.includes('word/document.xml')) return { format: 'docx' };
  // Decision (documented): a readable ZIP that is not a Word document is E_UNSUPPORTED, not E_CORRUPT,
  // because the file itself is fine; we just do not read that kind of document.
  let what = 'ZIP archive without word/document.xml (not a DOCX)';
  if (names.includes('xl/workbook.xml')) what = 'Excel workbook (XLSX); export the report as DOCX or PDF';
  else if (names.includes('ppt/presentation.xml')) what = 'PowerPoint presentation (PPTX)';
  else if (names.includes('content.xml') && names.includes('mimetype')) what = 'OpenDocument file (ODT/ODS); save it as DOCX';
  else if (names.some((n) => n.endsWith('.ofd') || n === 'OFD.xml')) what = 'OFD document; export it as PDF';
  throw new ReadError('E_UNSUPPORTED', `unsupported format: ${what}`);
}

/** Text formats that decode fine but are not plain text; reading them as TXT would feed markup to the checks. */
function rejectMarkup(text: string): void {
  const head = text.slice(0, 2048).replace(/^[\s\uFEFF]+/, '');
  if (head.startsWith('{\\rtf')) throw new ReadError('E_UNSUPPORTED', 'unsupported format: RTF; save it as DOCX');
  if (/^MIME-Version:/i.test(head)) {
    throw new ReadError('E_UNSUPPORTED', 'unsupported format: MHT web archive (a Word "web page" saved as .doc?)');
  }
  if (/^<\?xml[^>]*>\s*<\?mso-application/i.test(head) || /<w:wordDocument\b/.test(head)) {
    throw new ReadError('E_UNSUPPORTED', 'unsupported format: Word 2003 XML; save it as DOCX');
  }
  if (/^(<!DOCTYPE html|<html\b)/i.test(head)) {
    throw new ReadError('E_UNSUPPORTED', 'unsupported format: HTML (a Word "web page" saved as .doc?)');
  }
}

export function sniff(bytes: Uint8Array): SniffResult {
  if (bytes.length === 0) throw new ReadError('E_NO_TEXT', 'empty file');

  // Magic numbers at offset 0 are decisive, so they go before the looser "%PDF- somewhere near the start".
  if (hasPrefix(bytes, ascii('%PDF-'))) return { format: 'pdf', offset: 0 };
  if (hasPrefix(bytes, ZIP_LOCAL)) return sniffZip(bytes);
  if (hasPrefix(bytes, ZIP_EMPTY)) throw new ReadError('E_UNSUPPORTED', 'unsupported format: empty ZIP archive');

  if (hasPrefix(bytes, OLE2)) {
    if (isEncryptedOffice(bytes)) {
      throw new ReadError('E_ENCRYPTED', 'password-protected Office document; remove the password and try again');
    }
    throw new ReadError('E_UNSUPPORTED', 'unsupported format: legacy binary Word .doc (OLE2); save it as DOCX');
  }
  for (const { magic, what } of KNOWN_BINARY) {
    if (hasPrefix(bytes, magic)) throw new ReadError('E_UNSUPPORTED', `unsupported format: ${what}`);
  }
  const pdfAt = indexOfBytes(bytes, ascii('%PDF-'), PDF_HEADER_WINDOW);
  if (pdfAt >= 0) return { format: 'pdf', offset: pdfAt };

  const decoded = decodeText(bytes);
  rejectMarkup(decoded.text);
  return { format: 'txt', encoding: decoded.encoding };
}
