import { z } from 'zod';
import { ArchiveError } from './errors.js';

export const DEFAULT_SQLITE_PATH = './crossfoot.db';

const POSTGRES_URL = /^postgres(?:ql)?:\/\//;
const PostgresUrl = z.string().regex(POSTGRES_URL, 'must be a postgres:// or postgresql:// URL');

export const ArchiveOptionsSchema = z.strictObject({
  /** SQLite file. */
  db: z.string().min(1).optional(),
  /** PostgreSQL connection URL. */
  databaseUrl: PostgresUrl.optional(),
});
export type ArchiveOptions = z.infer<typeof ArchiveOptionsSchema>;

/** The archive a `--db` value names (a postgres:// URL or a SQLite path); none leaves the choice to the environment. */
export function archiveOptions(db: string | undefined): ArchiveOptions {
  if (db === undefined) return {};
  return POSTGRES_URL.test(db) ? { databaseUrl: db } : { db };
}

export type ArchiveTarget = { backend: 'sqlite'; path: string } | { backend: 'postgres'; url: string };

/**
 * Which archive to open. Explicit options win over the environment (so `--db x.db` works in a shell that has
 * DATABASE_URL set for the workers); a URL means PostgreSQL, anything else SQLite.
 */
export function resolveTarget(options: ArchiveOptions = {}, env: NodeJS.ProcessEnv = process.env): ArchiveTarget {
  const parsed = ArchiveOptionsSchema.safeParse(options);
  if (!parsed.success) throw new ArchiveError(`invalid archive options: ${z.prettifyError(parsed.error)}`);
  const { db, databaseUrl } = parsed.data;
  if (databaseUrl) return { backend: 'postgres', url: databaseUrl };
  if (db) return { backend: 'sqlite', path: db };
  if (env.DATABASE_URL) {
    const url = PostgresUrl.safeParse(env.DATABASE_URL);
    if (!url.success) throw new ArchiveError('DATABASE_URL is set but is not a postgres:// URL');
    return { backend: 'postgres', url: url.data };
  }
  return { backend: 'sqlite', path: env.CROSSFOOT_DB || DEFAULT_SQLITE_PATH };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
