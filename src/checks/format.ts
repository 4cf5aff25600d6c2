import { type Dec, neg, shift, toFixed } from '../figures/decimal.js';
import type { Figure } from '../figures/types.js';
import { effectiveDecimals, type PrecisionMap } from './precision.js';

/** What a message calls a figure: its label as printed, else the item it inherits (…，支出决算为0.53万元). */
export function nameOf(f: Figure): string {
  return f.shownLabel || f.key || f.label;
}

/** A base-unit value (元 for amounts) in `unitOf`'s printed unit, at that figure's effective decimals. */
export function inUnitOf(valueInBase: Dec, unitOf: Figure, precision: PrecisionMap): string {
  return toFixed(shift(valueInBase, -unitOf.power), effectiveDecimals(precision, unitOf));
}

/** The figure's value as printed, signed for decreases when asked (−0.46 for 减少0.46万元). */
export function printed(f: Figure, signed = false): string {
  const v = signed && f.direction === 'decrease' ? neg(f.value) : f.value;
  return toFixed(v, f.decimals);
}

/** A part restated in the total's unit (a part in 元 inside a 万元 total), as plain as the data allow. */
export function printedIn(f: Figure, unitOf: Figure, signed = false): string {
  if (f.power === unitOf.power) return printed(f, signed);
  const v = shift(signed && f.direction === 'decrease' ? neg(f.value) : f.value, f.power - unitOf.power);
  return toFixed(v, Math.max(0, v.scale));
}

/** "9 + 30 + 48.85 + 91.9", with signs for changes ("-0.46 + 0.05"). */
function sumExpression(parts: readonly Figure[], unitOf: Figure, signed = false): string {
  return parts
    .map((p, i) => {
      const s = printedIn(p, unitOf, signed);
      if (i === 0) return s;
      return s.startsWith('-') ? `- ${s.slice(1)}` : `+ ${s}`;
    })
    .join(' ');
}

/**
 * A sum's calculation for its message (`a + b = c`) and for its finding (`a + b = c ≠ total`). A single part is
 * its own sum, and "135.00 = 135.00" proves nothing: there both are the comparison itself (`135.00 ≠ 135.34`).
 */
export function sumCalculations(parts: readonly Figure[], unitOf: Figure, computedText: string, compared: string, signed = false): { inMessage: string; full: string } {
  const expression = sumExpression(parts, unitOf, signed);
  if (parts.length === 1) return { inMessage: `${expression} ${compared}`, full: `${expression} ${compared}` };
  return { inMessage: `${expression} = ${computedText}`, full: `${expression} = ${computedText} ${compared}` };
}
