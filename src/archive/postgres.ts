import pg from 'pg';
import type { Report } from '../report/schema.js';
import { redactUrl } from './config.js';
import { ArchiveError, ArchiveUnavailableError } from './errors.js';
import { cleanSnippet, highlightText, leadText, MARK_CLOSE, MARK_OPEN, marksATerm } from './highlight.js';
import { type Migration, pending } from './migrations/migration.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.js';
import { validateQuery, type SearchQuery } from './query.js';
import {
  contentDigest,
  countFindings,
  type DocumentRowOut,
  figureRows,
  findingFromRow,
  type FindingRowOut,
  findingRows,
  hashPrefix,
  planWrite,
  RECORD_COLUMNS,
  recordFromRow,
  searchColumns,
  sortFindings,
  tableRows,
  textOf,
  validReport,
} from './records.js';
import type { AddOutcome, ArchiveRepository, FindingRow, Review, ReviewInput, SearchHit, SearchResult } from './repository.js';
import { parseTerms, type Term } from './search-text.js';
import { type Dialect, filterConditions, orderBy, paging, Params } from './sql.js';

const dialect: Dialect = {
  placeholder: (i) => `$${i}`,
  ilike: 'ILIKE',
  collate: ' COLLATE "C"',
  // bound as text, compared as NUMERIC: exact, whatever the number of digits
  fieldValue: (decimal) => decimal,
  noLimit: 'ALL',
};

/** Held while migrating, so that workers starting together apply each migration once. */
const MIGRATION_LOCK = 0x63726f73; // "cros"

const HEADLINE = `StartSel="${MARK_OPEN}", StopSel="${MARK_CLOSE}", MaxWords=32, MinWords=12, ShortWord=0, MaxFragments=1, FragmentDelimiter=" … "`;

/** Errors that mean "the server cannot be used", as opposed to a bug in a statement. */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '28P01', '28000', '3D000', '57P03']);

/** A tsquery of lexemes ANDed; a lone Han character as a prefix. */
function gramsQuery(term: Term): string {
  return term.grams.map((g) => `'${g.text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${g.prefix ? ':*' : ''}`).join(' & ');
}

/** A term's jieba words in a row (a phrase on tsv); undefined for a term without words. */
function phrase(term: Term, p: Params): string | undefined {
  return term.tokens.length ? `phraseto_tsquery('simple', ${p.add(term.tokens.join(' '))})` : undefined;
}

/** The AND of the terms' phrases, for ranking and ts_headline. */
function wordsQuery(terms: readonly Term[], p: Params): string | undefined {
  const phrases = terms.flatMap((t) => phrase(t, p) ?? []);
  return phrases.length ? `(${phrases.join(' && ')})` : undefined;
}

/**
 * Each term matches as its jieba words in a row, or as a substring: its bigrams all present (grams, GIN index)
 * and the word found in `plain`.
 */
function textConditions(terms: readonly Term[], p: Params): string[] {
  return terms.map((t) => {
    const grams = `(d.grams @@ to_tsquery('simple', ${p.add(gramsQuery(t))}) AND strpos(d.plain, ${p.add(t.plain)}) > 0)`;
    const words = phrase(t, p);
    return words ? `(d.tsv @@ ${words} OR ${grams})` : grams;
  });
}

type Queryable = Pick<pg.PoolClient, 'query'>;

interface RawRow extends Omit<DocumentRowOut, 'checked_at'> {
  checked_at: Date;
}

const documentRow = (raw: RawRow): DocumentRowOut => ({ ...raw, checked_at: raw.checked_at.toISOString() });

