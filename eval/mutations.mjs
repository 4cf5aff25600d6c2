// Mutation recall (issue 10 item 3), the pure half: read a figure's printed number, change it the way a typist
// slips (a transposition, a single digit, a larger change; a count or a year moved by one), and decide with exact
// interval arithmetic whether the change really breaks the relation the checker verified. eval/mutate.mjs runs it.
//
// Independent of src/ on purpose: a measuring tool that reused the checker's own arithmetic would share its bugs.
// A value printed with d decimals stands for v ± ½·10^−d (its own printed precision, the widest reading the checker
// allows before an info); a stated share or rate may also be one unit off in its last decimal (尾差, an info). A
// mutation is valid only when the relation fails even then, so the checker has to report it as an error or warning.

// ------------------------------------------------------------------------------------------- the printed number

const FULL_ZERO = 0xff10;
const toHalf = (ch) => (ch >= '０' && ch <= '９' ? String.fromCharCode(ch.charCodeAt(0) - FULL_ZERO + 48) : ch);
const isDigit = (ch) => (ch >= '0' && ch <= '9') || (ch >= '０' && ch <= '９');
const CN_DIGITS = '零一二三四五六七八九';

/** Chinese numerals 1–99 as counts print them (四, 十二, 二十三, 两). */
function cnToInt(s) {
  const d = (ch) => (ch === '两' ? 2 : CN_DIGITS.indexOf(ch));
  if (/^[一二两三四五六七八九]$/.test(s)) return d(s);
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (!m) return null;
  return (m[1] ? d(m[1]) : 1) * 10 + (m[2] ? d(m[2]) : 0);
}

