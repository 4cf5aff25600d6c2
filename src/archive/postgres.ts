import pg from 'pg';
import type { Report } from '../report/schema.js';
import { redactUrl } from './config.js';
import { ArchiveError, ArchiveUnavailableError } from './errors.js';
import { type Snippet, snippetOf } from './highlight.js';
import { type Migration, pending } from './migrations/migration.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { type PreparedReport, prepareReport } from './prepare.js';
import { type SearchQuery, validateQuery } from './query.js';
import {
  type DocumentRowOut,
  figureRows,
  findingFromRow,
  type FindingRowOut,
  findingRows,
  RECORD_COLUMNS,
  recordFromRow,
  sortFindings,
  tableRows,
  verdictOf,
} from './records.js';

import { type AddOutcome, type ArchiveRepository, type FindingRow, type OverviewDocument, type OverviewFinding, type Review, type ReviewInput, type SearchHit, type SearchResult, VERSIONS_PER_DOCUMENT } from './repository.js';
import { parseTerms, type Term } from './search-text.js';
import { type Dialect, filterConditions, LATEST_DECISION, hashPrefix, orderBy, paging, Params } from './sql.js';
import { planWrite } from './write-plan.js';

const dialect: Dialect = {
  placeholder: (i) => `$${i}`,
  ilike: 'ILIKE',
  collate: ' COLLATE "C"',
  // bound as text, compared as NUMERIC: exact, whatever the number of digits
  fieldComparison: (column, op, decimal) => `${column} ${op} ${decimal}`,
  noLimit: 'ALL',
};

/** Held while migrating, so that workers starting together apply each migration once. */
const MIGRATION_LOCK = 0x63726f73; // "cros"

/** Errors that mean "the server cannot be used", as opposed to a bug in a statement. */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '28P01', '28000', '3D000', '57P03']);

/**
 * The server ended the connection under a running operation: terminated (57P01), shut down (57P02, 57P03),
 * connection exceptions (class 08), or the socket closed without a word.
 */
const CONNECTION_LOST = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE']);
const isConnectionLoss = (error: unknown): boolean =>
  CONNECTION_LOST.has((error as { code?: string }).code ?? '') || /Connection terminated|not queryable/.test((error as Error).message ?? '');

/** Tries of one operation whose connection was cut under it (a DBA terminating every backend cuts them all). */
const LOST_CONNECTION_ATTEMPTS = 3;

/** One attempt lost its connection: the operation is worth another try on a fresh one. */
class ConnectionLostError extends Error {
  constructor(cause: unknown) {
    super('PostgreSQL connection lost', { cause });
  }
}

/** A tsquery of lexemes ANDed; a lone Han character as a prefix. */
function gramsQuery(term: Term): string {
  return term.grams.map((g) => `'${g.text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${g.prefix ? ':*' : ''}`).join(' & ');
}

/** The AND of the terms' jieba words in a row (phrases), for ranking; undefined without words. */
function wordsQuery(terms: readonly Term[], p: Params): string | undefined {
  const phrases = terms.filter((t) => t.tokens.length).map((t) => `phraseto_tsquery('simple', ${p.add(t.tokens.join(' '))})`);
  return phrases.length ? `(${phrases.join(' && ')})` : undefined;
}

/**
 * A term matches where all its character bigrams occur: answered by the GIN index alone, with no recheck of
 * the rows. (An exact check — the bigrams in a row, or the jieba words as a phrase — has to read every candidate
 * row's vector from TOAST; for a word found in most of the archive that costs hundreds of milliseconds.) For a
 * two-character word this is exact; for a longer one, all its pairs occurring elsewhere is rare.
 */
const textConditions = (terms: readonly Term[], p: Params): string[] => terms.map((t) => `d.grams @@ to_tsquery('simple', ${p.add(gramsQuery(t))})`);

/**
 * Ranking reads each document's full vector, so at most this many candidates are ranked in full: those that
 * match best in title and organization, then the newest. Up to this many matches, the order is exact.
 */
const RANK_POOL = 1000;

interface RawRow extends Omit<DocumentRowOut, 'checked_at'> {
  checked_at: Date;
}

const documentRow = (raw: RawRow): DocumentRowOut => ({ ...raw, checked_at: raw.checked_at.toISOString() });

/** Applies the pending migrations; run in one transaction, so that a failed step leaves the schema as it was. */
async function migrate(client: pg.PoolClient, migrations: readonly Migration[]): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)');
  const applied = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version);
  for (const m of pending(migrations, applied)) {
    for (const statement of m.statements) await client.query(statement);
    await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [m.version, m.name]);
  }
}

