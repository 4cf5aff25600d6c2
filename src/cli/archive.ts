import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { documentTable, toCsv, workingPaper, writeXlsx } from '../archive/export.js';
import { type Snippet, withMarks } from '../archive/highlight.js';
import { ArchiveError, archiveOptions, type ArchiveOptions, type ArchiveRepository, type DocumentRecord, openArchive, parseFieldRange, type SearchHit, type SearchQuery } from '../archive/index.js';
import { storeWithUnit } from '../cross/archive.js';
import type { PackSet } from '../checks/pack-set.js';
import { chunks } from '../archive/sql.js';
import { fit, renderTable } from '../archive/text-table.js';
import { PackError } from '../checks/load-pack.js';
import { ConfigError } from '../packs.js';
import { formatJson, formatJsonl, formatStylish } from '../report/formatters.js';
import { DOCUMENT_TYPE_LABELS } from '../report/labels.js';
import type { Report } from '../report/schema.js';
import { addCommand } from './archive-add.js';
import { ARCHIVE_HELP } from './help.js';
import { UsageError, wholeNumber } from './usage.js';

/** Where a command writes; the process's streams unless a test passes its own. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

const processIo: Io = { stdout: process.stdout, stderr: process.stderr };


const DB_OPTION = { db: { type: 'string' } } as const;
const FILTER_OPTIONS = {
  year: { type: 'string' },
  org: { type: 'string' },
  type: { type: 'string' },
  status: { type: 'string' },
  has: { type: 'string' },
  rule: { type: 'string' },
  field: { type: 'string', multiple: true },
  unreviewed: { type: 'boolean' },
} as const;
const LISTING_OPTIONS = { sort: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, format: { type: 'string', short: 'f' } } as const;

type FilterValues = { [K in keyof typeof FILTER_OPTIONS]?: (typeof FILTER_OPTIONS)[K] extends { multiple: true } ? string[] : K extends 'unreviewed' ? boolean : string };
type ListingValues = { [K in keyof typeof LISTING_OPTIONS]?: string };

/** The search a command's options describe; zod (validateQuery) checks the enumerations. */
function queryOf(values: FilterValues & ListingValues, text: string | undefined, defaults: { sort: string; limit: number }): SearchQuery {
  const limit = wholeNumber('limit', values.limit) ?? defaults.limit;
  const query: Record<string, unknown> = {
    text,
    fiscalYear: wholeNumber('year', values.year),
    organization: values.org,
    documentType: values.type,
    status: values.status,
    has: values.has,
    rule: values.rule,
    unreviewed: values.unreviewed ?? false,
    fields: (values.field ?? []).map(parseFieldRange),
    sort: values.sort ?? defaults.sort,
    limit: limit === 0 ? undefined : limit,
    offset: wholeNumber('offset', values.offset) ?? 0,
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as SearchQuery;
}

async function withArchive<T>(db: string | undefined, work: (archive: ArchiveRepository) => Promise<T>): Promise<T> {
  const archive = await openArchive(archiveOptions(db));
  try {
    return await work(archive);
  } finally {
    await archive.close();
  }
}

/** Usage, archive and pack problems: a message and exit 2. Anything else is a bug for main's handler. */
async function guarded(io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`crossfoot: ${message}\nRun "crossfoot archive --help" for usage.\n`);
      return 2;
    }
    if (error instanceof ArchiveError || error instanceof PackError || error instanceof ConfigError) {
      io.stderr.write(`crossfoot: ${message}\n`);
      return 2;
    }
    throw error;
  }
}

/** The snippet with its matches in 【】, for the terminal. */
const tableSnippet = (snippet: Snippet) => withMarks(snippet, '【', '】');

