/** A command line that cannot be run as given: printed with a hint, exit code 2. */
export class UsageError extends Error {}

/** A whole-number option's value, or undefined when it is absent. */
export function wholeNumber(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number`);
  return n;
}

/** A whole-number option's value (`fallback` when absent). */
export function wholeNumberOption(name: string, raw: string | undefined, fallback: number): number {
  return wholeNumber(name, raw) ?? fallback;
}