/** The document's row, inserted or replaced in place (its id stays, so its reviews stay attached); returns its id. */
async function upsertDocument(client: pg.PoolClient, { report, text: body, digest, counts, search }: PreparedReport): Promise<string> {
  const sha = report.sha256;
  return (await client.query<{ id: string }>(
    `INSERT INTO documents (sha256, file, title, organization, fiscal_year, document_type, format, pages, status, error_code,
       error_message, checked_at, pack_versions, digest, errors, warnings, infos, text, report, head, tsv, grams)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), $12, $13, $14, $15, $16, $17, $18,
       setweight(to_tsvector('simple', $19), 'A'), setweight(to_tsvector('simple', $19), 'A') || to_tsvector('simple', $20),
       strip(to_tsvector('simple', $21)))
     ON CONFLICT (sha256) DO UPDATE SET file = EXCLUDED.file, title = EXCLUDED.title, organization = EXCLUDED.organization,
       fiscal_year = EXCLUDED.fiscal_year, document_type = EXCLUDED.document_type, format = EXCLUDED.format, pages = EXCLUDED.pages,
       status = EXCLUDED.status, error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
       checked_at = EXCLUDED.checked_at, pack_versions = EXCLUDED.pack_versions, digest = EXCLUDED.digest, errors = EXCLUDED.errors,
       warnings = EXCLUDED.warnings, infos = EXCLUDED.infos, text = EXCLUDED.text, report = EXCLUDED.report,
       head = EXCLUDED.head, tsv = EXCLUDED.tsv, grams = EXCLUDED.grams
     RETURNING id`,
    [
      sha,
      report.file,
      report.title ?? null,
      report.organization ?? null,
      report.fiscalYear ?? null,
      report.documentType ?? null,
      report.format ?? null,
      report.pages ?? null,
      report.status,
      report.error?.code ?? null,
      report.error?.message ?? null,
      JSON.stringify(report.packs),
      digest,
      counts.errors,
      counts.warnings,
      counts.infos,
      body,
      JSON.stringify(report),
      search.head,
      search.body,
      search.grams,
    ],
  )).rows[0]!.id;
}

/** One column of a bulk insert: its name, its PostgreSQL array type, and its value in each row. */
type Column<Row> = readonly [name: string, type: string, value: (row: Row) => unknown];

/**
 * Inserts the document's rows of one child table in one statement: each column is sent as an array and unnest
 * turns the arrays back into rows, so a report of 2,000 figures costs one round trip, not 2,000.
 */
async function insertRows<Row>(client: pg.PoolClient, table: string, doc: string, rows: readonly Row[], columns: readonly Column<Row>[]): Promise<void> {
  if (!rows.length) return;
  const arrays = columns.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ');
  await client.query(`INSERT INTO ${table} (doc, ${columns.map(([name]) => name).join(', ')}) SELECT $1, * FROM unnest(${arrays})`, [
    doc,
    ...columns.map(([, , value]) => rows.map(value)),
  ]);
}

const FIGURE_COLUMNS: readonly Column<ReturnType<typeof figureRows>[number]>[] = [
  ['id', 'text', (f) => f.id],
  ['kind', 'text', (f) => f.kind],
  ['text', 'text', (f) => f.text],
  ['exact', 'text', (f) => f.exact],
  ['unit', 'text', (f) => f.unit],
  ['decimals', 'int', (f) => f.decimals],
  ['yuan', 'numeric', (f) => (f.yuan === null ? null : String(f.yuan))],
  ['label', 'text', (f) => f.label],
  ['stage', 'text', (f) => f.stage],
  ['direction', 'text', (f) => f.direction],
  ['loc', 'json', (f) => f.loc],
];

const FINDING_COLUMNS: readonly Column<ReturnType<typeof findingRows>[number]>[] = [
  ['fingerprint', 'text', (f) => f.fingerprint],
  ['rule_id', 'text', (f) => f.ruleId],
  ['message_id', 'text', (f) => f.messageId],
  ['severity', 'text', (f) => f.severity],
  ['message', 'text', (f) => f.message],
  ['expected', 'text', (f) => f.expected],
  ['actual', 'text', (f) => f.actual],
  ['calculation', 'text', (f) => f.calculation],
  ['quote', 'text', (f) => f.quote],
  ['loc', 'json', (f) => f.loc],
  ['figure_ids', 'json', (f) => f.figureIds],
];

