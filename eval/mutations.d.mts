// Types of eval/mutations.mjs, for the tests (strict TypeScript imports it).

export interface PrintedNumber {
  token: string;
  mantissa: bigint;
  decimals: number;
  separator?: string | null;
  point?: string | null;
  fullWidth?: boolean;
  chinese?: boolean;
}

export interface Rng {
  sample<T>(items: readonly T[], k: number): T[];
}

export interface RelationFigure {
  kind: 'amount' | 'percent' | 'count' | 'year';
  unit: string;
  direction?: 'increase' | 'decrease' | 'flat';
  mantissa: bigint;
  decimals: number;
}

export const KINDS: readonly ['transposition', 'digit', 'larger'];
export function numberIn(text: string, start: number, end: number): (PrintedNumber & { start: number; end: number }) | null;
export function parseNumber(token: string): PrintedNumber;
export function formatLike(like: PrintedNumber, mantissa: bigint): string | null;
export function exactAt(exact: string, decimals: number): bigint | null;
export function mutateNumber(n: PrintedNumber, kind: (typeof KINDS)[number], rng: Rng): string | null;
export function mutateCount(n: PrintedNumber, delta: number): string | null;
export function breaksRelation(
  type: string,
  figures: readonly RelationFigure[],
  target: number,
  mantissa: bigint,
): 'breaks' | 'holds' | 'unjudgeable' | 'unmodelled';
