import { z } from 'zod';
import { type Finding, type Report, ReportSchema } from '../report/schema.js';
import { ArchiveError } from './errors.js';
import { indexGrams, segmentWords } from './search-text.js';
import { contentDigest } from './write-plan.js';

/** A report made ready to write, before any transaction starts. */

interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

function countFindings(findings: readonly Finding[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') counts.errors++;
    else if (f.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

/**
 * The text stored and indexed for a report: the document's extracted text (`Report.text`, which figure offsets
 * point into). A report stored without it keeps the quoted sentences of its findings as the only text we have
 * (title and organization are indexed separately).
 */
function textOf(report: Report, text: string | undefined): string {
  return text ?? [...new Set(report.findings.map((f) => f.quote))].join('\n');
}

/** Reports come from workers and files: check them against the contract before they reach the database. */
function validReport(report: Report): Report {
  const parsed = ReportSchema.safeParse(report);
  if (!parsed.success) throw new ArchiveError(`not a valid report (${report.file ?? '?'}): ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The indexed forms of a document (computed outside the write transaction: segmentation is the slow part). */
interface SearchColumns {
  head: string;
  body: string;
  grams: string;
}

function searchColumns(report: Report, text: string): SearchColumns {
  const head = [report.title, report.organization].filter(Boolean).join('\n');
  return { head: segmentWords(head), body: segmentWords(text), grams: indexGrams(`${head}\n${text}`) };
}

/** A report ready to write: validated, with its text, digest, counts and search columns. */
export interface PreparedReport {
  report: Report;
  text: string;
  digest: string;
  counts: Counts;
  search: SearchColumns;
}

/** Everything a write needs that takes CPU time, done before the transaction so that it holds locks briefly. */
export function prepareReport(input: Report, text: string | undefined): PreparedReport {
  // the text is stored once, beside the report: a report that carries it (includeText) gives it up
  const { text: carried, ...report } = validReport(input);
  const body = textOf(report, text ?? carried);
  return { report, text: body, digest: contentDigest(report, body), counts: countFindings(report.findings), search: searchColumns(report, body) };
}