function intToCn(n) {
  if (n < 1 || n > 99) return null;
  if (n < 10) return CN_DIGITS[n];
  const tens = Math.floor(n / 10);
  return `${tens > 1 ? CN_DIGITS[tens] : ''}十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
}

/**
 * The number printed inside a figure's span of the text: Arabic digits (half or full width) with thousands
 * separators and a decimal point, or a Chinese numeral count. Returns its offsets in `text` and its reading, or null.
 */
export function numberIn(text, start, end) {
  const span = text.slice(start, end);
  const arabic = /[0-9０-９](?:[0-9０-９]|[,，](?=[0-9０-９]{3})|[.．](?=[0-9０-９]))*/u.exec(span);
  if (arabic) return { start: start + arabic.index, end: start + arabic.index + arabic[0].length, ...parseNumber(arabic[0]) };
  const cn = /[一二两三四五六七八九十]+/u.exec(span);
  if (cn && cnToInt(cn[0]) !== null) {
    return { start: start + cn.index, end: start + cn.index + cn[0].length, token: cn[0], mantissa: BigInt(cnToInt(cn[0])), decimals: 0, chinese: true };
  }
  return null;
}

/** "2,163.37" → mantissa 216337n, decimals 2, and how it was printed (separator, point, width). */
export function parseNumber(token) {
  const half = [...token].map(toHalf).join('');
  const point = token.match(/[.．]/)?.[0] ?? null;
  const separator = token.match(/[,，]/)?.[0] ?? null;
  const [intPart, frac = ''] = half.replace(/[,，]/g, '').split('.');
  return {
    token,
    mantissa: BigInt(intPart + frac),
    decimals: frac.length,
    separator,
    point,
    fullWidth: /[０-９]/.test(token),
  };
}

/** The mantissa printed the way `like` was: same decimals, separators when it had them, same digit width. */
export function formatLike(like, mantissa) {
  if (mantissa < 0n) return null;
  if (like.chinese) return intToCn(Number(mantissa));
  const digits = mantissa.toString().padStart(like.decimals + 1, '0');
  let int = digits.slice(0, digits.length - like.decimals);
  const frac = digits.slice(digits.length - like.decimals);
  if (like.separator) int = int.replace(/\B(?=(\d{3})+$)/g, like.separator);
  let out = frac ? `${int}${like.point ?? '.'}${frac}` : int;
  if (like.fullWidth) out = out.replace(/[0-9]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + FULL_ZERO - 48));
  return out;
}

/** The decimal value of figure.exact ("276.1") at `decimals` places, or null when it has more. */
export function exactAt(exact, decimals) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(exact));
  if (!m) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) return null;
  return BigInt(m[1] + frac.padEnd(decimals, '0'));
}

// ------------------------------------------------------------------------------------------- mutation kinds

export const KINDS = ['transposition', 'digit', 'larger'];

const digitPositions = (token) => [...token].map((ch, i) => (isDigit(ch) ? i : -1)).filter((i) => i >= 0);
const leadingZero = (s) => /^[0０][0-9０-９]/.test(s.replace(/[,，]/g, ''));

/**
 * One slip of `kind` applied to the parsed number `n`, chosen with `rng` among the possible ones; returns the new
 * printed token, or null when the kind cannot change this number (a transposition of 11.00, ×1.1 of 0).
 *   transposition  two neighbouring digits swapped (276.10 → 267.10), a thousands separator between them allowed
 *   digit          one digit replaced by another (276.10 → 276.70)
 *   larger         the value ×1.1, rounded half-up to the printed decimals (276.10 → 303.71)
 */
export function mutateNumber(n, kind, rng) {
  if (n.chinese) return null;
  const chars = [...n.token];
  const pos = digitPositions(n.token);
  if (kind === 'transposition') {
    const swaps = [];
    for (let k = 0; k + 1 < pos.length; k++) {
      const [i, j] = [pos[k], pos[k + 1]];
      const between = chars.slice(i + 1, j).join('');
      if ((between === '' || /^[,，]$/.test(between)) && chars[i] !== chars[j]) swaps.push([i, j]);
    }
    for (const [i, j] of rng.sample(swaps, swaps.length)) {
      const out = [...chars];
      [out[i], out[j]] = [out[j], out[i]];
      const s = out.join('');
      if (!leadingZero(s)) return s;
    }
    return null;
  }
  if (kind === 'digit') {
    for (const i of rng.sample(pos, pos.length)) {
      const old = Number(toHalf(chars[i]));
      const choices = [...Array(10).keys()].filter((d) => d !== old);
      for (const d of rng.sample(choices, choices.length)) {
        const out = [...chars];
        out[i] = n.fullWidth ? String.fromCharCode(d + FULL_ZERO) : String(d);
        const s = out.join('');
        if (!leadingZero(s)) return s;
      }
    }
    return null;
  }
  if (kind === 'larger') {
    const m = (n.mantissa * 11n + 5n) / 10n; // ×1.1, half-up, at the printed decimals
    return m === n.mantissa ? null : formatLike(n, m);
  }
  throw new Error(`unknown mutation kind ${kind}`);
}

/** A stated count moved by one (4个 → 5个 / 3个), in the numerals it was printed in. */
export function mutateCount(n, delta) {
  const m = n.mantissa + BigInt(delta);
  return m < 1n || n.decimals ? null : formatLike(n, m);
}

// ------------------------------------------------------------------------------------------- interval arithmetic

// The unit's power of ten in its base (amounts in 元); percentages, counts and years are their own base.
const UNIT_POWER = { 元: 0, 千元: 3, 万元: 4, 十万元: 5, 百万元: 6, 千万元: 7, 亿元: 8 };
const unitPower = (unit) => UNIT_POWER[unit] ?? 0;

/**
 * The operands of one relation on a common integer grid: each value v·10^power·10^S (S large enough that every
 * half unit is whole), its printed half width, and its signed reading (a stated decrease counts negative).
 */
function onGrid(values) {
  const S = Math.max(0, ...values.map((v) => v.decimals + 1 - v.power));
  return values.map((v) => {
    const unit = 10n ** BigInt(S - v.decimals + v.power);
    const x = v.mantissa * unit * (v.negative ? -1n : 1n);
    // counts and years are whole things, read exactly; a stated result may be one unit off (尾差)
    const h = v.exactly ? 0n : v.tail && v.decimals > 0 ? unit : unit / 2n;
    return { lo: x - h, hi: x + h, S };
  });
}

const meets = (a, b) => a.lo <= b.hi && b.lo <= a.hi;
const sumOf = (xs) => xs.reduce((s, x) => ({ lo: s.lo + x.lo, hi: s.hi + x.hi }), { lo: 0n, hi: 0n });
const minus = (a, b) => ({ lo: a.lo - b.hi, hi: a.hi - b.lo });

/** Whether some x/y·scale lies in t (y > 0 throughout), by cross-multiplication; null when y may be ≤ 0. */
function ratioMeets(x, y, t, scale) {
  if (y.lo <= 0n) return null;
  const lowOk = x.lo >= 0n ? x.lo * scale <= t.hi * y.hi : x.lo * scale <= t.hi * y.lo;
  const highOk = x.hi >= 0n ? x.hi * scale >= t.lo * y.lo : x.hi * scale >= t.lo * y.hi;
  return lowOk && highOk;
}

/**
 * The readings of a relation of `type` over its figures (stated result first, as the report lists them), each a
 * function of the figures' grid intervals that says whether the relation holds (null: not assessable). Several
 * readings when the report's figure list is ambiguous (a growth rate's one level may be this year's or last
 * year's); a single 其中 part may be an equality or a bound, so it must exceed its total to break both.
 */
function readingsOf(type, figures) {
  const n = figures.length;
  const pctScale = (f, S) => (f.unit === '‰' ? 1000n : 100n) * 10n ** BigInt(S);
  switch (type) {
    case 'sum':
      if (n === 2) return [(g) => meets(g[0], g[1]), (g) => g[1].lo <= g[0].hi];
      return [(g) => meets(g[0], sumOf(g.slice(1)))];
    case 'change-parts':
    case 'consistent':
      return [(g) => meets(g[0], sumOf(g.slice(1)))];
    case 'difference':
      return [(g) => meets(g[0], minus(g[1], g[2]))];
    case 'compare':
      return [(g) => g[0].lo <= g[1].hi];
    case 'share':
    case 'execution':
      return [(g) => ratioMeets(g[1], g[2], g[0], pctScale(figures[0], g[0].S))];
    case 'share-total': {
      const k = figures.filter((f) => f.kind === 'percent').length;
      const hundred = (g) => 100n * 10n ** BigInt(g[0].S);
      if (k < n) return [(g) => meets({ lo: hundred(g), hi: hundred(g) }, sumOf(g.slice(0, k)))];
      return [(g) => sumOf(g).lo <= hundred(g)];
    }
    case 'growth': {
      const change = figures.findIndex((f, i) => i > 0 && f.kind === 'amount' && f.direction);
      const levels = figures.map((f, i) => i).filter((i) => i > 0 && i !== change);
      const rate = (delta, prev, g) => ratioMeets(delta, prev, g[0], pctScale(figures[0], g[0].S));
      if (change < 0) return levels.length === 2 ? [(g) => rate(minus(g[levels[0]], g[levels[1]]), g[levels[1]], g)] : [];
      if (levels.length === 0) return [];
      if (levels.length === 2) {
        const [cur, prior] = levels;
        return [(g) => rate(g[change], g[prior], g), (g) => rate(minus(g[cur], g[prior]), g[prior], g)];
      }
      const [one] = levels;
      // the one level is this year's (previous = current − change) or last year's
      return [(g) => rate(g[change], minus(g[one], g[change]), g), (g) => rate(g[change], g[one], g)];
    }
    default:
      return [];
  }
}

/** The readings that hold now (null when none can be judged). */
function holdingReadings(readings, g) {
  return readings.filter((r) => r(g) === true);
}

/** How a figure enters the arithmetic: `tail` for the stated result of a share or rate. */
function operandOf(type, f, index, mantissa = f.mantissa) {
  return {
    mantissa,
    decimals: f.decimals,
    power: f.kind === 'amount' ? unitPower(f.unit) : 0,
    negative: f.direction === 'decrease' && ['growth', 'difference', 'change-parts'].includes(type),
    exactly: f.kind === 'count' || f.kind === 'year',
    tail: index === 0 && ['share', 'execution', 'growth'].includes(type),
  };
}

/**
 * Whether changing figure `target` of a relation to `mantissa` breaks it at the printed precision.
 * `figures`: { kind, unit, direction, mantissa, decimals } in the relation's order. Returns
 *   'breaks'     every reading that held before fails now: the checker must report it (error or warning)
 *   'holds'      the change stays within rounding (or a reading still holds): not a valid mutation
 *   'unjudgeable' the changed relation cannot be judged (a previous value pushed to ≤ 0): not a valid mutation
 *   'unmodelled' no reading of the unchanged relation holds here: the relation is skipped
 */
export function breaksRelation(type, figures, target, mantissa) {
  const readings = readingsOf(type, figures);
  const before = onGrid(figures.map((f, i) => operandOf(type, f, i)));
  const held = holdingReadings(readings, before);
  if (!held.length) return 'unmodelled';
  const after = onGrid(figures.map((f, i) => operandOf(type, f, i, i === target ? mantissa : f.mantissa)));
  const results = held.map((r) => r(after));
  if (results.some((r) => r === null)) return 'unjudgeable';
  return results.some((r) => r === true) ? 'holds' : 'breaks';
}
