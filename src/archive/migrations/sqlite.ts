import type { Migration } from './migration.js';

/**
 * SQLite schema. documents.id exists only to key the FTS5 index (FTS rows are addressed by integer rowid, and an
 * implicit rowid may change on VACUUM); sha256 is the document's identity everywhere else. The large columns
 * (text, report) come last so that listing reads no overflow pages.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: [
      `CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        file TEXT NOT NULL,
        title TEXT,
        organization TEXT,
        fiscal_year INTEGER,
        document_type TEXT,
        format TEXT,
        pages INTEGER,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
        error_code TEXT,
        error_message TEXT,
        checked_at TEXT NOT NULL,
        pack_versions TEXT NOT NULL,
        digest TEXT NOT NULL,
        errors INTEGER NOT NULL,
        warnings INTEGER NOT NULL,
        infos INTEGER NOT NULL,
        text TEXT NOT NULL,
        report TEXT NOT NULL
      )`,
      'CREATE INDEX documents_org_year ON documents (organization, fiscal_year)',
      'CREATE INDEX documents_year ON documents (fiscal_year)',
      'CREATE INDEX documents_file ON documents (file)',
      `CREATE TABLE figures (
        sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        exact TEXT NOT NULL,
        unit TEXT NOT NULL,
        decimals INTEGER NOT NULL,
        yuan NUMERIC,
        label TEXT NOT NULL,
        stage TEXT,
        direction TEXT,
        loc TEXT NOT NULL,
        PRIMARY KEY (sha256, id)
      ) WITHOUT ROWID`,
      // NUMERIC affinity keeps whole amounts as INTEGER and cents as the same IEEE double the Report carries,
      // so a filter compares against exactly the value the checker produced
      `CREATE TABLE fields (
        sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value NUMERIC NOT NULL,
        PRIMARY KEY (sha256, key)
      ) WITHOUT ROWID`,
      'CREATE INDEX fields_key_value ON fields (key, value)',
      `CREATE TABLE findings (
        sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
        message TEXT NOT NULL,
        expected TEXT,
        actual TEXT,
        calculation TEXT,
        quote TEXT NOT NULL,
        loc TEXT NOT NULL,
        figure_ids TEXT NOT NULL,
        PRIMARY KEY (sha256, fingerprint)
      ) WITHOUT ROWID`,
      'CREATE INDEX findings_rule ON findings (rule_id)',
      'CREATE INDEX findings_severity ON findings (severity)',
      `CREATE TABLE report_tables (
        sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
        id TEXT NOT NULL,
        title TEXT,
        page INTEGER,
        rows INTEGER NOT NULL,
        cols INTEGER NOT NULL,
        unit TEXT NOT NULL,
        PRIMARY KEY (sha256, id)
      ) WITHOUT ROWID`,
      // reviews reference the document, not the finding: a re-check replaces findings, never reviews
      `CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL REFERENCES documents (sha256) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'false-positive', 'comment')),
        comment TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL
      )`,
      'CREATE INDEX reviews_finding ON reviews (sha256, fingerprint)',
      // head: title + organization, body: text, both word-segmented (ZWSP between jieba words); grams: the
      // bigram fallback. rowid = documents.id
      `CREATE VIRTUAL TABLE search USING fts5(head, body, grams, tokenize = 'unicode61 remove_diacritics 0')`,
    ],
  },
];
