import { describe, expect, it } from 'vitest';
import { parseChineseNumber, prefixPower } from '../../src/figures/chinese-numerals.js';
import { toPlain } from '../../src/figures/decimal.js';

const value = (s: string): string | null => {
  const v = parseChineseNumber(s);
  return v && toPlain(v);
};

describe('parseChineseNumber', () => {
  it.each([
    ['一百二十三', '123'],
    ['两千零五', '2005'],
    ['十二', '12'],
    ['二十', '20'],
    ['一千零一十', '1010'],
    ['壹万贰仟叁佰', '12300'],
    ['三千万', '30000000'],
    ['十万', '100000'],
    ['一亿二千万', '120000000'],
    ['两亿零三百万', '203000000'],
    ['零', '0'],
  ])('%s = %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('reads digits with Chinese multipliers exactly (1.2万 = 12000, 3千万, 1.5亿)', () => {
    expect(value('1.2万')).toBe('12000');
    expect(value('3千万')).toBe('30000000');
    expect(value('1.5亿')).toBe('150000000');
    expect(parseChineseNumber('0.05万')).toEqual({ units: 500n, scale: 0 });
  });

  it('reads a bare digit sequence digit by digit (二〇二四 = 2024, not 2+0+2+4)', () => {
    expect(value('二〇二四')).toBe('2024');
    expect(value('一九九八')).toBe('1998');
  });

  it('returns null for anything that is not a numeral', () => {
    for (const junk of ['', 'abc', '三十a', '项目', '1.2元', '万元一']) expect(parseChineseNumber(junk), junk).toBeNull();
  });
});

describe('prefixPower', () => {
  it('turns unit prefixes into powers of ten', () => {
    expect(prefixPower('')).toBe(0);
    expect(prefixPower('万')).toBe(4);
    expect(prefixPower('千万')).toBe(7);
    expect(prefixPower('亿')).toBe(8);
  });
});
