import { describe, expect, it } from 'vitest';
import { intersects, intervalOf, judge, type Interval, ratioMeets, type Reading, sumIntervals } from '../../src/checks/interval.js';
import { documentPrecision, effectiveDecimals } from '../../src/checks/precision.js';
import { dec, parseDec, toPlain } from '../../src/figures/decimal.js';
import { factsOf } from './support.js';

const show = (i: Interval) => [i.lo && toPlain(i.lo), i.hi && toPlain(i.hi)];
const HUNDRED = dec(100);

describe('documentPrecision / effectiveDecimals', () => {
  it('takes the most decimals printed per unit, ignoring approximate figures and counts', () => {
    const { figures, precision, byText } = factsOf('合计276.10万元，其中9万元，约3.125万元，另800元，占比27.5%，共4个。');
    expect(precision.get('万元')).toBe(2);
    expect(precision.get('元')).toBe(0);
    expect(precision.get('%')).toBe(1);
    expect(precision.has('个')).toBe(false);
    expect(effectiveDecimals(precision, byText('9万元'))).toBe(2);
    expect(effectiveDecimals(precision, byText('4个'))).toBe(0);
    expect(documentPrecision(figures.filter((f) => f.text !== '276.10万元')).get('万元')).toBe(0);
  });
});

describe('intervalOf', () => {
  const { precision, byText } = factsOf('合计276.10万元，其中9万元，约3万元，10万元以上，5万元以下，10万人，降低2.5万元。');

  it('reads a figure exactly, at document precision, or at its printed precision (in yuan)', () => {
    const nine = byText('9万元');
    expect(show(intervalOf(nine, 'exact', precision))).toEqual(['90000', '90000']);
    expect(show(intervalOf(nine, 'effective', precision))).toEqual(['89950', '90050']); // 9.00 ± 0.005万元
    expect(show(intervalOf(nine, 'printed', precision))).toEqual(['85000', '95000']); // 9 ± 0.5万元
  });

  it('keeps an approximate figure at its printed digits even at document precision', () => {
    expect(show(intervalOf(byText('约3万元'), 'effective', precision))).toEqual(['25000', '35000']);
  });

  it('opens the bounded end of 以上 / 以下 figures', () => {
    expect(show(intervalOf(byText('10万元以上'), 'effective', precision))).toEqual(['99950', null]);
    expect(show(intervalOf(byText('5万元以下'), 'exact', precision))).toEqual([null, '50000']);
  });

  it('gives counts no rounding interval and signs decreases only when asked', () => {
    expect(show(intervalOf(byText('10万人'), 'printed', precision))).toEqual(['100000', '100000']);
    const cut = byText('2.5万元');
    expect(show(intervalOf(cut, 'exact', precision, true))).toEqual(['-25000', '-25000']);
    expect(show(intervalOf(cut, 'exact', precision))).toEqual(['25000', '25000']);
  });
});

describe('judge', () => {
  it('grades exact → rounding → uncertain → fail by the first reading that holds', () => {
    const holdsFrom = (first: Reading | 'never') => (r: Reading) => {
      const order: Reading[] = ['exact', 'effective', 'printed'];
      return first !== 'never' && order.indexOf(r) >= order.indexOf(first);
    };
    expect(judge(holdsFrom('exact'))).toBe('exact');
    expect(judge(holdsFrom('effective'))).toBe('rounding');
    expect(judge(holdsFrom('printed'))).toBe('uncertain');
    expect(judge(holdsFrom('never'))).toBe('fail');
  });
});

describe('sums at document precision (d* = max decimals of the unit)', () => {
  const sumVerdict = (text: string, totalText: string, partTexts: string[]) => {
    const { precision, byText } = factsOf(text);
    const total = byText(totalText);
    const parts = partTexts.map(byText);
    return judge((r) => intersects(intervalOf(total, r, precision), sumIntervals(parts.map((p) => intervalOf(p, r, precision)))));
  };

  it('9 + 30 + 45.85 + 91.9 = 176.75 holds exactly', () => {
    expect(sumVerdict('合计176.75万元：甲9万元，乙30万元，丙45.85万元，丁91.9万元。', '176.75万元', ['9万元', '30万元', '45.85万元', '91.9万元'])).toBe('exact');
  });

  it('a typo 9.4 for 9 fails at d* although it would pass at printed precision', () => {
    expect(sumVerdict('合计176.75万元：甲9.4万元，乙30万元，丙45.85万元，丁91.9万元。', '176.75万元', ['9.4万元', '30万元', '45.85万元', '91.9万元'])).toBe('uncertain');
  });

  it('parts rounded from 元 pass through rounding only', () => {
    expect(sumVerdict('合计3.58万元：甲12,345元，乙23,456元。', '3.58万元', ['12,345元', '23,456元'])).toBe('rounding');
  });

  it('treats an unbounded interval as meeting anything above its floor', () => {
    expect(intersects({ lo: dec(5), hi: null }, { lo: dec(100), hi: dec(100) })).toBe(true);
    expect(intersects({ lo: dec(5), hi: null }, { lo: dec(1), hi: dec(4) })).toBe(false);
  });
});

describe('ratioMeets (exact cross-multiplication)', () => {
  const { precision, byText } = factsOf('合计276.10万元，办公经费76.11万元，占27.57%，或27.67%。');
  const part = byText('76.11万元');
  const base = byText('276.10万元');
  const meets = (pct: string, r: Reading) => ratioMeets(intervalOf(part, r, precision), intervalOf(base, r, precision), intervalOf(byText(pct), r, precision), HUNDRED);

  it('76.11 / 276.10 = 27.57% holds through rounding but not exactly', () => {
    expect(meets('27.57%', 'exact')).toBe(false);
    expect(meets('27.57%', 'effective')).toBe(true);
  });

  it('27.67% fails at every reading', () => {
    expect(meets('27.67%', 'effective')).toBe(false);
    expect(meets('27.67%', 'printed')).toBe(false);
  });

  it('decides boundary ratios exactly (1/3 against 33.33% ± 0.005)', () => {
    const third = (lo: string, hi: string) => ratioMeets({ lo: dec(1), hi: dec(1) }, { lo: dec(3), hi: dec(3) }, { lo: parseDec(lo), hi: parseDec(hi) }, HUNDRED);
    expect(third('33.325', '33.335')).toBe(true);
    expect(third('33.334', '33.344')).toBe(false);
  });

  it('treats a non-positive or unbounded-below base as not assessable', () => {
    const target = { lo: dec(1), hi: dec(1) };
    expect(ratioMeets({ lo: dec(5), hi: dec(5) }, { lo: dec(0), hi: dec(0) }, target, HUNDRED)).toBe(true);
    expect(ratioMeets({ lo: dec(5), hi: dec(5) }, { lo: null, hi: dec(10) }, target, HUNDRED)).toBe(true);
  });
});
