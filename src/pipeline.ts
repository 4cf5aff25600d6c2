import { createHash } from 'node:crypto';
import { buildFacts } from './checks/context.js';
import { runRules } from './checks/engine.js';
import { extractFields } from './checks/fields.js';
import { applies, buildPackSet, builtinPacks, type PackSet } from './checks/pack-set.js';
import { documentPrecision } from './checks/precision.js';
import { extractFigures } from './figures/extract.js';
import { buildTables } from './figures/tables.js';
import { readDocument } from './readers/index.js';
import { DEFAULT_READ_LIMITS, ReadError, type ExtractedDocument, type ReadLimits } from './readers/types.js';
import { figureRecord, findingRecords } from './report/build.js';
import { identityOf } from './report/identity.js';
import { type DocumentType, type Report, SCHEMA_VERSION } from './report/schema.js';
import { assembleText, segmentText } from './text/document.js';
import { readHeader, stageOfTitle } from './text/metadata.js';

/** For the pool's threads, which build the segmenter's dictionary before their first document. */
export { prepareTokenizer } from './text/tokenize.js';

export interface CheckOptions {
  /** The path as given by the caller; it is echoed in the report. */
  file?: string;
  /** Packs in force; the shipped packs when absent. */
  packs?: PackSet;
  limits?: ReadLimits;
  /** Run only this rule ("<pack>/<rule>") whatever the document type (rule examples). */
  onlyRule?: string;
  /**
   * Put the extracted text in the report, and each table's cells (for the archive and a viewer). The figures'
   * loc.textStart/textEnd point into this text whether or not it is included.
   */
  includeText?: boolean;
  /** Put every evaluated relation in the report (`relations`), passing or not. */
  includeRelations?: boolean;
  /**
   * Put each stage's milliseconds in the report (`timingsMs`). Off by default: timings differ from run to run,
   * and a report should diff cleanly against the same check run again.
   */
  includeTimings?: boolean;
}

let defaultPacks: PackSet | undefined;

function detectType(packs: PackSet, doc: ExtractedDocument, title: string | undefined): DocumentType {
  const headings = doc.blocks.filter((b) => b.kind === 'heading').slice(0, 6).map((b) => b.text);
  for (const text of [title ?? '', ...headings]) {
    const hit = packs.documentTypes.find((d) => d.title.test(text.replace(/\s+/g, '')));
    if (hit) return hit.type;
  }
  return 'unknown';
}

function baseReport(file: string, bytes: Uint8Array, packs: PackSet): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    status: 'ok',
    packs: packs.packs.map((p) => ({ id: p.pack.id, version: p.pack.version })),
    tables: [],
    warnings: [],
    figures: [],
    fields: {},
    checks: { run: 0, passed: 0, failed: 0, roundingOnly: 0 },
    findings: [],
  };
}

/** A report for a file that could not be checked: it still appears in the output, once, with the cause. */
export function failedReport(file: string, bytes: Uint8Array, error: ReadError, packs?: PackSet): Report {
  const report = baseReport(file, bytes, packs ?? (defaultPacks ??= buildPackSet(builtinPacks())));
  report.status = 'failed';
  report.error = { code: error.code, message: error.message };
  return report;
}

/**
 * The whole check, as one pure function of the bytes: read → text → figures → checks → report. The CLI, the
 * queue workers and the web server all call it; a document problem becomes a failed report, never a throw.
 */
