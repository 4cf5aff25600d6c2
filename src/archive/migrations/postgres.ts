import type { Migration } from './migration.js';

/**
 * PostgreSQL schema. Search columns live on documents: `segmented` (title, organization and text with a ZWSP
 * between jieba words, for ts_headline), `tsv` (its 'simple' tsvector; title and organization weighted A),
 * `grams` (the bigram fallback, positions stripped: matching is by AND plus a substring check on `plain`, so
 * the 16383-position limit of tsvector never hides the end of a long report).
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    statements: [
      `CREATE TABLE documents (
        sha256 text PRIMARY KEY,
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
        segmented text NOT NULL,
        plain text NOT NULL,
        tsv tsvector NOT NULL,
        grams tsvector NOT NULL
      )`,
      'CREATE INDEX documents_tsv ON documents USING gin (tsv)',
      'CREATE INDEX documents_grams ON documents USING gin (grams)',
      'CREATE INDEX documents_org_year ON documents (organization, fiscal_year)',
      'CREATE INDEX documents_year ON documents (fiscal_year)',
      'CREATE INDEX documents_file ON documents (file)',
      `CREATE TABLE figures (
        sha256 text NOT NULL REFERENCES documents ON DELETE CASCADE,
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
        PRIMARY KEY (sha256, id)
      )`,
      `CREATE TABLE fields (
        sha256 text NOT NULL REFERENCES documents ON DELETE CASCADE,
        key text NOT NULL,
        value numeric NOT NULL,
        PRIMARY KEY (sha256, key)
      )`,
      'CREATE INDEX fields_key_value ON fields (key, value)',
      `CREATE TABLE findings (
        sha256 text NOT NULL REFERENCES documents ON DELETE CASCADE,
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
        PRIMARY KEY (sha256, fingerprint)
      )`,
      'CREATE INDEX findings_rule ON findings (rule_id)',
      'CREATE INDEX findings_severity ON findings (severity)',
      `CREATE TABLE report_tables (
        sha256 text NOT NULL REFERENCES documents ON DELETE CASCADE,
        id text NOT NULL,
        title text,
        page integer,
        rows integer NOT NULL,
        cols integer NOT NULL,
        unit text NOT NULL,
        PRIMARY KEY (sha256, id)
      )`,
      // reviews reference the document, not the finding: a re-check replaces findings, never reviews
      `CREATE TABLE reviews (
        id bigserial PRIMARY KEY,
        sha256 text NOT NULL REFERENCES documents ON DELETE CASCADE,
        fingerprint text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('accepted', 'false-positive', 'comment')),
        comment text,
        reviewer text NOT NULL,
        at timestamptz NOT NULL
      )`,
      'CREATE INDEX reviews_finding ON reviews (sha256, fingerprint)',
    ],
  },
];
