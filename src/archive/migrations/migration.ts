/** One schema step. Versions are applied in order, once, each in the same transaction as its bookkeeping row. */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

/** The migrations not yet applied; refuses a database written by a newer crossfoot. */
export function pending(migrations: readonly Migration[], applied: readonly number[]): Migration[] {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied);
  if (newest > known) throw new Error(`the archive's schema (version ${newest}) is newer than this crossfoot supports (${known}): upgrade crossfoot`);
  const done = new Set(applied);
  return migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
}