async function migrate(client: Queryable, migrations: readonly Migration[]): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)');
    const applied = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version);
    for (const m of pending(migrations, applied)) {
      for (const statement of m.statements) await client.query(statement);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
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
    // an idle connection dropped by the server must not crash the process; the next query reconnects
    pool.on('error', () => undefined);
    const archive = new PostgresArchive(pool, url);
    try {
      await archive.transaction((client) => migrate(client, POSTGRES_MIGRATIONS), false);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return archive;
  }

  /** A client for one unit of work; connection failures become ArchiveUnavailableError. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, wrap = true): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
    try {
      if (!wrap) return await work(client);
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw UNAVAILABLE.has((error as { code?: string }).code ?? '') ? this.unavailable(error) : error;
    } finally {
      client.release();
    }
  }

  private async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return this.transaction(async (client) => (await client.query<R>(sql, values)).rows, false);
  }

  private unavailable(error: unknown): ArchiveUnavailableError {
    const e = error as { code?: string; message?: string };
    const why = e.message || e.code || String(error);
    return new ArchiveUnavailableError(`cannot use the PostgreSQL archive at ${redactUrl(this.url)}: ${why}`, { cause: error });
  }

  async addReport(input: Report, text?: string): Promise<AddOutcome> {
    const report = validReport(input);
    const body = textOf(report, text);
    const digest = contentDigest(report, body);
    const search = searchColumns(report, body);
    const sha = report.sha256;
    return this.transaction(async (client) => {
      // one writer per document across all machines: a second worker adding the same file waits, then finds it stored
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [sha]);
      const stored = (await client.query<{ digest: string; pack_versions: { id: string; version: string }[] }>('SELECT digest, pack_versions FROM documents WHERE sha256 = $1', [sha])).rows[0];
      const plan = planWrite(stored && { digest: stored.digest, packs: stored.pack_versions }, digest, report.packs);
      if (plan === 'unchanged' || plan === 'stale') return { status: plan, sha256: sha, orphanedReviews: 0 };
      if (stored) {
        await client.query(
          `WITH a AS (DELETE FROM figures WHERE sha256 = $1), b AS (DELETE FROM fields WHERE sha256 = $1),
             c AS (DELETE FROM findings WHERE sha256 = $1)
           DELETE FROM report_tables WHERE sha256 = $1`,
          [sha],
        );
      }
      const counts = countFindings(report.findings);
      await client.query(
        `INSERT INTO documents (sha256, file, title, organization, fiscal_year, document_type, format, pages, status, error_code,
           error_message, checked_at, pack_versions, digest, errors, warnings, infos, text, report, segmented, plain, tsv, grams)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), $12, $13, $14, $15, $16, $17, $18, $19 || E'\\n' || $20, $21,
           setweight(to_tsvector('simple', $19), 'A') || to_tsvector('simple', $20), strip(to_tsvector('simple', $22)))
         ON CONFLICT (sha256) DO UPDATE SET file = EXCLUDED.file, title = EXCLUDED.title, organization = EXCLUDED.organization,
           fiscal_year = EXCLUDED.fiscal_year, document_type = EXCLUDED.document_type, format = EXCLUDED.format, pages = EXCLUDED.pages,
           status = EXCLUDED.status, error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
           checked_at = EXCLUDED.checked_at, pack_versions = EXCLUDED.pack_versions, digest = EXCLUDED.digest, errors = EXCLUDED.errors,
           warnings = EXCLUDED.warnings, infos = EXCLUDED.infos, text = EXCLUDED.text, report = EXCLUDED.report,
           segmented = EXCLUDED.segmented, plain = EXCLUDED.plain, tsv = EXCLUDED.tsv, grams = EXCLUDED.grams`,
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
          search.plain,
          search.grams,
        ],
      );
      // one multi-row INSERT per table (unnest of column arrays): a round trip per table, not per row
      const figures = figureRows(report);
      if (figures.length) {
        await client.query(
          `INSERT INTO figures (sha256, id, kind, text, exact, unit, decimals, yuan, label, stage, direction, loc)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::numeric[], $9::text[],
             $10::text[], $11::text[], $12::json[])`,
          [
            sha,
            figures.map((f) => f.id),
            figures.map((f) => f.kind),
            figures.map((f) => f.text),
            figures.map((f) => f.exact),
            figures.map((f) => f.unit),
            figures.map((f) => f.decimals),
            figures.map((f) => (f.yuan === null ? null : String(f.yuan))),
            figures.map((f) => f.label),
            figures.map((f) => f.stage),
            figures.map((f) => f.direction),
            figures.map((f) => f.loc),
          ],
        );
      }
      const fields = Object.entries(report.fields);
      if (fields.length) {
        await client.query('INSERT INTO fields (sha256, key, value) SELECT $1, * FROM unnest($2::text[], $3::numeric[])', [
          sha,
          fields.map(([k]) => k),
          fields.map(([, v]) => String(v)),
        ]);
      }
      const findings = findingRows(report);
      if (findings.length) {
        await client.query(
          `INSERT INTO findings (sha256, fingerprint, rule_id, message_id, severity, message, expected, actual, calculation, quote, loc, figure_ids)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
             $10::text[], $11::json[], $12::json[])`,
          [
            sha,
            findings.map((f) => f.fingerprint),
            findings.map((f) => f.ruleId),
            findings.map((f) => f.messageId),
            findings.map((f) => f.severity),
            findings.map((f) => f.message),
            findings.map((f) => f.expected),
            findings.map((f) => f.actual),
            findings.map((f) => f.calculation),
            findings.map((f) => f.quote),
            findings.map((f) => f.loc),
            findings.map((f) => f.figureIds),
          ],
        );
      }
      const tables = tableRows(report);
      if (tables.length) {
        await client.query(
          `INSERT INTO report_tables (sha256, id, title, page, rows, cols, unit)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[])`,
          [sha, tables.map((t) => t.id), tables.map((t) => t.title), tables.map((t) => t.page), tables.map((t) => t.rows), tables.map((t) => t.cols), tables.map((t) => t.unit)],
        );
      }
      const orphaned = (
        await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM reviews r WHERE r.sha256 = $1
             AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.sha256 = r.sha256 AND f.fingerprint = r.fingerprint)`,
          [sha],
        )
      ).rows[0]!.n;
      return { status: stored ? 'replaced' : 'added', sha256: sha, orphanedReviews: orphaned };
    });
  }

  async reports(sha256s: readonly string[]): Promise<Report[]> {
    const rows = await this.query<{ sha256: string; report: Report }>('SELECT sha256, report FROM documents WHERE sha256 = ANY($1)', [sha256s]);
    const byHash = new Map(rows.map((r) => [r.sha256, r.report]));
    return sha256s.flatMap((s) => byHash.get(s) ?? []);
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
    // built twice when needed (count, headlines): PostgreSQL refuses parameters a statement does not use
    const conditions = (p: Params) => [...textConditions(terms, p), ...filterConditions(q, p, dialect)];
    const p = new Params(dialect);
    const words = wordsQuery(terms, p);
    const score = !terms.length ? 'NULL::real' : words ? `ts_rank(d.tsv, ${words})` : '0::real';
    const where = conditions(p);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sql = `SELECT ${RECORD_COLUMNS}, ${score} AS score, count(*) OVER () AS total FROM documents d ${whereSql}
      ORDER BY ${orderBy(q, terms.length > 0, dialect)} ${paging(q, p, dialect)}`;
    const rows = await this.query<RawRow & { score: number | null; total: string }>(sql, p.values);
    let total = Number(rows[0]?.total ?? 0);
    if (!rows.length && q.offset > 0) {
      const c = new Params(dialect);
      const counted = conditions(c);
      total = Number((await this.query<{ n: string }>(`SELECT count(*) AS n FROM documents d ${counted.length ? `WHERE ${counted.join(' AND ')}` : ''}`, c.values))[0]!.n);
    }
    const shas = rows.map((r) => r.sha256);
    const fields = await this.fieldsOf(shas);
    const snippets = terms.length ? await this.snippets(shas, terms) : new Map<string, string>();
    const hits: SearchHit[] = rows.map(({ score: s, total: _total, ...doc }) => ({
      ...recordFromRow(documentRow(doc), fields.get(doc.sha256) ?? {}),
      score: s,
      snippet: snippets.get(doc.sha256) ?? null,
    }));
    return { total, hits };
  }

  private async fieldsOf(sha256s: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    if (!sha256s.length) return out;
    const rows = await this.query<{ sha256: string; key: string; value: string }>('SELECT sha256, key, value FROM fields WHERE sha256 = ANY($1) ORDER BY sha256, key', [sha256s]);
    for (const r of rows) {
      const record = out.get(r.sha256) ?? {};
      // stored from the Report's own number as its shortest decimal, so Number() gives that number back exactly
      record[r.key] = Number(r.value);
      out.set(r.sha256, record);
    }
    return out;
  }

  /** ts_headline where jieba words matched; our own highlighter where only the bigrams did. */
  private async snippets(sha256s: readonly string[], terms: readonly Term[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!sha256s.length) return out;
    const p = new Params(dialect);
    const words = wordsQuery(terms, p);
    if (words) {
      const rows = await this.query<{ sha256: string; snippet: string }>(
        `SELECT d.sha256, ts_headline('simple', d.segmented, ${words}, ${p.add(HEADLINE)}) AS snippet FROM documents d WHERE d.sha256 = ANY(${p.add(sha256s)})`,
        p.values,
      );
      for (const row of rows) {
        const snippet = cleanSnippet(row.snippet);
        if (marksATerm(snippet, terms)) out.set(row.sha256, snippet);
      }
    }
    const missing = sha256s.filter((s) => !out.has(s));
    if (missing.length) {
      const docs = await this.query<{ sha256: string; title: string | null; organization: string | null; text: string }>(
        'SELECT sha256, title, organization, text FROM documents WHERE sha256 = ANY($1)',
        [missing],
      );
      for (const d of docs) {
        const all = [d.title, d.organization, d.text].filter(Boolean).join('\n');
        out.set(d.sha256, highlightText(all, terms) ?? leadText(all));
      }
    }
    return out;
  }

  async findings(sha256s: readonly string[]): Promise<FindingRow[]> {
    if (!sha256s.length) return [];
    const rows = await this.query<FindingRowOut>(
      `SELECT f.sha256, f.fingerprint, f.rule_id, f.severity, f.message, f.expected, f.actual, f.calculation, f.quote, f.loc,
         (SELECT r.decision FROM reviews r WHERE r.sha256 = f.sha256 AND r.fingerprint = f.fingerprint AND r.decision <> 'comment'
           ORDER BY r.at DESC, r.id DESC LIMIT 1) AS decision
       FROM findings f WHERE f.sha256 = ANY($1)`,
      [sha256s],
    );
    return sortFindings(rows.map(findingFromRow), sha256s);
  }

  async reportsOf(organization: string, fiscalYear: number): Promise<Report[]> {
    const rows = await this.query<{ report: Report }>(
      `SELECT report FROM documents WHERE organization = $1 AND fiscal_year = $2 AND status = 'ok' ORDER BY checked_at DESC, sha256`,
      [organization, fiscalYear],
    );
    return rows.map((r) => r.report);
  }

  async addReview(input: ReviewInput): Promise<Review> {
    const at = input.at ?? new Date();
    const id = await this.transaction(async (client) => {
      const exists = await client.query('SELECT 1 FROM findings WHERE sha256 = $1 AND fingerprint = $2', [input.sha256, input.fingerprint]);
      if (!exists.rowCount) throw new ArchiveError(`no finding ${input.fingerprint} in document ${input.sha256}`);
      const inserted = await client.query<{ id: string }>(
        'INSERT INTO reviews (sha256, fingerprint, decision, comment, reviewer, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [input.sha256, input.fingerprint, input.decision, input.comment ?? null, input.reviewer, at],
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
      `SELECT r.id, r.sha256, r.fingerprint, r.decision, r.comment, r.reviewer, r.at,
         NOT EXISTS (SELECT 1 FROM findings f WHERE f.sha256 = r.sha256 AND f.fingerprint = r.fingerprint) AS orphaned
       FROM reviews r WHERE r.sha256 = $1 ORDER BY r.at, r.id`,
      [sha256],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
