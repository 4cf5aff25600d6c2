import type { Figure } from '../figures/types.js';

/**
 * The effective decimals of each unit: the most decimals printed for that unit anywhere in the document.
 * Chinese reports drop trailing zeros (9万元 beside 276.10万元), so printed decimals understate precision;
 * reading 9万元 as 9.00 keeps a four-item sum's tolerance at ±0.025万元 instead of ±1.06万元.
 */
export type PrecisionMap = ReadonlyMap<string, number>;

export function documentPrecision(figures: readonly Figure[]): PrecisionMap {
  const map = new Map<string, number>();
  for (const f of figures) {
    if (f.kind !== 'amount' && f.kind !== 'percent') continue;
    if (f.bound === 'approx') continue;
    map.set(f.unit, Math.max(map.get(f.unit) ?? 0, f.decimals));
  }
  return map;
}

export function effectiveDecimals(precision: PrecisionMap, f: Figure): number {
  if (f.kind === 'count' || f.kind === 'year') return 0;
  // a percentage printed with decimals (94.2% beside 27.57%) states the precision its author chose, and 约占75% a
  // rough one; only a whole percentage may have dropped its zeros (占100%)
  if (f.kind === 'percent' && (f.decimals > 0 || f.bound === 'approx')) return f.decimals;
  return Math.max(f.decimals, precision.get(f.unit) ?? f.decimals);
}
