import Database from 'better-sqlite3';
import type { Report } from '../report/schema.js';
import { ArchiveError, ArchiveUnavailableError } from './errors.js';
import { type Snippet, snippetOf } from './highlight.js';
import { type Migration, pending } from './migrations/migration.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.js';
import { retryWhileBusy } from './sqlite-busy.js';
import { DECIMAL_CMP, registerDecimalCompare } from './sqlite-decimal.js';
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
import { chunks, type Dialect, LATEST_DECISION, filterConditions, hashPrefix, orderBy, paging, Params } from './sql.js';
import { planWrite } from './write-plan.js';

const dialect: Dialect = {
  placeholder: () => '?',
  ilike: 'LIKE', // SQLite's LIKE already ignores ASCII case
  collate: '',
  fieldComparison: (column, op, decimal) => `${DECIMAL_CMP}(${column}, ${decimal}) ${op} 0`,
  noLimit: '-1',
};

/** bm25 column weights: a word in the title or organization counts more than one in the text; grams least. */
const BM25 = 'bm25(search, 8.0, 1.0, 0.5)';

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The FTS5 expression: every term must match, as its jieba words in a row in title/organization/text, or as
 * its bigrams in a row (a substring, whatever jieba made of it).
 */
export function ftsExpression(terms: readonly Term[]): string {
  return terms
    .map((t) => {
      const ways: string[] = [];
      if (t.tokens.length) ways.push(`{head body} : ${quote(t.tokens.join(' '))}`);
      ways.push(`grams : ${t.grams.map((g) => quote(g.text) + (g.prefix ? ' *' : '')).join(' + ')}`);
      return `(${ways.join(' OR ')})`;
    })
    .join(' AND ');
}

interface RawDocumentRow extends Omit<DocumentRowOut, 'pack_versions'> {
  pack_versions: string;
}

const documentRow = (raw: RawDocumentRow): DocumentRowOut => ({ ...raw, pack_versions: JSON.parse(raw.pack_versions) });

function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  db.transaction(() => {
    const applied = db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[];
    for (const m of pending(migrations, applied)) {
      for (const statement of m.statements) db.exec(statement);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }
  }).immediate();
}

/** The embedded archive: one SQLite file in WAL mode (readers never wait for the writer). */
export class SqliteArchive implements ArchiveRepository {
  readonly backend = 'sqlite';

  private constructor(private readonly db: Database.Database) {}

