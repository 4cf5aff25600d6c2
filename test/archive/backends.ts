/**
 * The archive backends the shared suites run against: SQLite in a temporary folder, and PostgreSQL in a fresh
 * database created on the local server for each scratch archive and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openArchive } from '../../src/archive/index.js';
import type { ArchiveRepository } from '../../src/archive/repository.js';

export const PG_ADMIN_URL = process.env.CROSSFOOT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export const PG_AVAILABLE = await postgresAnswers();
if (!PG_AVAILABLE) {
  console.warn(`\n${'!'.repeat(100)}\n!!! PostgreSQL at ${PG_ADMIN_URL} does not answer: the PostgreSQL archive tests are SKIPPED\n${'!'.repeat(100)}\n`);
}

/** An empty archive location: `db` is what `--db` takes (a file path or a postgres:// URL). */
export interface Scratch {
  db: string;
  open(): Promise<ArchiveRepository>;
  dispose(): Promise<void>;
}

function sqliteScratch(): Promise<Scratch> {
  const dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-archive-'));
  const db = path.join(dir, 'archive.db');
  return Promise.resolve({ db, open: () => openArchive({ db }), dispose: async () => rmSync(dir, { recursive: true, force: true }) });
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function postgresScratch(): Promise<Scratch> {
  const name = `crossfoot_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = url.toString();
  return { db, open: () => openArchive({ databaseUrl: db }), dispose: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined) };
}

/** Cuts every connection to the scratch database `db` (a postgres:// URL of a scratch), as a DBA or a failover would. */
export async function terminateBackends(db: string): Promise<number> {
  const name = new URL(db).pathname.slice(1);
  if (!name.startsWith('crossfoot_test_')) throw new Error(`refusing to terminate backends of ${name}: not a scratch database`);
  const { rows } = await admin((c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]));
  return rows.length;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  scratch(): Promise<Scratch>;
}

export const BACKENDS: Backend[] = [
  { name: 'sqlite', scratch: sqliteScratch },
  ...(PG_AVAILABLE ? [{ name: 'postgres' as const, scratch: postgresScratch }] : []),
];
