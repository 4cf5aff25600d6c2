import type { Migration } from './migration.js';

/**
 * SQLite schema. sha256 is a document's identity; documents.id, an integer that only grows, keys the rows that
 * belong to it (figures, fields, findings, tables, reviews, the FTS5 index) so that each new report's rows are
 * appended to their B-trees instead of scattered over them by a random hash. A document's id never changes: a
 * re-check updates the row. The text and the report JSON live in `bodies`: a documents row stays small enough
 * for a page to hold dozens of them, so that listing and sorting 10,000 documents reads a megabyte, not 40.
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
        infos INTEGER NOT NULL
      )`,
      `CREATE TABLE bodies (
        doc INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        report TEXT NOT NULL
      )`,
      'CREATE INDEX documents_org_year ON documents (organization, fiscal_year)',
      'CREATE INDEX documents_year ON documents (fiscal_year)',
      'CREATE INDEX documents_file ON documents (file)',
      `CREATE TABLE figures (
        doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
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
        PRIMARY KEY (doc, id)
      ) WITHOUT ROWID`,
      // NUMERIC affinity keeps whole amounts as INTEGER and cents as the same IEEE double the Report carries,
      // so a filter compares against exactly the value the checker produced
      `CREATE TABLE fields (
        doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value NUMERIC NOT NULL,
        PRIMARY KEY (doc, key)
      ) WITHOUT ROWID`,
      'CREATE INDEX fields_key_value ON fields (key, value)',
      `CREATE TABLE findings (
        doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
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
        PRIMARY KEY (doc, fingerprint)
      ) WITHOUT ROWID`,
      'CREATE INDEX findings_rule ON findings (rule_id)',
      'CREATE INDEX findings_severity ON findings (severity)',
      `CREATE TABLE report_tables (
        doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        title TEXT,
        page INTEGER,
        rows INTEGER NOT NULL,
        cols INTEGER NOT NULL,
        unit TEXT NOT NULL,
        PRIMARY KEY (doc, id)
      ) WITHOUT ROWID`,
      // reviews reference the document, not the finding: a re-check replaces findings, never reviews
      `CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'false-positive', 'comment')),
        comment TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL
      )`,
      'CREATE INDEX reviews_finding ON reviews (doc, fingerprint)',
      // head: title + organization, body: text, both as jieba words joined by spaces; grams: the bigrams.
      // rowid = documents.id. Contentless: the index is all a query needs (snippets are made from bodies.text),
      // and not storing the segmented copies halves the index's size; contentless_delete allows re-checks.
      `CREATE VIRTUAL TABLE search USING fts5(head, body, grams, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0')`,
    ],
  },
  {
    version: 2,
    name: 'unit-index',
    statements: [
      // a unit's reports, for the cross-document rules: by the organization key in the stored report
      "CREATE INDEX bodies_unit ON bodies (json_extract(report, '$.identity.organizationKey'))",
    ],
  },
  {
    version: 3,
    name: 'unit-overrides',
    statements: [
      // a reviewer's correction of a document's grouping (cross-document checks): the unit it belongs to
      'CREATE TABLE unit_overrides (sha256 TEXT PRIMARY KEY, organization_key TEXT NOT NULL, at TEXT NOT NULL) WITHOUT ROWID',
    ],
  },
  {
    version: 4,
    name: 'review-reopened',
    statements: [
      // a reviewer may reopen a decided finding; SQLite cannot change a CHECK in place, so the table is rebuilt
      `CREATE TABLE reviews_v4 (
        id INTEGER PRIMARY KEY,
        doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'false-positive', 'comment', 'reopened')),
        comment TEXT,
        reviewer TEXT NOT NULL,
        at TEXT NOT NULL
      )`,
      'INSERT INTO reviews_v4 (id, doc, fingerprint, decision, comment, reviewer, at) SELECT id, doc, fingerprint, decision, comment, reviewer, at FROM reviews',
      'DROP TABLE reviews',
      'ALTER TABLE reviews_v4 RENAME TO reviews',
      'CREATE INDEX reviews_finding ON reviews (doc, fingerprint)',
    ],
  },
];