  static open(path: string): SqliteArchive {
    let db: Database.Database | undefined;
    try {
      db = new Database(path);
      // a new file only (ignored afterwards): 8 KB pages hold a report's text and JSON in fewer overflow pages
      db.pragma('page_size = 8192');
      db.pragma('journal_mode = WAL');
      // with WAL, NORMAL still never corrupts and never loses a committed transaction to a process crash
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // short: a lock held by another process is waited out asynchronously (retryWhileBusy), not in here
      db.pragma('busy_timeout = 50');
      registerDecimalCompare(db);
      migrate(db, SQLITE_MIGRATIONS);
      return new SqliteArchive(db);
    } catch (error) {
      db?.close();
      throw new ArchiveUnavailableError(`cannot open the SQLite archive ${path}: ${(error as Error).message}`, { cause: error });
    }
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Statements are compiled once per archive: a write runs a dozen of them per report. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  async addReport(report: Report, text?: string): Promise<AddOutcome> {
    return (await this.addReports([{ report, text }]))[0]!;
  }

  async addReports(items: readonly { report: Report; text?: string }[]): Promise<AddOutcome[]> {
    const prepared = items.map((item) => prepareReport(item.report, item.text));
    // IMMEDIATE: take the write lock before reading, so two processes adding one file cannot both insert it
    return retryWhileBusy(() => this.db.transaction(() => prepared.map((p) => this.write(p))).immediate());
  }

  private write({ report, text, digest, counts, search }: PreparedReport): AddOutcome {
    const sql = (s: string) => this.statement(s);
    const stored = sql('SELECT id, digest, pack_versions FROM documents WHERE sha256 = ?').get(report.sha256) as
      | { id: number; digest: string; pack_versions: string }
      | undefined;
    const plan = planWrite(stored && { digest: stored.digest, packs: JSON.parse(stored.pack_versions) }, digest, report.packs);
    if (plan === 'unchanged' || plan === 'stale') return { status: plan, sha256: report.sha256, orphanedReviews: 0 };
    const doc = {
      sha256: report.sha256,
      file: report.file,
      title: report.title ?? null,
      organization: report.organization ?? null,
      fiscal_year: report.fiscalYear ?? null,
      document_type: report.documentType ?? null,
      format: report.format ?? null,
      pages: report.pages ?? null,
      status: report.status,
      error_code: report.error?.code ?? null,
      error_message: report.error?.message ?? null,
      checked_at: new Date().toISOString(),
      pack_versions: JSON.stringify(report.packs),
      digest,
      ...counts,
    };
    let id: number;
    if (stored) {
      id = stored.id;
      sql(
        `UPDATE documents SET file = @file, title = @title, organization = @organization, fiscal_year = @fiscal_year,
           document_type = @document_type, format = @format, pages = @pages, status = @status, error_code = @error_code,
           error_message = @error_message, checked_at = @checked_at, pack_versions = @pack_versions, digest = @digest,
           errors = @errors, warnings = @warnings, infos = @infos
         WHERE id = @id`,
      ).run({ ...doc, id });
      for (const table of ['figures', 'fields', 'findings', 'report_tables']) sql(`DELETE FROM ${table} WHERE doc = ?`).run(id);
      sql('DELETE FROM search WHERE rowid = ?').run(id);
    } else {
      id = Number(
        sql(
          `INSERT INTO documents (sha256, file, title, organization, fiscal_year, document_type, format, pages, status, error_code,
             error_message, checked_at, pack_versions, digest, errors, warnings, infos)
           VALUES (@sha256, @file, @title, @organization, @fiscal_year, @document_type, @format, @pages, @status, @error_code,
             @error_message, @checked_at, @pack_versions, @digest, @errors, @warnings, @infos)`,
        ).run(doc).lastInsertRowid,
      );
    }
    sql('INSERT OR REPLACE INTO bodies (doc, text, report) VALUES (?, ?, ?)').run(id, text, JSON.stringify(report));
    const figure = sql('INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const f of figureRows(report)) figure.run(id, f.id, f.kind, f.text, f.exact, f.unit, f.decimals, f.yuan, f.label, f.stage, f.direction, f.loc);
    const field = sql('INSERT INTO fields VALUES (?, ?, ?)');
    for (const [key, value] of Object.entries(report.fields)) field.run(id, key, value);
    const finding = sql(
      `INSERT INTO findings VALUES (@doc, @fingerprint, @ruleId, @messageId, @severity, @message, @expected, @actual,
         @calculation, @quote, @loc, @figureIds)`,
    );
    for (const row of findingRows(report)) finding.run({ doc: id, ...row });
    const table = sql('INSERT INTO report_tables VALUES (@doc, @id, @title, @page, @rows, @cols, @unit)');
    for (const row of tableRows(report)) table.run({ ...row, doc: id });
    sql('INSERT INTO search (rowid, head, body, grams) VALUES (?, ?, ?, ?)').run(id, search.head, search.body, search.grams);
    const orphaned = sql(
      `SELECT count(*) FROM reviews r WHERE r.doc = ?
         AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.doc = r.doc AND f.fingerprint = r.fingerprint)`,
    )
      .pluck()
      .get(id) as number;
    return { status: stored ? 'replaced' : 'added', sha256: report.sha256, orphanedReviews: orphaned };
  }

  async reports(sha256s: readonly string[]): Promise<Report[]> {
    const byHash = new Map<string, Report>();
    for (const part of chunks(sha256s)) {
      const rows = this.db
        .prepare(`SELECT d.sha256, b.report FROM documents d JOIN bodies b ON b.doc = d.id WHERE d.sha256 IN (${part.map(() => '?').join(', ')})`)
        .all(...part) as {
        sha256: string;
        report: string;
      }[];
      for (const row of rows) byHash.set(row.sha256, JSON.parse(row.report) as Report);
    }
    return sha256s.flatMap((s) => byHash.get(s) ?? []);
  }

  async document(sha256: string): Promise<{ report: Report; text: string } | null> {
    const row = this.statement('SELECT b.report, b.text FROM documents d JOIN bodies b ON b.doc = d.id WHERE d.sha256 = ?').get(sha256) as
      | { report: string; text: string }
      | undefined;
    return row ? { report: JSON.parse(row.report) as Report, text: row.text } : null;
  }

  async resolve(ref: string): Promise<string[]> {
    const prefix = hashPrefix(ref);
    const [where, values] = prefix ? ['file = ? OR (sha256 >= ? AND sha256 < ?)', [ref, ...prefix]] : ['file = ?', [ref]];
    return this.db.prepare(`SELECT sha256 FROM documents WHERE ${where} ORDER BY checked_at DESC, sha256`).pluck().all(...values) as string[];
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const q = validateQuery(query);
    const terms = q.text ? parseTerms(q.text) : [];
    if (q.text?.trim() && !terms.length) return { total: 0, hits: [] };
    const p = new Params(dialect);
    let from = 'documents d';
    let match = '';
    if (terms.length) {
      match = ftsExpression(terms);
      // the FTS query runs on its own, so that bm25() is evaluated where FTS5 allows it
      from = `(SELECT rowid AS id, -${BM25} AS score FROM search WHERE search MATCH ${p.add(match)}) m JOIN documents d ON d.id = m.id`;
    }
    const where = filterConditions(q, p, dialect);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sql = `SELECT ${RECORD_COLUMNS}, d.id AS rid, ${terms.length ? 'm.score' : 'NULL'} AS score, count(*) OVER () AS total
      FROM ${from} ${whereSql} ORDER BY ${orderBy(q, terms.length > 0, dialect)} ${paging(q, p, dialect)}`;
    const rows = this.db.prepare(sql).all(...p.values) as (RawDocumentRow & { rid: number; score: number | null; total: number })[];
    let total = rows[0]?.total ?? 0;
    if (!rows.length && q.offset > 0) {
      const count = new Params(dialect);
      const countSql = `SELECT count(*) FROM ${terms.length ? `(SELECT rowid AS id FROM search WHERE search MATCH ${count.add(match)}) m JOIN documents d ON d.id = m.id` : 'documents d'}`;
      const conditions = filterConditions(q, count, dialect);
      total = this.db.prepare(`${countSql} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`).pluck().get(...count.values) as number;
    }
    const fields = this.fieldsOf(rows.map((r) => r.rid));
    const snippets = terms.length ? this.snippets(terms, rows.map((r) => r.rid)) : new Map<number, Snippet>();
    const hits: SearchHit[] = rows.map((row) => ({
      ...recordFromRow(documentRow(row), fields.get(row.rid) ?? {}),
      score: row.score,
      snippet: snippets.get(row.rid) ?? null,
    }));
    return { total, hits };
  }

  private fieldsOf(ids: readonly number[]): Map<number, Record<string, number>> {
    const out = new Map<number, Record<string, number>>();
    for (const part of chunks(ids)) {
      const rows = this.db.prepare(`SELECT doc, key, value FROM fields WHERE doc IN (${part.map(() => '?').join(', ')}) ORDER BY doc, key`).all(...part) as {
        doc: number;
        key: string;
        value: number;
      }[];
      for (const r of rows) {
        const record = out.get(r.doc) ?? {};
        record[r.key] = r.value;
        out.set(r.doc, record);
      }
    }
    return out;
  }

  private snippets(terms: readonly Term[], ids: readonly number[]): Map<number, Snippet> {
    const out = new Map<number, Snippet>();
    for (const part of chunks(ids)) {
      const docs = this.db
        .prepare(`SELECT d.id, d.title, d.organization, b.text FROM documents d JOIN bodies b ON b.doc = d.id WHERE d.id IN (${part.map(() => '?').join(', ')})`)
        .all(...part) as { id: number; title: string | null; organization: string | null; text: string }[];
      for (const d of docs) out.set(d.id, snippetOf([d.title, d.organization, d.text], terms));
    }
    return out;
  }

  async findings(sha256s: readonly string[]): Promise<FindingRow[]> {
    const rows: FindingRow[] = [];
    for (const part of chunks(sha256s)) {
      const raw = this.db
        .prepare(
          `SELECT d.sha256, f.fingerprint, f.rule_id, f.severity, f.message, f.expected, f.actual, f.calculation, f.quote, f.loc,
             (SELECT json_object('decision', r.decision, 'reviewer', r.reviewer, 'at', r.at) FROM reviews r
               WHERE r.doc = f.doc AND r.fingerprint = f.fingerprint AND r.decision <> 'comment' ORDER BY r.at DESC, r.id DESC LIMIT 1) AS review,
             (SELECT r.comment FROM reviews r WHERE r.doc = f.doc AND r.fingerprint = f.fingerprint AND r.comment IS NOT NULL AND r.comment <> ''
               ORDER BY r.at DESC, r.id DESC LIMIT 1) AS comment
           FROM findings f JOIN documents d ON d.id = f.doc WHERE d.sha256 IN (${part.map(() => '?').join(', ')})`,
        )
        .all(...part) as (Omit<FindingRowOut, 'loc'> & { loc: string })[];
      rows.push(...raw.map((r) => findingFromRow({ ...r, loc: JSON.parse(r.loc) })));
    }
    return sortFindings(rows, sha256s);
  }

  async overview(sha256s?: readonly string[]): Promise<{ documents: OverviewDocument[]; findings: OverviewFinding[] }> {
    const parts = sha256s ? chunks(sha256s) : [null];
    const documents: OverviewDocument[] = [];
    const findings: OverviewFinding[] = [];
    for (const part of parts) {
      const where = part ? `WHERE d.sha256 IN (${part.map(() => '?').join(', ')})` : '';
      const args = part ?? [];
      documents.push(
        ...(this.db
          .prepare(`SELECT d.sha256, d.organization, d.fiscal_year AS fiscalYear, d.document_type AS documentType, d.status, d.errors, d.checked_at AS checkedAt FROM documents d ${where}`)
          .all(...args) as OverviewDocument[]),
      );
      findings.push(
        ...(this.db
          .prepare(
            `SELECT d.sha256, f.rule_id AS ruleId, f.severity,
               ${LATEST_DECISION} AS decision
             FROM findings f JOIN documents d ON d.id = f.doc ${where}`,
          )
          .all(...args) as (Omit<OverviewFinding, 'decision'> & { decision: string | null })[]).map((r) => ({ ...r, decision: verdictOf(r.decision) })),
      );
    }
    return { documents, findings };
  }

  async revision(): Promise<string> {
    const row = this.db.prepare('SELECT (SELECT count(*) FROM documents) AS n, (SELECT max(checked_at) FROM documents) AS at, (SELECT max(id) FROM reviews) AS review').get() as { n: number; at: string | null; review: number | null };
    return `${row.n}:${row.at ?? ''}:${row.review ?? 0}`;
  }

  async unitReports(organizationKey: string, fromYear: number, toYear: number): Promise<Report[]> {
    const rows = this.db
      .prepare(
        `SELECT report FROM (
           SELECT b.report, d.sha256, row_number() OVER (
             PARTITION BY d.document_type, d.fiscal_year, json_extract(b.report, '$.identity.scope'), json_extract(b.report, '$.identity.form')
             ORDER BY d.checked_at DESC, d.sha256) AS n
           FROM bodies b JOIN documents d ON d.id = b.doc
           WHERE json_extract(b.report, '$.identity.organizationKey') = ? AND d.fiscal_year BETWEEN ? AND ? AND d.status = 'ok')
         WHERE n <= ? ORDER BY sha256`,
      )
      .pluck()
      .all(organizationKey, fromYear, toYear, VERSIONS_PER_DOCUMENT) as string[];
    return rows.map((r) => JSON.parse(r) as Report);
  }

  async setUnitOverride(sha256: string, organizationKey: string | null): Promise<void> {
    await retryWhileBusy(() => {
      if (organizationKey === null) this.db.prepare('DELETE FROM unit_overrides WHERE sha256 = ?').run(sha256);
      else
        this.db
          .prepare('INSERT INTO unit_overrides VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET organization_key = excluded.organization_key, at = excluded.at')
          .run(sha256, organizationKey, new Date().toISOString());
    });
  }

  async unitOverride(sha256: string): Promise<string | null> {
    return (this.db.prepare('SELECT organization_key FROM unit_overrides WHERE sha256 = ?').pluck().get(sha256) as string | undefined) ?? null;
  }

  async addReview(input: ReviewInput): Promise<Review> {
    const at = (input.at ?? new Date()).toISOString();
    const id = await retryWhileBusy(() => this.db.transaction(() => {
      const doc = this.db
        .prepare('SELECT f.doc FROM findings f JOIN documents d ON d.id = f.doc WHERE d.sha256 = ? AND f.fingerprint = ?')
        .pluck()
        .get(input.sha256, input.fingerprint) as number | undefined;
      if (doc === undefined) throw new ArchiveError(`no finding ${input.fingerprint} in document ${input.sha256}`);
      return Number(
        this.db
          .prepare('INSERT INTO reviews (doc, fingerprint, decision, comment, reviewer, at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(doc, input.fingerprint, input.decision, input.comment ?? null, input.reviewer, at).lastInsertRowid,
      );
    }).immediate());
    return { id, sha256: input.sha256, fingerprint: input.fingerprint, decision: input.decision, comment: input.comment ?? null, reviewer: input.reviewer, at, orphaned: false };
  }

  async reviews(sha256: string): Promise<Review[]> {
    const rows = this.db
      .prepare(
        `SELECT r.id, d.sha256, r.fingerprint, r.decision, r.comment, r.reviewer, r.at,
           NOT EXISTS (SELECT 1 FROM findings f WHERE f.doc = r.doc AND f.fingerprint = r.fingerprint) AS orphaned
         FROM reviews r JOIN documents d ON d.id = r.doc WHERE d.sha256 = ? ORDER BY r.at, r.id`,
      )
      .all(sha256) as (Omit<Review, 'orphaned'> & { orphaned: number })[];
    return rows.map((r) => ({ ...r, orphaned: r.orphaned === 1 }));
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    // refreshes the planner's statistics where they are stale, as SQLite recommends before closing
    this.db.pragma('optimize');
    this.db.close();
  }
}
