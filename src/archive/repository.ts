import type { DocumentType, Report, Severity } from '../report/schema.js';
import type { Snippet } from './highlight.js';
import type { SearchQuery } from './query.js';

/** One archived document as listed and searched (JSON output of `archive list` and `search`). */
export interface DocumentRecord {
  sha256: string;
  file: string;
  title: string | null;
  organization: string | null;
  fiscalYear: number | null;
  documentType: DocumentType | null;
  format: 'docx' | 'pdf' | 'txt' | null;
  pages: number | null;
  status: 'ok' | 'failed';
  /** Read but not a budget report (未识别为报告, the report's `notAReport`): type unknown, not one amount. */
  notAReport: boolean;
  error: { code: string; message: string } | null;
  /** When this version of the document's report was stored (ISO 8601). */
  checkedAt: string;
  packs: { id: string; version: string }[];
  errors: number;
  warnings: number;
  infos: number;
  /** Named fields (amounts in 元, counts as numbers). */
  fields: Record<string, number>;
}

export interface SearchHit extends DocumentRecord {
  /** Relevance (higher is better; comparable within one result only); null without a text query. */
  score: number | null;
  /** Text around the first match and the matches' offsets in it; null without a text query. */
  snippet: Snippet | null;
}

export interface SearchResult {
  /** Matches before paging. */
  total: number;
  hits: SearchHit[];
}

/**
 * added: a new document; unchanged: the same report was already stored; replaced: the document's report was
 * re-checked (other packs, findings or text) and replaces the stored one; stale: the stored report was checked
 * with newer packs, so this older one is not stored.
 */
export type AddStatus = 'added' | 'unchanged' | 'replaced' | 'stale';

export interface AddOutcome {
  status: AddStatus;
  sha256: string;
  /** Reviews whose finding no longer exists after a replace (they are kept, marked orphaned). */
  orphanedReviews: number;
}

/**
 * A review: a verdict (accepted / false positive), a comment, or `reopened`, which takes the finding back to
 * undecided while keeping the earlier verdicts in its history.
 */
export const DECISIONS = ['accepted', 'false-positive', 'comment', 'reopened'] as const;
export type Decision = (typeof DECISIONS)[number];
/** What a finding's latest non-comment review says, unless it was reopened. */
export type Verdict = 'accepted' | 'false-positive';

export interface ReviewInput {
  sha256: string;
  /** The finding's id (its fingerprint). */
  fingerprint: string;
  decision: Decision;
  comment?: string;
  reviewer: string;
  at?: Date;
}

export interface Review {
  id: number;
  sha256: string;
  fingerprint: string;
  decision: Decision;
  comment: string | null;
  reviewer: string;
  at: string;
  /** The finding is gone from the current report (a re-check no longer raises it). */
  orphaned: boolean;
}

/** A finding row with its document, for exports and review lists. */
export interface FindingRow {
  sha256: string;
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  message: string;
  expected: string | null;
  actual: string | null;
  calculation: string | null;
  quote: string;
  line: number;
  column: number;
  page: number | null;
  /** The latest accept/dismiss decision (comments do not decide; a reopened finding has none). */
  decision: Verdict | null;
  /** Who made that decision and when (ISO 8601). */
  reviewer: string | null;
  reviewedAt: string | null;
  /** The latest comment on the finding (with a decision or on its own), for the review trail of an export. */
  comment: string | null;
}

/**
 * The archive: every checked report, its text, figures, fields, findings and reviews. Two implementations
 * (SQLite embedded, PostgreSQL shared) behave alike; one test suite runs against both.
 */
/** How many versions of one document of a unit the cross-document checks read (the newest). */
export const VERSIONS_PER_DOCUMENT = 8;

/** One document as the dashboard counts it. */
export interface OverviewDocument {
  sha256: string;
  organization: string | null;
  fiscalYear: number | null;
  documentType: string | null;
  status: 'ok' | 'failed';
  errors: number;
  checkedAt: string;
}

/** One current finding as the dashboard counts it, with its latest decision. */
export interface OverviewFinding {
  sha256: string;
  ruleId: string;
  severity: Severity;
  decision: Verdict | null;
}

export interface ArchiveRepository {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * Stores a report with its extracted text (for search), in one transaction. Idempotent: storing the same
   * report again changes nothing; a re-check replaces figures, fields and findings and keeps every review.
   */
  addReport(report: Report, text?: string): Promise<AddOutcome>;
  /**
   * Stores several reports in one transaction, all or nothing (a bulk import: far fewer commits, and SQLite's
   * full-text index is flushed once per batch).
   */
  addReports(items: readonly { report: Report; text?: string }[]): Promise<AddOutcome[]>;
  /** Full reports (the CLI contract) in the order asked; unknown hashes are skipped. */
  reports(sha256s: readonly string[]): Promise<Report[]>;
  /**
   * One document as a viewer shows it: its report (with tables[].cells when it was checked with its text) and
   * the text stored with it, which the figures' loc.textStart/textEnd index; null for an unknown hash.
   */
  document(sha256: string): Promise<{ report: Report; text: string } | null>;
  /** Documents whose sha256 starts with `ref` (6+ hex digits) or whose file is `ref`, newest first. */
  resolve(ref: string): Promise<string[]>;
  /**
   * Documents matching every word of `text` (as jieba words or as a substring: SQLite requires the characters in
   * a row; PostgreSQL all the word's character pairs, answered by its index alone) and every filter; sorted and
   * paged. Without text, a listing.
   */
  search(query: SearchQuery): Promise<SearchResult>;
  findings(sha256s: readonly string[]): Promise<FindingRow[]>;
  /**
   * What the dashboard counts, in two flat lists (no text, no report bodies): every document, or those given, and
   * their current findings with each one's latest decision.
   */
  overview(sha256s?: readonly string[]): Promise<{ documents: OverviewDocument[]; findings: OverviewFinding[] }>;
  /**
   * A mark that changes whenever documents or reviews do (a document added, re-checked or removed; a review
   * stored), read in a few milliseconds: what the dashboard's cache is keyed on.
   */
  revision(): Promise<string>;
  /**
   * Readable reports of one unit (its identity's organization key) for fiscal years `fromYear`..`toYear`: of each
   * document (type, year, scope, form) its VERSIONS_PER_DOCUMENT newest versions, so that a document re-submitted a
   * hundred times does not make every store read a hundred reports.
   */
  unitReports(organizationKey: string, fromYear: number, toYear: number): Promise<Report[]>;
  /**
   * A reviewer's correction of a document's grouping for the cross-document checks: the organization key of the
   * unit it belongs to, kept across re-checks; null removes it (the key read from the document applies again).
   */
  setUnitOverride(sha256: string, organizationKey: string | null): Promise<void>;
  unitOverride(sha256: string): Promise<string | null>;
  addReview(review: ReviewInput): Promise<Review>;
  reviews(sha256: string): Promise<Review[]>;
  /** Resolves when the database answers a trivial query (the web server's /readyz); ArchiveUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
