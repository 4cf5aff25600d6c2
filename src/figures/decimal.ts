/**
 * Exact decimal arithmetic on BigInt: a value is `units / 10^scale`.
 * Money and percentages never touch floating point (24.4 + 0 + 156.3 is 180.70000000000002 in doubles).
 */
export interface Dec {
  readonly units: bigint;
  readonly scale: number;
}

const TEN = 10n;
/** Powers of ten up to any scale a document prints, computed once: BigInt exponentiation per operation showed in profiles. */
const POW10: bigint[] = Array.from({ length: 32 }, (_, k) => TEN ** BigInt(k));
const pow10 = (k: number): bigint => POW10[k] ?? TEN ** BigInt(k);

export const ZERO: Dec = { units: 0n, scale: 0 };

export function dec(units: bigint | number, scale = 0): Dec {
  return { units: BigInt(units), scale };
}

/** Parses a plain decimal literal such as "276.10", "-3.5" or "1234" (no separators). */
export function parseDec(literal: string): Dec {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(literal.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal literal: ${literal}`);
  const frac = m[3] ?? '';
  const units = BigInt((m[2] || '0') + frac);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

/**
 * The decimal a JS number prints as (its shortest round-trip form: 0.1 for the double nearest 0.1), exactly,
 * exponent notation included ("1e+21", "5e-7").
 */
export function decOfNumber(n: number): Dec {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  const [mantissa, exponent] = String(n).split('e');
  return shift(parseDec(mantissa!), Number(exponent ?? 0));
}

function rescale(a: Dec, scale: number): bigint {
  return a.units * pow10(scale - a.scale);
}

function common(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale);
  return [rescale(a, s), rescale(b, s), s];
}

export function add(a: Dec, b: Dec): Dec {
  const [x, y, s] = common(a, b);
  return { units: x + y, scale: s };
}

export function sub(a: Dec, b: Dec): Dec {
  const [x, y, s] = common(a, b);
  return { units: x - y, scale: s };
}

export function neg(a: Dec): Dec {
  return { units: -a.units, scale: a.scale };
}

export function abs(a: Dec): Dec {
  return a.units < 0n ? neg(a) : a;
}

export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function sum(values: readonly Dec[]): Dec {
  return values.reduce(add, ZERO);
}

/** Multiplies by 10^k (k may be negative), exactly. */
export function shift(a: Dec, k: number): Dec {
  if (k >= 0) return a.scale >= k ? { units: a.units, scale: a.scale - k } : { units: a.units * pow10(k - a.scale), scale: 0 };
  return { units: a.units, scale: a.scale - k };
}

export function cmp(a: Dec, b: Dec): -1 | 0 | 1 {
  const [x, y] = common(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const eq = (a: Dec, b: Dec): boolean => cmp(a, b) === 0;
export const lt = (a: Dec, b: Dec): boolean => cmp(a, b) < 0;
export const le = (a: Dec, b: Dec): boolean => cmp(a, b) <= 0;
export const min = (a: Dec, b: Dec): Dec => (le(a, b) ? a : b);
export const max = (a: Dec, b: Dec): Dec => (le(a, b) ? b : a);

/** Half of one unit in the `decimals`-th place: 0.005 for 2 decimals. */
export function halfUlp(decimals: number): Dec {
  return { units: 5n, scale: decimals + 1 };
}

/** Divides `num` by `den` and rounds half away from zero to `decimals` places. */
export function divRound(num: Dec, den: Dec, decimals: number): Dec {
  if (den.units === 0n) throw new RangeError('division by zero');
  // num/den = (num.units * 10^den.scale) / (den.units * 10^num.scale)
  let n = num.units * pow10(den.scale + decimals);
  let d = den.units * pow10(num.scale);
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d;
  const r = n % d;
  const roundAway = 2n * (r < 0n ? -r : r) >= d;
  const units = roundAway ? q + (n < 0n ? -1n : 1n) : q;
  return { units, scale: decimals };
}

/** Rounds half away from zero to `decimals` places. */
export function round(a: Dec, decimals: number): Dec {
  return divRound(a, dec(1), decimals);
}

/** Formats with exactly `decimals` places (rounding half away from zero when needed). */
export function toFixed(a: Dec, decimals: number): string {
  const r = a.scale > decimals ? round(a, decimals) : { units: rescale(a, decimals), scale: decimals };
  const negative = r.units < 0n;
  const digits = (negative ? -r.units : r.units).toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = decimals > 0 ? '.' + digits.slice(digits.length - decimals) : '';
  return (negative ? '-' : '') + int + frac;
}

/** Shortest exact decimal string ("276.1" for 276.10). */
export function toPlain(a: Dec): string {
  let { units, scale } = a;
  while (scale > 0 && units % TEN === 0n) {
    units /= TEN;
    scale -= 1;
  }
  return toFixed({ units, scale }, scale);
}

/** For JSON output only: the exact decimal rendered as a JS number (may lose digits beyond 2^53). */
export function toNumber(a: Dec): number {
  return Number(toPlain(a));
}
