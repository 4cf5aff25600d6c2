import type { Migration } from './migration.js';

/**
 * PostgreSQL schema. sha256 is a document's identity; documents.id (only grows, never changes) keys the rows that
 * belong to it, so that a new report's rows append to the indexes instead of landing at random hash positions.
 * Search columns live on documents: `grams` (character bigrams, positions stripped, GIN) is what matches; `head`
 * (title and organization, small enough to stay in the row) and `tsv` (head weighted A, plus the text) are the
 * 'simple' tsvectors of the jieba words, for ranking. Matching never needs positions, so the 16383-position
 * limit of tsvector never hides the end of a long report.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: [
      `CREATE TABLE documents (
        sha256 text PRIMARY KEY,
        id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        file text NOT NULL,
        title text,
        organization text,
        fiscal_year integer,
        document_type text,
        format text,
        pages integer,
        status text NOT NULL CHECK (status IN ('ok', 'failed')),
        error_code text,
        error_message text,
        checked_at timestamptz NOT NULL,
        pack_versions jsonb NOT NULL,
        digest text NOT NULL,
        errors integer NOT NULL,
        warnings integer NOT NULL,
        infos integer NOT NULL,
        text text NOT NULL,
        report json NOT NULL,
        head tsvector NOT NULL,
        tsv tsvector NOT NULL,
        grams tsvector NOT NULL
      )`,
      // ranking reads up to a thousand of these per query: stored uncompressed, they are read about twice as fast
      'ALTER TABLE documents ALTER COLUMN tsv SET STORAGE EXTERNAL',
      // new entries wait in a pending list that every query scans; kept small (1 MB) so that bulk imports stay
      // fast and queries stay fast between vacuums
      'CREATE INDEX documents_grams ON documents USING gin (grams) WITH (fastupdate = on, gin_pending_list_limit = 1024)',
      'CREATE INDEX documents_org_year ON documents (organization, fiscal_year)',
      'CREATE INDEX documents_year ON documents (fiscal_year)',
      'CREATE INDEX documents_file ON documents (file)',
      `CREATE TABLE figures (
        doc bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        id text NOT NULL,
        kind text NOT NULL,
        text text NOT NULL,
        exact text NOT NULL,
        unit text NOT NULL,
        decimals integer NOT NULL,
        yuan numeric,
        label text NOT NULL,
        stage text,
        direction text,
        loc json NOT NULL,
        PRIMARY KEY (doc, id)
      )`,
      `CREATE TABLE fields (
        doc bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        key text NOT NULL,
        value numeric NOT NULL,
        PRIMARY KEY (doc, key)
      )`,
      'CREATE INDEX fields_key_value ON fields (key, value)',
      `CREATE TABLE findings (
        doc bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        fingerprint text NOT NULL,
        rule_id text NOT NULL,
        message_id text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
        message text NOT NULL,
        expected text,
        actual text,
        calculation text,
        quote text NOT NULL,
        loc json NOT NULL,
        figure_ids json NOT NULL,
        PRIMARY KEY (doc, fingerprint)
      )`,
      'CREATE INDEX findings_rule ON findings (rule_id)',
      'CREATE INDEX findings_severity ON findings (severity)',
      `CREATE TABLE report_tables (
        doc bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        id text NOT NULL,
        title text,
        page integer,
        rows integer NOT NULL,
        cols integer NOT NULL,
        unit text NOT NULL,
        PRIMARY KEY (doc, id)
      )`,
      // reviews reference the document, not the finding: a re-check replaces findings, never reviews
      `CREATE TABLE reviews (
        id bigserial PRIMARY KEY,
        doc bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        fingerprint text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('accepted', 'false-positive', 'comment')),
        comment text,
        reviewer text NOT NULL,
        at timestamptz NOT NULL
      )`,
      'CREATE INDEX reviews_finding ON reviews (doc, fingerprint)',
    ],
  },
  {
    version: 2,
    name: 'unit-index',
    statements: [
      // a unit's reports, for the cross-document rules: by the organization key in the stored report
      "CREATE INDEX documents_unit ON documents ((report->'identity'->>'organizationKey'), fiscal_year)",
    ],
  },
  {
    version: 3,
    name: 'unit-overrides',
    statements: [
      // a reviewer's correction of a document's grouping (cross-document checks): the unit it belongs to
      'CREATE TABLE unit_overrides (sha256 text PRIMARY KEY, organization_key text NOT NULL, at timestamptz NOT NULL DEFAULT now())',
    ],
  },
  {
    version: 4,
    name: 'review-reopened',
    statements: [
      // a reviewer may reopen a decided finding (the column's CHECK had PostgreSQL's default name)
      'ALTER TABLE reviews DROP CONSTRAINT reviews_decision_check',
      "ALTER TABLE reviews ADD CONSTRAINT reviews_decision_check CHECK (decision IN ('accepted', 'false-positive', 'comment', 'reopened'))",
    ],
  },
];
