import ExcelJS from 'exceljs';
import type { DocumentRecord, FindingRow } from './repository.js';
import { displayWidth } from './text-table.js';

/** Exports of archive documents: a documents table (one column per field) and a findings table. */

export type Cell = string | number | null;
export interface Table {
  name: string;
  header: string[];
  rows: Cell[][];
}

const DOCUMENT_COLUMNS: [string, (r: DocumentRecord) => Cell][] = [
  ['sha256', (r) => r.sha256],
  ['file', (r) => r.file],
  ['title', (r) => r.title],
  ['organization', (r) => r.organization],
  ['fiscalYear', (r) => r.fiscalYear],
  ['documentType', (r) => r.documentType],
  ['format', (r) => r.format],
  ['pages', (r) => r.pages],
  ['status', (r) => r.status],
  ['errorCode', (r) => r.error?.code ?? null],
  ['errors', (r) => r.errors],
  ['warnings', (r) => r.warnings],
  ['infos', (r) => r.infos],
  ['checkedAt', (r) => r.checkedAt],
];

export function documentTable(records: readonly DocumentRecord[]): Table {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r.fields)))].sort();
  return {
    name: 'documents',
    header: [...DOCUMENT_COLUMNS.map(([h]) => h), ...keys],
    rows: records.map((r) => [...DOCUMENT_COLUMNS.map(([, get]) => get(r)), ...keys.map((k) => r.fields[k] ?? null)]),
  };
}

export function findingTable(findings: readonly FindingRow[], records: readonly DocumentRecord[]): Table {
  const bySha = new Map(records.map((r) => [r.sha256, r]));
  return {
    name: 'findings',
    header: ['sha256', 'file', 'organization', 'fiscalYear', 'fingerprint', 'ruleId', 'severity', 'message', 'expected', 'actual', 'calculation', 'quote', 'page', 'line', 'column', 'decision'],
    rows: findings.map((f) => {
      const doc = bySha.get(f.sha256);
      return [f.sha256, doc?.file ?? null, doc?.organization ?? null, doc?.fiscalYear ?? null, f.fingerprint, f.ruleId, f.severity, f.message, f.expected, f.actual, f.calculation, f.quote, f.page, f.line, f.column, f.decision];
    }),
  };
}

/**
 * Text from a report could start with = + - @ and run as a formula in a spreadsheet (CSV injection); a leading
 * apostrophe makes it text.
 */
const defuse = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const s = defuse(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 with a UTF-8 byte-order mark, which Excel needs to read Chinese text from a CSV. */
export function toCsv(table: Table): string {
  return `\ufeff${[table.header, ...table.rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One sheet per table; header row bold and frozen, autofilter over the columns. Cells are values, never formulas. */
export async function writeXlsx(path: string, tables: readonly Table[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'crossfoot';
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.header).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
    table.header.forEach((h, i) => {
      const longest = Math.max(displayWidth(h), ...table.rows.slice(0, 200).map((r) => displayWidth(String(r[i] ?? ''))));
      sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, longest + 2));
    });
  }
  await workbook.xlsx.writeFile(path);
}