function printRecords(io: Io, hits: readonly SearchHit[], total: number, format: string, withSearch: boolean): void {
  if (format === 'json') {
    const records = withSearch ? hits : hits.map(({ score: _s, snippet: _p, ...record }): DocumentRecord => record);
    io.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
    return;
  }
  // no score column: bm25 over a small archive rounds to 0.000, and the rows are in relevance order already
  // (the JSON output keeps each hit's score)
  const header = ['sha256', 'year', 'type', 'E/W', 'organization', 'title / file'];
  const rows = hits.map((h) => [
    h.sha256.slice(0, 12),
    h.fiscalYear === null ? '-' : String(h.fiscalYear),
    h.status === 'failed' ? `failed ${h.error?.code ?? ''}` : h.notAReport ? 'not-a-report' : (h.documentType ?? '-'),
    `${h.errors}/${h.warnings}`,
    fit(h.organization ?? '-', 24),
    fit(h.title ?? h.file, 44),
  ]);
  const [head, ...lines] = renderTable(header, rows).trimEnd().split('\n');
  const out = [head!];
  lines.forEach((line, i) => {
    out.push(line);
    const snippet = hits[i]!.snippet;
    if (withSearch && snippet) out.push(`    ${tableSnippet(snippet)}`);
  });
  const shown = hits.length ? ` (${hits.length} shown)` : '';
  io.stdout.write(`${out.join('\n')}\n${total} document(s)${shown}\n`);
}

function listingFormat(format: string | undefined): 'table' | 'json' {
  const f = format ?? 'table';
  if (f !== 'table' && f !== 'json') throw new UsageError(`unknown format ${f} (use table or json)`);
  return f;
}

async function list(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DB_OPTION, ...FILTER_OPTIONS, ...LISTING_OPTIONS } });
  if (positionals.length) throw new UsageError(`archive list takes no arguments (got ${positionals.join(' ')}); use "crossfoot search" for words`);
  const format = listingFormat(values.format);
  const query = queryOf(values, undefined, { sort: 'year', limit: 50 });
  const { total, hits } = await withArchive(values.db, (a) => a.search(query));
  printRecords(io, hits, total, format, false);
  return 0;
}

/** `crossfoot search "<words>" [filters]`. */
export async function searchCommand(args: string[], io: Io = processIo): Promise<number> {
  return guarded(io, async () => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...DB_OPTION, ...FILTER_OPTIONS, ...LISTING_OPTIONS, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.stdout.write(`${ARCHIVE_HELP}\n`);
      return 0;
    }
    const text = positionals.join(' ').trim();
    const filtered = Object.keys(values).some((k) => k in FILTER_OPTIONS);
    if (!text && !filtered) throw new UsageError('search needs words or filters');
    const format = listingFormat(values.format);
    const query = queryOf(values, text || undefined, { sort: 'relevance', limit: 20 });
    const { total, hits } = await withArchive(values.db, (a) => a.search(query));
    printRecords(io, hits, total, format, true);
    return 0;
  });
}

/** Earlier years first, so that a batch holding two years of one organization gets its cross-year check. */
const byYear = <T extends { report: Report }>(items: T[]) =>
  items.sort((a, b) => (a.report.fiscalYear ?? Infinity) - (b.report.fiscalYear ?? Infinity) || (a.report.file < b.report.file ? -1 : a.report.file > b.report.file ? 1 : 0));

async function show(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DB_OPTION, format: { type: 'string', short: 'f' } } });
  const ref = positionals[0];
  if (!ref || positionals.length > 1) throw new UsageError('archive show takes one sha256 (6+ hex digits) or file');
  const format = values.format ?? (io.stdout.isTTY ? 'stylish' : 'jsonl');
  if (!['jsonl', 'json', 'stylish'].includes(format)) throw new UsageError(`unknown format ${format} (use jsonl, json or stylish)`);
  const reports = await withArchive(values.db, async (a) => a.reports(await a.resolve(ref)));
  // a file may have been archived in several versions: the newest; a hash prefix must name one document
  const byFile = reports.filter((r) => r.file === ref);
  const report = byFile[0] ?? (reports.length === 1 ? reports[0] : undefined);
  if (!report) {
    if (reports.length > 1) throw new UsageError(`${ref} matches ${reports.length} documents: give more of the sha256`);
    io.stderr.write(`crossfoot: ${ref} is not in the archive\n`);
    return 1;
  }
  io.stdout.write(format === 'jsonl' ? formatJsonl([report]) : format === 'json' ? formatJson([report]) : `${reportHeading(report)}\n${formatStylish([report], { color: !!io.stdout.isTTY })}`);
  return 0;
}