const FIELD_COLUMNS: readonly Column<[string, number]>[] = [
  ['key', 'text', ([k]) => k],
  ['value', 'numeric', ([, v]) => String(v)],
];

const TABLE_COLUMNS: readonly Column<ReturnType<typeof tableRows>[number]>[] = [
  ['id', 'text', (t) => t.id],
  ['title', 'text', (t) => t.title],
  ['page', 'int', (t) => t.page],
  ['rows', 'int', (t) => t.rows],
  ['cols', 'int', (t) => t.cols],
  ['unit', 'text', (t) => t.unit],
];

/** A report's child rows: figures, fields, findings and tables. */
async function insertChildren(client: pg.PoolClient, doc: string, report: Report): Promise<void> {
  await insertRows(client, 'figures', doc, figureRows(report), FIGURE_COLUMNS);
  await insertRows(client, 'fields', doc, Object.entries(report.fields), FIELD_COLUMNS);
  await insertRows(client, 'findings', doc, findingRows(report), FINDING_COLUMNS);
  await insertRows(client, 'report_tables', doc, tableRows(report), TABLE_COLUMNS);
}

/** Reviews whose finding the new report no longer has: kept, and counted for the caller to say so. */
async function orphanedReviews(client: pg.PoolClient, doc: string): Promise<number> {
  return (
    await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reviews r WHERE r.doc = $1
         AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.doc = r.doc AND f.fingerprint = r.fingerprint)`,
      [doc],
    )
  ).rows[0]!.n;
}

/** The shared archive: PostgreSQL, so that workers on several machines write to one place. */
export class PostgresArchive implements ArchiveRepository {
  readonly backend = 'postgres';

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  static async open(url: string): Promise<PostgresArchive> {
    const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 10_000 });
    // node-postgres emits 'error' on a pool, and on each of its clients (idle or checked out), whose connection the
    // server ends; an 'error' event without a listener kills the process. The operation that was using the
    // connection fails on its own (session() retries it), so the events themselves need nothing more.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const archive = new PostgresArchive(pool, url);
    try {
      await archive.transaction((client) => migrate(client, POSTGRES_MIGRATIONS));
    } catch (error) {
      await pool.end();
      throw error;
    }
    return archive;
  }

  /**
   * A pooled connection for `work`. A connection cut while in use (a DBA's pg_terminate_backend, a failover, a
   * proxy dropping it) fails this one attempt, and `work` runs again on a fresh connection: safe, because a
   * transaction cut before its COMMIT was rolled back by the server, and report writes are idempotent by content
   * hash. What still fails becomes ArchiveUnavailableError (the server's 503, a worker's retried job).
   */
  private async session<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(work);
      } catch (error) {
        if (!(error instanceof ConnectionLostError)) throw error;
        // other pooled connections may have been cut at the same moment: a short pause lets the pool drop them
        if (attempt >= LOST_CONNECTION_ATTEMPTS) throw this.unavailable(error.cause);
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  /** One try of `work` on one pooled connection; a cut connection throws ConnectionLostError. */
  private async attempt<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
    let broken = false;
    try {
      return await work(client);
    } catch (error) {
      broken = isConnectionLoss(error);
      if (broken) throw new ConnectionLostError(error);
      broken = UNAVAILABLE.has((error as { code?: string }).code ?? '');
      throw broken ? this.unavailable(error) : error;
    } finally {
      // a connection that failed is dropped from the pool, not handed to the next caller
      client.release(broken);
    }
  }

  /** `work` in one transaction: committed when it returns, rolled back when it throws. */
  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.session(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return this.session(async (client) => (await client.query<R>(sql, values)).rows);
  }

  /**
   * A query matching words. The planner does not count the cost of reading a row's TOASTed bigram vector: for a
   * common word it prefers a sequential scan that evaluates @@ on every row (150 ms at 10,000 reports) over the
   * GIN bitmap, which answers without reading the vectors at all (10–20 ms). So, for this statement only, no
   * sequential scan.
   */
  private async matchQuery<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<R[]> {
    return this.transaction(async (client) => {
      await client.query('SET LOCAL enable_seqscan = off');
      return (await client.query<R>(sql, values)).rows;
    });
  }

  private unavailable(error: unknown): ArchiveUnavailableError {
    const e = error as { code?: string; message?: string };
    const why = e.message || e.code || String(error);
    return new ArchiveUnavailableError(`cannot use the PostgreSQL archive at ${redactUrl(this.url)}: ${why}`, { cause: error });
  }

  async addReport(report: Report, text?: string): Promise<AddOutcome> {
    return (await this.addReports([{ report, text }]))[0]!;
  }

  async addReports(items: readonly { report: Report; text?: string }[]): Promise<AddOutcome[]> {
    const prepared = items.map((item) => prepareReport(item.report, item.text));
    return this.transaction(async (client) => {
      // one writer per document across all machines: a second worker adding the same file waits, then finds it
      // stored. Locks are taken in hash order so that two batches sharing documents cannot deadlock.
      const hashes = [...new Set(prepared.map((p) => p.report.sha256))].sort();
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended(h, 0)) FROM unnest($1::text[]) AS h ORDER BY h', [hashes]);
      const outcomes: AddOutcome[] = [];
      for (const p of prepared) outcomes.push(await this.write(client, p));
      return outcomes;
    });
  }

  private async write(client: pg.PoolClient, prepared: PreparedReport): Promise<AddOutcome> {
    const { report, digest } = prepared;
    const sha = report.sha256;
    const stored = (
      await client.query<{ id: string; digest: string; pack_versions: { id: string; version: string }[] }>(
        'SELECT id, digest, pack_versions FROM documents WHERE sha256 = $1',
        [sha],
      )
    ).rows[0];
    const plan = planWrite(stored && { digest: stored.digest, packs: stored.pack_versions }, digest, report.packs);
    if (plan === 'unchanged' || plan === 'stale') return { status: plan, sha256: sha, orphanedReviews: 0 };
    if (stored) {
      await client.query(
        `WITH a AS (DELETE FROM figures WHERE doc = $1), b AS (DELETE FROM fields WHERE doc = $1),
           c AS (DELETE FROM findings WHERE doc = $1)
         DELETE FROM report_tables WHERE doc = $1`,
        [stored.id],
      );
    }
    const doc = await upsertDocument(client, prepared);
    // one multi-row INSERT per table (unnest of column arrays): a round trip per table, not per row
    await insertChildren(client, doc, report);
    return { status: stored ? 'replaced' : 'added', sha256: sha, orphanedReviews: await orphanedReviews(client, doc) };
  }

  async reports(sha256s: readonly string[]): Promise<Report[]> {
    const rows = await this.query<{ sha256: string; report: Report }>('SELECT sha256, report FROM documents WHERE sha256 = ANY($1)', [sha256s]);
    const byHash = new Map(rows.map((r) => [r.sha256, r.report]));
    return sha256s.flatMap((s) => byHash.get(s) ?? []);
  }

  async document(sha256: string): Promise<{ report: Report; text: string } | null> {
    const [row] = await this.query<{ report: Report; text: string }>('SELECT report, text FROM documents WHERE sha256 = $1', [sha256]);
    return row ?? null;
  }

  async resolve(ref: string): Promise<string[]> {
    const prefix = hashPrefix(ref);
    const [where, values] = prefix ? ['file = $1 OR (sha256 >= $2 AND sha256 < $3)', [ref, ...prefix]] : ['file = $1', [ref]];
    return (await this.query<{ sha256: string }>(`SELECT sha256 FROM documents WHERE ${where} ORDER BY checked_at DESC, sha256`, values)).map((r) => r.sha256);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const q = validateQuery(query);
    const terms = q.text ? parseTerms(q.text) : [];
    if (q.text?.trim() && !terms.length) return { total: 0, hits: [] };
    // rebuilt per statement: PostgreSQL refuses parameters a statement does not use
    const where = (p: Params) => {
      const conditions = [...textConditions(terms, p), ...filterConditions(q, p, dialect)];
      return conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    };
    let rows: (RawRow & { rid: string })[];
    let total: number;
    if (terms.length && q.sort === 'relevance') {
      const p = new Params(dialect);
      const head = wordsQuery(terms, p);
      const pool = q.limit === undefined ? dialect.noLimit : p.add(Math.max(RANK_POOL, q.offset + q.limit));
      const candidates = await this.matchQuery<{ id: string; total: string }>(
        `SELECT d.id, count(*) OVER () AS total FROM documents d ${where(p)}
         ORDER BY ${head ? `ts_rank(d.head, ${head}) DESC, ` : ''}d.fiscal_year DESC NULLS LAST, d.file COLLATE "C", d.sha256 LIMIT ${pool}`,
        p.values,
      );
      total = Number(candidates[0]?.total ?? 0);
      const r = new Params(dialect);
      const words = wordsQuery(terms, r);
      rows = await this.query<RawRow & { rid: string }>(
        `SELECT ${RECORD_COLUMNS}, d.id AS rid FROM documents d WHERE d.id = ANY(${r.add(candidates.map((c) => c.id))})
         ORDER BY ${words ? `ts_rank(d.tsv, ${words}) DESC, ` : ''}d.fiscal_year DESC NULLS LAST, d.file COLLATE "C", d.sha256 ${paging(q, r, dialect)}`,
        r.values,
      );
    } else {
      const p = new Params(dialect);
      const run = terms.length ? this.matchQuery.bind(this) : this.query.bind(this);
      const page = await run<RawRow & { rid: string; total: string }>(
        `SELECT ${RECORD_COLUMNS}, d.id AS rid, count(*) OVER () AS total FROM documents d ${where(p)}
         ORDER BY ${orderBy(q, false, dialect)} ${paging(q, p, dialect)}`,
        p.values,
      );
      rows = page;
      total = Number(page[0]?.total ?? 0);
      if (!page.length && q.offset > 0) {
        const c = new Params(dialect);
        total = Number((await run<{ n: string }>(`SELECT count(*) AS n FROM documents d ${where(c)}`, c.values))[0]!.n);
      }
    }
    const ids = rows.map((r) => r.rid);
    const fields = await this.fieldsOf(ids);
    const extras = terms.length ? await this.scoresAndSnippets(ids, terms) : new Map<string, { score: number; snippet: Snippet }>();
    const hits: SearchHit[] = rows.map(({ rid, ...doc }) => {
      const { total: _total, ...record } = doc as RawRow & { total?: string };
      return { ...recordFromRow(documentRow(record), fields.get(rid) ?? {}), score: extras.get(rid)?.score ?? null, snippet: extras.get(rid)?.snippet ?? null };
    });
    return { total, hits };
  }

  private async fieldsOf(ids: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    if (!ids.length) return out;
    const rows = await this.query<{ doc: string; key: string; value: string }>('SELECT doc, key, value FROM fields WHERE doc = ANY($1) ORDER BY doc, key', [ids]);
    for (const r of rows) {
      const record = out.get(r.doc) ?? {};
      // stored from the Report's own number as its shortest decimal, so Number() gives that number back exactly
      record[r.key] = Number(r.value);
      out.set(r.doc, record);
    }
    return out;
  }

  /** For the page's documents: the rank (ts_rank over the jieba words, title and organization weighted A) and the snippet. */
  private async scoresAndSnippets(ids: readonly string[], terms: readonly Term[]): Promise<Map<string, { score: number; snippet: Snippet }>> {
    const out = new Map<string, { score: number; snippet: Snippet }>();
    if (!ids.length) return out;
    const p = new Params(dialect);
    const words = wordsQuery(terms, p);
    const rows = await this.query<{ id: string; score: number; title: string | null; organization: string | null; text: string }>(
      `SELECT d.id, ${words ? `ts_rank(d.tsv, ${words})` : '0::real'} AS score, d.title, d.organization, d.text
       FROM documents d WHERE d.id = ANY(${p.add(ids)})`,
      p.values,
    );
    for (const row of rows) out.set(row.id, { score: row.score, snippet: snippetOf([row.title, row.organization, row.text], terms) });
    return out;
  }

  async findings(sha256s: readonly string[]): Promise<FindingRow[]> {
    if (!sha256s.length) return [];
    const rows = await this.query<FindingRowOut>(
      `SELECT d.sha256, f.fingerprint, f.rule_id, f.severity, f.message, f.expected, f.actual, f.calculation, f.quote, f.loc,
         (SELECT json_build_object('decision', r.decision, 'reviewer', r.reviewer, 'at', r.at) FROM reviews r
           WHERE r.doc = f.doc AND r.fingerprint = f.fingerprint AND r.decision <> 'comment' ORDER BY r.at DESC, r.id DESC LIMIT 1) AS review,
         (SELECT r.comment FROM reviews r WHERE r.doc = f.doc AND r.fingerprint = f.fingerprint AND r.comment IS NOT NULL AND r.comment <> ''
           ORDER BY r.at DESC, r.id DESC LIMIT 1) AS comment
       FROM findings f JOIN documents d ON d.id = f.doc WHERE d.sha256 = ANY($1)`,
      [sha256s],
    );
    return sortFindings(rows.map(findingFromRow), sha256s);
  }

  async overview(sha256s?: readonly string[]): Promise<{ documents: OverviewDocument[]; findings: OverviewFinding[] }> {
    const where = sha256s ? 'WHERE d.sha256 = ANY($1)' : '';
    const args = sha256s ? [sha256s] : [];
    const [documents, findings] = await Promise.all([
      this.query<Omit<OverviewDocument, 'checkedAt'> & { checkedAt: Date }>(
        `SELECT d.sha256, d.organization, d.fiscal_year AS "fiscalYear", d.document_type AS "documentType", d.status, d.errors, d.checked_at AS "checkedAt" FROM documents d ${where}`,
        args,
      ),
      this.query<Omit<OverviewFinding, 'decision'> & { decision: string | null }>(
        `SELECT d.sha256, f.rule_id AS "ruleId", f.severity,
           ${LATEST_DECISION} AS decision
         FROM findings f JOIN documents d ON d.id = f.doc ${where}`,
        args,
      ),
    ]);
    return { documents: documents.map((d) => ({ ...d, checkedAt: d.checkedAt.toISOString() })), findings: findings.map((r) => ({ ...r, decision: verdictOf(r.decision) })) };
  }

  async revision(): Promise<string> {
    const [row] = await this.query<{ mark: string }>(
      "SELECT concat_ws(':', (SELECT count(*) FROM documents), (SELECT max(checked_at) FROM documents)::text, (SELECT max(id) FROM reviews)) AS mark",
    );
    return row?.mark ?? '';
  }

  async unitReports(organizationKey: string, fromYear: number, toYear: number): Promise<Report[]> {
    const rows = await this.query<{ report: Report }>(
      `SELECT report FROM (
         SELECT report, sha256, row_number() OVER (
           PARTITION BY document_type, fiscal_year, report->'identity'->>'scope', report->'identity'->>'form' ORDER BY checked_at DESC, sha256) AS n
         FROM documents WHERE (report->'identity'->>'organizationKey') = $1 AND fiscal_year BETWEEN $2 AND $3 AND status = 'ok') v
       WHERE n <= $4 ORDER BY sha256`,
      [organizationKey, fromYear, toYear, VERSIONS_PER_DOCUMENT],
    );
    return rows.map((r) => r.report);
  }

  async setUnitOverride(sha256: string, organizationKey: string | null): Promise<void> {
    if (organizationKey === null) await this.query('DELETE FROM unit_overrides WHERE sha256 = $1', [sha256]);
    else
      await this.query(
        'INSERT INTO unit_overrides (sha256, organization_key) VALUES ($1, $2) ON CONFLICT (sha256) DO UPDATE SET organization_key = EXCLUDED.organization_key, at = now()',
        [sha256, organizationKey],
      );
  }

  async unitOverride(sha256: string): Promise<string | null> {
    const [row] = await this.query<{ organization_key: string }>('SELECT organization_key FROM unit_overrides WHERE sha256 = $1', [sha256]);
    return row?.organization_key ?? null;
  }

  async addReview(input: ReviewInput): Promise<Review> {
    const at = input.at ?? new Date();
    const id = await this.transaction(async (client) => {
      const found = await client.query<{ doc: string }>(
        'SELECT f.doc FROM findings f JOIN documents d ON d.id = f.doc WHERE d.sha256 = $1 AND f.fingerprint = $2',
        [input.sha256, input.fingerprint],
      );
      const doc = found.rows[0]?.doc;
      if (doc === undefined) throw new ArchiveError(`no finding ${input.fingerprint} in document ${input.sha256}`);
      const inserted = await client.query<{ id: string }>(
        'INSERT INTO reviews (doc, fingerprint, decision, comment, reviewer, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [doc, input.fingerprint, input.decision, input.comment ?? null, input.reviewer, at],
      );
      return Number(inserted.rows[0]!.id);
    });
    return {
      id,
      sha256: input.sha256,
      fingerprint: input.fingerprint,
      decision: input.decision,
      comment: input.comment ?? null,
      reviewer: input.reviewer,
      at: at.toISOString(),
      orphaned: false,
    };
  }

  async reviews(sha256: string): Promise<Review[]> {
    const rows = await this.query<Omit<Review, 'id' | 'at'> & { id: string; at: Date }>(
      `SELECT r.id, d.sha256, r.fingerprint, r.decision, r.comment, r.reviewer, r.at,
         NOT EXISTS (SELECT 1 FROM findings f WHERE f.doc = r.doc AND f.fingerprint = r.fingerprint) AS orphaned
       FROM reviews r JOIN documents d ON d.id = r.doc WHERE d.sha256 = $1 ORDER BY r.at, r.id`,
      [sha256],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() }));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
