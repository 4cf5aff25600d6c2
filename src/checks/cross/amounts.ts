import { abs, add, type Dec, halfUlp, le, parseDec, shift, sub, toFixed, toPlain } from '../../figures/decimal.js';
import type { CrossDocument, CrossFigure } from '../../model.js';

/** Powers of ten from an amount unit to 元: reports state money in 元, 万元 and now and then 亿元. */
const UNIT_POWER: Readonly<Record<string, number>> = { 元: 0, 千元: 3, 万元: 4, 百万元: 6, 千万元: 7, 亿元: 8 };

/** A printed amount stands for an interval: its value ± half a unit of the most decimals its document prints for that unit. */
export interface Interval {
  /** In 元. */
  value: Dec;
  half: Dec;
}

export const unitPower = (unit: string): number | undefined => UNIT_POWER[unit];

/** The intervals of a document's amounts, at the precision the document keeps for each unit. */
export function intervalsOf(document: CrossDocument): (f: CrossFigure) => Interval | undefined {
  const decimals = new Map<string, number>();
  for (const f of document.figures) if (f.kind === 'amount') decimals.set(f.unit, Math.max(decimals.get(f.unit) ?? 0, f.decimals));
  return (f) => {
    const power = UNIT_POWER[f.unit];
    if (power === undefined || f.kind !== 'amount') return undefined;
    return { value: shift(parseDec(f.exact), power), half: shift(halfUlp(decimals.get(f.unit) ?? f.decimals), power) };
  };
}

/** Two statements agree when their intervals meet: a difference within both roundings is no difference. */
export const meets = (a: Interval, b: Interval): boolean => le(abs(sub(a.value, b.value)), add(a.half, b.half));

/** `value` (in 元) printed in `unit` with `decimals` decimals, or more when it has them. */
export function inUnit(value: Dec, unit: string, decimals: number): string {
  const shown = shift(value, -(UNIT_POWER[unit] ?? 0));
  return toFixed(shown, Math.max(decimals, toPlain(shown).split('.')[1]?.length ?? 0));
}
