import ExcelJS from 'exceljs';
import { DECISION_LABELS, DOCUMENT_TYPE_LABELS, fieldLabel, fieldUnit, outcomeLabel, SEVERITY_LABELS } from '../report/labels.js';
import type { DocumentRecord, FindingRow } from './repository.js';
import { displayWidth } from './text-table.js';

/**
 * Exports of archive documents, usable as an auditor's working paper (审计工作底稿): Chinese headers and labels,
 * numbers and dates as number and date cells, a link to each report, and each finding's review trail (decision,
 * reviewer, time, comment). Three views: documents (one column per field), findings, fields (one row each).
 */

export type Cell = string | number | Date | { text: string; hyperlink: string } | null;
export interface Table {
  name: string;
  header: string[];
  rows: Cell[][];
}

export interface ExportOptions {
  /** The web app's address (`http://host:port`): each row then links to its report there. */
  linkBase?: string;
}

const reportLink = (base: string | undefined, sha256: string, finding?: string): Cell =>
  base ? { text: '打开报告', hyperlink: `${base.replace(/\/+$/, '')}/documents/${sha256}${finding ? `#${finding}` : ''}` } : null;

const DOCUMENT_COLUMNS: [string, (r: DocumentRecord) => Cell][] = [
  ['单位', (r) => r.organization],
  ['标题', (r) => r.title],
  ['文件', (r) => r.file],
  ['年度', (r) => r.fiscalYear],
  ['文档类型', (r) => (r.documentType ? DOCUMENT_TYPE_LABELS[r.documentType] : null)],
  ['格式', (r) => r.format?.toUpperCase() ?? null],
  ['页数', (r) => r.pages],
  ['结果', (r) => outcomeLabel(r)],
  ['无法读取的原因', (r) => r.error?.message ?? null],
  ['错误', (r) => r.errors],
  ['警告', (r) => r.warnings],
  ['提示', (r) => r.infos],
  ['检查时间（UTC）', (r) => new Date(r.checkedAt)],
];

export function documentTable(records: readonly DocumentRecord[], options: ExportOptions = {}): Table {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r.fields)))].sort();
  return {
    name: '文档',
    header: [...DOCUMENT_COLUMNS.map(([h]) => h), ...keys.map((k) => `${fieldLabel(k)}（${fieldUnit(k)}）`), '报告', 'sha256'],
    rows: records.map((r) => [...DOCUMENT_COLUMNS.map(([, get]) => get(r)), ...keys.map((k) => r.fields[k] ?? null), reportLink(options.linkBase, r.sha256), r.sha256]),
  };
}

export function findingTable(findings: readonly FindingRow[], records: readonly DocumentRecord[], options: ExportOptions = {}): Table {
  const bySha = new Map(records.map((r) => [r.sha256, r]));
  return {
    name: '发现',
    header: ['单位', '年度', '文件', '页', '行', '列', '严重程度', '规则', '说明', '计算', '原文', '应为', '文中', '审核结论', '审核人', '审核时间（UTC）', '审核意见', '报告', 'sha256', '指纹'],
    rows: findings.map((f) => {
      const doc = bySha.get(f.sha256);
      return [
        doc?.organization ?? null,
        doc?.fiscalYear ?? null,
        doc?.file ?? null,
        f.page,
        f.line,
        f.column,
        SEVERITY_LABELS[f.severity],
        f.ruleId,
        f.message,
        f.calculation,
        f.quote,
        f.expected,
        f.actual,
        f.decision ? DECISION_LABELS[f.decision]! : '未审核',
        f.reviewer,
        f.reviewedAt ? new Date(f.reviewedAt) : null,
        f.comment,
        reportLink(options.linkBase, f.sha256, f.fingerprint),
        f.sha256,
        f.fingerprint,
      ];
    }),
  };
}

/** One row per document and field: the view to filter and pivot (a field across units and years). */
export function fieldTable(records: readonly DocumentRecord[]): Table {
  return {
    name: '字段',
    header: ['单位', '年度', '文件', '字段', '数值', '计量单位', '字段代码', 'sha256'],
    rows: records.flatMap((r) =>
      Object.entries(r.fields)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => [r.organization, r.fiscalYear, r.file, fieldLabel(key), value, fieldUnit(key), key, r.sha256]),
    ),
  };
}

/** The three views of a working paper. */
export const workingPaper = (records: readonly DocumentRecord[], findings: readonly FindingRow[], options: ExportOptions = {}): Table[] => [
  documentTable(records, options),
  findingTable(findings, records, options),
  fieldTable(records),
];

/**
 * Text from a report could start with = + - @ and run as a formula in a spreadsheet (CSV injection); a leading
 * apostrophe makes it text.
 */
const defuse = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** Text of a cell for CSV and for column widths: a date as ISO 8601, a link as its address. */
function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  if (typeof cell === 'object') return cell.hyperlink;
  return String(cell);
}

function csvCell(cell: Cell): string {
  if (cell === null || typeof cell !== 'string') return cellText(cell);
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
    // values, never formulas: exceljs stores a string that starts with = as text
    for (const row of table.rows) sheet.addRow(row);
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
    table.header.forEach((h, i) => {
      const column = sheet.getColumn(i + 1);
      const sample = table.rows.slice(0, 200).map((r) => r[i] ?? null);
      if (sample.some((c) => c instanceof Date)) column.numFmt = 'yyyy-mm-dd hh:mm';
      const widths = sample.map((c) => (c instanceof Date ? 16 : typeof c === 'object' && c ? displayWidth(c.text) : displayWidth(cellText(c))));
      column.width = Math.min(60, Math.max(8, displayWidth(h) + 2, ...widths.map((w) => w + 2)));
    });
  }
  await workbook.xlsx.writeFile(path);
}
