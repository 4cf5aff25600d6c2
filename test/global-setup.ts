/**
 * Suites that need Redis or PostgreSQL skip (with a loud warning) on a machine without them, so a developer can
 * run the rest. CI sets CROSSFOOT_REQUIRE_SERVICES=1: there a missing service fails the run instead of letting it
 * go green with whole suites skipped.
 */
import pg from 'pg';
import { PG_ADMIN_URL } from './archive/backends.js';
import { redisAnswers, SHARED_REDIS } from './queue/harness.js';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function requireServices(): Promise<void> {
  if (process.env.CROSSFOOT_REQUIRE_SERVICES !== '1') return;
  const missing: string[] = [];
  if (!(await redisAnswers(SHARED_REDIS))) missing.push(`Redis at ${SHARED_REDIS}`);
  if (!(await postgresAnswers())) missing.push(`PostgreSQL at ${PG_ADMIN_URL}`);
  if (missing.length) throw new Error(`CROSSFOOT_REQUIRE_SERVICES=1 but these do not answer: ${missing.join(', ')}`);
}