/** What `archive show` prints above the findings: which document this is, and how much was checked. */
function reportHeading(r: Report): string {
  const name = [r.organization, r.title].filter(Boolean).join(' · ') || r.file;
  const facts = [
    r.fiscalYear !== undefined ? `${r.fiscalYear} 年度` : '年度未识别',
    r.documentType ? DOCUMENT_TYPE_LABELS[r.documentType] : null,
    r.format?.toUpperCase(),
    r.status === 'ok' ? `核对 ${r.checks.run} 项，不一致 ${r.checks.failed} 项` : null,
  ];
  return `${name}\n${facts.filter(Boolean).join(' · ')}\n`;
}

const EXPORT_FORMATS = ['csv', 'xlsx', 'jsonl'] as const;

async function exportCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...DB_OPTION, ...FILTER_OPTIONS, format: { type: 'string', short: 'f' }, output: { type: 'string', short: 'o' }, query: { type: 'string' }, 'link-base': { type: 'string' } },
  });
  if (positionals.length) throw new UsageError(`archive export takes no arguments (got ${positionals.join(' ')})`);
  const format = values.format ?? extname(values.output ?? '').slice(1);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`archive export needs --format ${EXPORT_FORMATS.join('|')}`);
  if (format === 'xlsx' && !values.output) throw new UsageError('xlsx export needs -o FILE');
  const query = queryOf(values, values.query, { sort: 'year', limit: 0 });
  // the web app's address, for a link to each report (the CLI does not know where, or whether, it is served)
  const linkBase = values['link-base'] ?? process.env.CROSSFOOT_PUBLIC_URL;
  const exportOptions = linkBase ? { linkBase } : {};
  const count = await withArchive(values.db, async (archive) => {
    const { hits } = await archive.search(query);
    const records: DocumentRecord[] = hits;
    if (format === 'xlsx') {
      await writeXlsx(values.output!, workingPaper(records, await archive.findings(records.map((r) => r.sha256)), exportOptions));
    } else if (format === 'csv') {
      const csv = toCsv(documentTable(records, exportOptions));
      if (values.output) writeFileSync(values.output, csv);
      else io.stdout.write(csv);
    } else {
      // full reports (the check contract), written as they are read: an archive can be larger than memory
      const fd = values.output ? openSync(values.output, 'w') : undefined;
      try {
        for (const part of chunks(records.map((r) => r.sha256))) {
          const text = formatJsonl(await archive.reports(part));
          if (fd === undefined) io.stdout.write(text);
          else writeSync(fd, text);
        }
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
    return records.length;
  });
  if (values.output) io.stderr.write(`exported ${count} document(s) to ${values.output}\n`);
  return 0;
}

/** `crossfoot archive <add|list|show|export> …`. */
export async function archiveCommand(args: string[], io: Io = processIo): Promise<number> {
  const [sub, ...rest] = args;
  return guarded(io, async () => {
    switch (sub) {
      case 'add':
        return addCommand(rest, io);
      case 'list':
        return list(rest, io);
      case 'show':
        return show(rest, io);
      case 'export':
        return exportCommand(rest, io);
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(`${ARCHIVE_HELP}\n`);
        return 0;
      default:
        throw new UsageError(sub ? `unknown archive command ${sub}` : 'archive needs one of: add, list, show, export');
    }
  });
}

/**
 * `crossfoot check … --archive`: stores the reports just checked (texts by report.file), earlier years first,
 * each with its cross-year findings. A path that could not be read (E_IO) is not a document and is skipped.
 */
export async function storeReports(reports: readonly Report[], texts: ReadonlyMap<string, string>, packs: PackSet, options: ArchiveOptions = {}): Promise<void> {
  const archive = await openArchive(options);
  try {
    for (const { report } of byYear(reports.filter((r) => r.error?.code !== 'E_IO').map((report) => ({ report })))) {
      await storeWithUnit(archive, report, texts.get(report.file), packs);
    }
  } finally {
    await archive.close();
  }
}
