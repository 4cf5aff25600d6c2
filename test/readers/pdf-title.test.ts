import { describe, expect, it } from 'vitest';
import { decodePdfTitle } from '../../src/readers/pdf-title.js';

const hex = (bytes: Uint8Array) => `<${Buffer.from(bytes).toString('hex').toUpperCase()}>`;
// TextEncoder writes only UTF-8: the GBK bytes of an invented name, spelled out (某市档案馆)
const gbk = (tail: string) => Buffer.concat([Buffer.from('C4B3CAD0B5B5B0B8B9DD', 'hex'), Buffer.from(tail, 'latin1')]);

describe('decodePdfTitle', () => {
  it('decodes a hex string of GBK bytes and drops the office file extension', () => {
    expect(decodePdfTitle(hex(gbk('2031.xls')))).toBe('某市档案馆2031');
  });

  it('decodes hex UTF-16BE with its byte-order mark', () => {
    const utf16 = Buffer.from('\ufeff某县统计局预算.doc', 'utf16le').swap16();
    expect(decodePdfTitle(hex(utf16))).toBe('某县统计局预算');
  });

  it('keeps a plain title, and gives none for an empty one', () => {
    expect(decodePdfTitle(' 某县统计局2030年度部门预算 ')).toBe('某县统计局2030年度部门预算');
    expect(decodePdfTitle('  ')).toBeUndefined();
    expect(decodePdfTitle('<>')).toBeUndefined();
  });
});
