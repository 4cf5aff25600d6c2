import { type ArchiveOptions, resolveTarget } from './config.js';
import { PostgresArchive } from './postgres.js';
import type { ArchiveRepository } from './repository.js';
import { SqliteArchive } from './sqlite.js';

export { archiveOptions, type ArchiveOptions } from './config.js';
export { ArchiveError, ArchiveUnavailableError } from './errors.js';
export type * from './repository.js';
export { parseFieldRange, type SearchQuery } from './query.js';

/**
 * Opens (creating and migrating as needed) the archive: PostgreSQL when a URL is given or DATABASE_URL is set,
 * otherwise the SQLite file (`db`, CROSSFOOT_DB, or ./crossfoot.db).
 */
export async function openArchive(options: ArchiveOptions = {}): Promise<ArchiveRepository> {
  const target = resolveTarget(options);
  return target.backend === 'postgres' ? PostgresArchive.open(target.url) : SqliteArchive.open(target.path);
}