export async function checkDocument(bytes: Uint8Array, options: CheckOptions = {}): Promise<Report> {
  const packs = options.packs ?? (defaultPacks ??= buildPackSet(builtinPacks()));
  const file = options.file ?? '<input>';
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = Math.round((now - t) * 100) / 100;
    t = now;
  };
  let extracted: ExtractedDocument;
  try {
    extracted = await readDocument(bytes, options.limits ?? DEFAULT_READ_LIMITS, file);
  } catch (error) {
    if (error instanceof ReadError) return failedReport(file, bytes, error, packs);
    throw error;
  }
  lap('read');
  const report = baseReport(file, bytes, packs);
  const assembled = assembleText(extracted, packs.strip);
  const header = readHeader(extracted.blocks, extracted.metadataTitle);
  const documentType = detectType(packs, extracted, header.title);
  lap('normalize');
  const doc = segmentText(assembled);
  lap('segment');
  const figures = extractFigures(doc);
  const { tables, figures: cellFigures } = buildTables(doc, extracted.tables ?? [], figures.length + 1);
  lap('figures');
  const precision = documentPrecision(figures);
  const facts = buildFacts(doc, figures, precision, documentType, header.fiscalYear, tables, cellFigures);
  if (packs.strictRounding) facts.strictRounding = true;
  if (header.fiscalYearFrom) facts.fiscalYearFrom = header.fiscalYearFrom;
  const documentStage = stageOfTitle(header.title);
  if (documentStage) facts.documentStage = documentStage;
  const rules = packs.rules.filter((r) => (options.onlyRule ? r.ruleId === options.onlyRule : applies(r.appliesTo, documentType)));
  const { problems, tally, relations, ruleFailures } = runRules(facts, rules);
  // a coded row (30217 公务接待费) is one classification item, not the total its name would make it a field of
  const namedCells = cellFigures.filter((f) => f.cell && !tables[f.cell.table]?.codes[f.cell.row]);
  const { fields, sources } = extractFields(figures, packs.fields.filter((f) => applies(f.appliesTo, documentType)), header.fiscalYear, documentType, namedCells);
  lap('checks');

  report.format = extracted.format;
  if (extracted.pages !== undefined) report.pages = extracted.pages;
  const title = header.title ?? extracted.metadataTitle;
  if (title) report.title = title;
  if (header.fiscalYear !== undefined) report.fiscalYear = header.fiscalYear;
  if (header.organization) report.organization = header.organization;
  report.documentType = documentType;
  report.identity = identityOf({
    title,
    organization: header.organization,
    proseAmounts: figures.filter((f) => f.kind === 'amount').length,
    tableAmounts: cellFigures.filter((f) => f.kind === 'amount').length,
  });
  report.warnings = extracted.warnings;
  report.tables = tables.map((t) => {
    const cols = Math.max(0, ...t.rows.map((r) => r.length));
    return {
      id: t.id,
      ...(t.title ? { title: t.title } : {}),
      ...(t.page !== undefined ? { page: t.page } : {}),
      rows: t.rows.length,
      cols,
      unit: t.unit,
      // with the text only: a viewer needs the cells, a batch's JSONL does not
      ...(options.includeText ? { cells: t.originals.map((r) => [...r, ...Array<string>(cols - r.length).fill('')]) } : {}),
    };
  });
  report.figures = [...figures, ...cellFigures].map((f) => figureRecord(doc, f));
  report.fields = fields;
  if (Object.keys(sources).length) report.fieldFigures = Object.fromEntries(Object.entries(sources).map(([key, f]) => [key, f.id]));
  report.checks = tally;
  // every budget report states amounts, and its title names its kind; without either, zero findings would read as
  // a clean report (a report's cover page alone, 绩效评价自评报告, is still a report)
  if (documentType === 'unknown' && !report.figures.some((f) => f.kind === 'amount')) report.notAReport = true;
  if (ruleFailures.length) report.ruleErrors = ruleFailures.map((f) => ({ code: 'E_RULE', ...f }));
  if (options.includeRelations) report.relations = relations.map((r) => ({ ruleId: r.ruleId, verdict: r.verdict, figures: r.figures.map((f) => f.id) }));
  report.findings = findingRecords(doc, problems).sort((a, b) => a.loc.block - b.loc.block || a.loc.start - b.loc.start || a.ruleId.localeCompare(b.ruleId));
  lap('report');
  if (options.includeTimings) report.timingsMs = timings;
  if (options.includeText) report.text = doc.original;
  return report;
}
