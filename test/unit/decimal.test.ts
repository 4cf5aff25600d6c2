import { describe, expect, it } from 'vitest';
import {
  add, cmp, dec, decOfNumber, divRound, eq, mul, neg, parseDec, round, shift, sub, sum, toFixed, toNumber, toPlain,
} from '../../src/figures/decimal.js';

const d = parseDec;

describe('parseDec', () => {
  it('keeps the printed scale, so 276.10 is 27610 hundredths', () => {
    expect(d('276.10')).toEqual({ units: 27610n, scale: 2 });
    expect(d('-3.5')).toEqual({ units: -35n, scale: 1 });
    expect(d('1234')).toEqual({ units: 1234n, scale: 0 });
    expect(d('.5')).toEqual({ units: 5n, scale: 1 });
  });

  it('rejects separators, words and empty literals', () => {
    for (const bad of ['1,234', 'abc', '', '.', '1.2.3', '12元']) expect(() => d(bad), bad).toThrow(/not a decimal literal/);
  });
});

describe('decOfNumber', () => {
  it('is the decimal the number prints as, exponent notation included', () => {
    expect(toPlain(decOfNumber(12345.67))).toBe('12345.67');
    expect(toPlain(decOfNumber(0.1))).toBe('0.1');
    expect(toPlain(decOfNumber(-2761000))).toBe('-2761000');
    expect(toPlain(decOfNumber(1e21))).toBe('1000000000000000000000');
    expect(toPlain(decOfNumber(5e-7))).toBe('0.0000005');
    expect(toPlain(decOfNumber(-1.5e-7))).toBe('-0.00000015');
    expect(() => decOfNumber(NaN)).toThrow(/not a finite number/);
  });
});

describe('exact arithmetic', () => {
  it('adds without floating-point drift: 24.4 + 0 + 156.3 is exactly 180.7', () => {
    expect(24.4 + 0 + 156.3).not.toBe(180.7); // the reason the module exists
    const total = sum([d('24.4'), d('0'), d('156.3')]);
    expect(eq(total, d('180.7'))).toBe(true);
    expect(toPlain(total)).toBe('180.7');
  });

  it('subtracts and multiplies across scales', () => {
    expect(toPlain(sub(d('31.20'), d('25.04')))).toBe('6.16');
    expect(toPlain(sub(d('0.1'), d('0.3')))).toBe('-0.2');
    expect(mul(d('1.5'), d('0.02'))).toEqual({ units: 30n, scale: 3 });
    expect(toPlain(add(d('0.1'), d('0.2')))).toBe('0.3');
    expect(toPlain(neg(d('2.50')))).toBe('-2.5');
  });

  it('shifts by powers of ten exactly: 4.52 shifted by 4 is 45200 and back', () => {
    expect(shift(d('4.52'), 4)).toEqual({ units: 45200n, scale: 0 });
    expect(toPlain(shift(d('1.23456'), 2))).toBe('123.456');
    expect(toPlain(shift(d('45200'), -4))).toBe('4.52');
    expect(eq(shift(shift(d('0.07'), 8), -8), d('0.07'))).toBe(true);
  });

  it('compares values regardless of scale', () => {
    expect(cmp(d('276.10'), d('276.1'))).toBe(0);
    expect(cmp(d('9'), d('9.01'))).toBe(-1);
    expect(cmp(d('-1'), d('-1.5'))).toBe(1);
  });
});

describe('divRound / round (half away from zero)', () => {
  it('rounds the half away from zero on both signs', () => {
    expect(toPlain(divRound(dec(1), dec(8), 2))).toBe('0.13'); // 0.125
    expect(toPlain(divRound(dec(-1), dec(8), 2))).toBe('-0.13');
    expect(toPlain(divRound(dec(1), dec(-8), 2))).toBe('-0.13');
    expect(toPlain(round(d('2.5'), 0))).toBe('3');
    expect(toPlain(round(d('-2.5'), 0))).toBe('-3');
    expect(toPlain(round(d('2.4999'), 0))).toBe('2');
  });

  it('divides decimals at their own scales (76.11 / 276.10 = 27.57%)', () => {
    expect(toFixed(divRound(mul(d('76.11'), dec(100)), d('276.10'), 2), 2)).toBe('27.57');
    expect(toFixed(divRound(dec(2), dec(3), 2), 2)).toBe('0.67');
  });

  it('refuses division by zero', () => {
    expect(() => divRound(dec(1), d('0.00'), 2)).toThrow(RangeError);
  });
});

describe('formatting', () => {
  it('toFixed pads, rounds half away from zero and never prints -0', () => {
    expect(toFixed(d('9'), 2)).toBe('9.00');
    expect(toFixed(d('1.005'), 2)).toBe('1.01');
    expect(toFixed(d('-1.005'), 2)).toBe('-1.01');
    expect(toFixed(d('-0.004'), 2)).toBe('0.00');
    expect(toFixed(d('0.5'), 0)).toBe('1');
    expect(toFixed(d('0.07'), 3)).toBe('0.070');
  });

  it('toPlain drops trailing zeros only', () => {
    expect(toPlain(d('276.10'))).toBe('276.1');
    expect(toPlain(d('100'))).toBe('100');
    expect(toPlain(d('0.000'))).toBe('0');
    expect(toPlain(d('-0.50'))).toBe('-0.5');
    expect(toNumber(d('1234567.89'))).toBe(1234567.89);
  });
});
