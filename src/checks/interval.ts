import { add, type Dec, halfUlp, le, mul, neg, shift, sub, ZERO } from '../figures/decimal.js';
import type { Figure } from '../figures/types.js';
import { effectiveDecimals, type PrecisionMap } from './precision.js';

/**
 * A closed interval of exact decimals; `null` ends are unbounded (10万人以上 is [100000, ∞)).
 * Tolerance follows XBRL Calculations 1.1: a figure printed with d decimals stands for v ± ½·10^−d,
 * and a relation holds when the stated and computed intervals meet.
 */
export interface Interval {
  lo: Dec | null;
  hi: Dec | null;
}

export const point = (v: Dec): Interval => ({ lo: v, hi: v });

/**
 * How precisely a figure is read: `exact` as printed (a point), `effective` at the document's precision for its
 * unit (9万元 beside 276.10万元 is 9.00 ± 0.005), `printed` at its own printed decimals (9 ± 0.5).
 */
export type Reading = 'exact' | 'effective' | 'printed' | 'tail';

/** The figure as an interval in its base unit (元 for amounts). `signed` turns a decrease into a negative change. */
export function intervalOf(f: Figure, reading: Reading, precision: PrecisionMap, signed = false): Interval {
  const value = signed && f.direction === 'decrease' ? neg(f.value) : f.value;
  // Counts are whole things: no rounding interval. 约3万元 only carries its printed digits.
  // operands keep the document's precision in the 尾差 reading: only the stated result is widened (statedInterval)
  const h =
    f.kind === 'count' || reading === 'exact'
      ? null
      : halfUlp(reading === 'printed' || f.bound === 'approx' ? f.decimals : effectiveDecimals(precision, f));
  let lo: Dec | null = h ? sub(value, h) : value;
  let hi: Dec | null = h ? add(value, h) : value;
  if (f.bound === 'atLeast') hi = null;
  if (f.bound === 'atMost') lo = null;
  const p = f.power;
  return { lo: lo && shift(lo, p), hi: hi && shift(hi, p) };
}

/**
 * The stated result of a relation (a share, a rate) as an interval. In the 尾差 reading it stands for v ± one unit
 * of its last printed decimal: a figure forced to make shares total 100%, or truncated instead of rounded, is
 * one unit off, and Chinese finance calls that 尾差 (a rounding tail), not a slip. A whole number has no tail:
 * "30%" for 29.15% is wrong, not a tail.
 */
export function statedInterval(f: Figure, reading: Reading, precision: PrecisionMap, signed = false): Interval {
  if (reading !== 'tail' || f.decimals < 1 || f.bound) return intervalOf(f, reading === 'tail' ? 'effective' : reading, precision, signed);
  const value = signed && f.direction === 'decrease' ? neg(f.value) : f.value;
  const ulp: Dec = { units: 1n, scale: f.decimals };
  return { lo: shift(sub(value, ulp), f.power), hi: shift(add(value, ulp), f.power) };
}

/**
 * `tail`: holds only when the stated result may be one unit off in its last decimal (尾差, see statedInterval).
 */
export type Verdict = 'exact' | 'rounding' | 'uncertain' | 'tail' | 'fail';

/** How a rule judges: `strict` treats a 尾差 as a failure (a configuration's `rounding: strict`). */
export interface JudgeOptions {
  /** The relation has a stated result that statedInterval widens in the 'tail' reading. */
  tail?: boolean;
  strict?: boolean;
}

/**
 * The rounding rule: exact → pass; holds at the document's precision → pass through rounding; holds only at
 * each figure's printed precision → uncertain (info); holds only with the stated result one unit off → tail
 * (info, 尾差); otherwise a finding. Never a global epsilon.
 */
export function judge(holds: (reading: Reading) => boolean, options: JudgeOptions = {}): Verdict {
  if (holds('exact')) return 'exact';
  if (holds('effective')) return 'rounding';
  if (holds('printed')) return 'uncertain';
  if (options.tail && !options.strict && holds('tail')) return 'tail';
  return 'fail';
}

export function addIntervals(a: Interval, b: Interval): Interval {
  return { lo: a.lo && b.lo && add(a.lo, b.lo), hi: a.hi && b.hi && add(a.hi, b.hi) };
}

export function sumIntervals(items: readonly Interval[]): Interval {
  return items.reduce(addIntervals, point({ units: 0n, scale: 0 }));
}

export function negate(a: Interval): Interval {
  return { lo: a.hi && neg(a.hi), hi: a.lo && neg(a.lo) };
}

export function intersects(a: Interval, b: Interval): boolean {
  const aBelowB = a.hi !== null && b.lo !== null && !le(b.lo, a.hi);
  const bBelowA = b.hi !== null && a.lo !== null && !le(a.lo, b.hi);
  return !aBelowB && !bBelowA;
}

/**
 * Whether some x in `num` and y in `den` (den > 0 throughout) give x/y·scale inside `target`.
 * Decided exactly by cross-multiplication: the ratio's range is [num.lo/den.hi, num.hi/den.lo] for num ≥ 0.
 */
export function ratioMeets(num: Interval, den: Interval, target: Interval, scale: Dec): boolean {
  if (den.lo === null || den.lo.units <= 0n) return true; // a base that may be zero: not assessable
  // the quantities are amounts and counts, never negative: "0万元" stands for [0, 0.005], not [−0.005, 0.005], so
  // its share is 0 % at most a rounding away, and "0万元，占7%" fails
  const numLo = num.lo === null || num.lo.units < 0n ? ZERO : num.lo;
  // lowest ratio ≤ target.hi  ⇔  num.lo·scale ≤ target.hi·den.hi  (den.hi = ∞ makes the ratio tend to 0)
  const lowOk = target.hi === null || den.hi === null || le(mul(numLo, scale), mul(target.hi, den.hi));
  // highest ratio ≥ target.lo  ⇔  num.hi·scale ≥ target.lo·den.lo
  const highOk = target.lo === null || num.hi === null || le(mul(target.lo, den.lo), mul(num.hi, scale));
  return lowOk && highOk;
}
