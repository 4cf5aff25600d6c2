import { describe, expect, it } from 'vitest';
import { readDocument, ReadError, sniff } from '../../src/readers/index.js';
import { makeDocx, makeStSongPdf, makeZip } from './make-files.js';

function sniffError(bytes: Uint8Array): ReadError {
  try {
    sniff(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ReadError);
    return e as ReadError;
  }
  throw new Error('sniff did not throw');
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe('sniff (by content, never by extension)', () => {
  it('0-byte input is E_NO_TEXT "文件为空（0 字节）"', async () => {
    expect(sniffError(new Uint8Array()).code).toBe('E_NO_TEXT');
    await expect(readDocument(new Uint8Array())).rejects.toMatchObject({ code: 'E_NO_TEXT', message: '文件为空（0 字节）' });
  });

  it('PNG bytes are E_UNSUPPORTED', async () => {
    await expect(readDocument(PNG)).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
    expect(sniffError(PNG).message).toMatch(/PNG/);
  });

  it('finds %PDF- after leading junk within 1024 bytes', () => {
    const pdf = makeStSongPdf(['测试']);
    const junk = new Uint8Array(300).fill(0x20);
    expect(sniff(new Uint8Array([...junk, ...pdf]))).toEqual({ format: 'pdf', offset: 300 });
  });

  it('a ZIP with word/document.xml is docx', async () => {
    expect(sniff(await makeDocx([{ p: '正文' }]))).toEqual({ format: 'docx' });
  });

  it('an xlsx-like ZIP without word/document.xml is E_UNSUPPORTED (a valid file of a kind we do not read)', () => {
    const xlsx = makeZip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' });
    const e = sniffError(xlsx);
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toMatch(/XLSX/);
    expect(sniffError(makeZip({ 'a.txt': 'x' })).code).toBe('E_UNSUPPORTED');
  });

  it('legacy .doc (OLE2) is E_UNSUPPORTED; an encrypted Office file (OLE2 + EncryptedPackage) is E_ENCRYPTED', () => {
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(sniffError(ole)).toMatchObject({ code: 'E_UNSUPPORTED', message: expect.stringMatching(/\.doc/) });
    ole.set(new Uint8Array(Buffer.from('EncryptedPackage', 'utf16le')), 1024);
    expect(sniffError(ole).code).toBe('E_ENCRYPTED');
  });

  it('text that is really markup is E_UNSUPPORTED', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sniffError(enc('{\\rtf1\\ansi 正文}')).message).toMatch(/RTF/);
    expect(sniffError(enc('<html><body>正文</body></html>')).message).toMatch(/HTML/);
    expect(sniffError(enc('MIME-Version: 1.0\r\nContent-Type: multipart/related')).message).toMatch(/MHT/);
  });

  it('binary bytes named .pdf or .docx are "not a valid PDF/DOCX"; unnamed ones are an unrecognised format, in Chinese', async () => {
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0x40]);
    await expect(readDocument(exe, undefined, 'setup.PDF')).rejects.toMatchObject({ code: 'E_UNSUPPORTED', message: expect.stringMatching(/^不是有效的 PDF 文件/) });
    await expect(readDocument(exe, undefined, 'a/报告.docx')).rejects.toMatchObject({ code: 'E_UNSUPPORTED', message: expect.stringMatching(/^不是有效的 Word 文件（DOCX）/) });
    expect(sniffError(exe).message).toBe('无法识别的文件格式：不是 DOCX、PDF 或文本文件');
  });

  it('plain text is txt, whatever it is called', () => {
    expect(sniff(new TextEncoder().encode('绩效自评报告'))).toEqual({ format: 'txt', encoding: 'utf-8' });
  });
});
