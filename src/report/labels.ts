/**
 * The Chinese names a reviewer reads for the report's English keys (document types, severities, fields, review
 * decisions), wherever they are shown: exports, the terminal, and the browser, which is built apart from the server
 * and loads no module of it, so it gets them from GET /api/labels.
 */
import type { DocumentType, Severity } from './schema.js';

export const DOCUMENT_TYPE_LABELS: Readonly<Record<DocumentType, string>> = {
  'perf-eval': '绩效评价/自评',
  'final-accounts': '决算',
  budget: '预算',
  sangong: '“三公”经费',
  unknown: '未识别',
};

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { error: '错误', warning: '警告', info: '提示' };

/** `reopened` is only ever in a finding's history (the browser shows it); an export shows verdicts, never it. */
export const DECISION_LABELS: Readonly<Record<string, string>> = { accepted: '已确认', 'false-positive': '误报', comment: '备注', reopened: '重新打开' };

/** The named fields of the core pack (`report.fields`), by key. A field of an added pack keeps its key. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  'income.total': '收入合计',
  'income.fiscal': '财政拨款收入',
  'expenditure.total': '支出合计',
  'expenditure.basic': '基本支出',
  'expenditure.project': '项目支出',
  'expenditure.personnel': '人员经费',
  'expenditure.publicFunds': '公用经费',
  'threePublic.total': '“三公”经费合计',
  'threePublic.abroad': '因公出国（境）费',
  'threePublic.vehicle': '公务用车费',
  'threePublic.reception': '公务接待费',
  'procurement.total': '政府采购合计',
  'procurement.goods': '采购：货物',
  'procurement.works': '采购：工程',
  'procurement.services': '采购：服务',
  'procurement.sme': '采购：中小企业',
  'procurement.micro': '采购：小微企业',
  'staff.authorized': '编制数',
  'staff.actual': '实有人数',
};

/** The labels the browser shows, as GET /api/labels serves them; it looks them up by whatever key a response holds. */
export interface BrowserLabels {
  documentTypes: Readonly<Record<string, string>>;
  severities: Readonly<Record<string, string>>;
  decisions: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, string>>;
}

export const BROWSER_LABELS: BrowserLabels = { documentTypes: DOCUMENT_TYPE_LABELS, severities: SEVERITY_LABELS, decisions: DECISION_LABELS, fields: FIELD_LABELS };

export const fieldLabel = (key: string): string => FIELD_LABELS[key] ?? key;

/** A field's unit: counts of people, amounts in 元. */
export const fieldUnit = (key: string): string => (key.startsWith('staff.') ? '人' : '元');

/** A document's outcome in one word: 无法读取, 未识别为报告, 有错误, 有警告 or 通过. */
export function outcomeLabel(d: { status: 'ok' | 'failed'; notAReport?: boolean; errors: number; warnings: number }): string {
  if (d.status === 'failed') return '无法读取';
  if (d.notAReport) return '未识别为报告';
  return d.errors ? '有错误' : d.warnings ? '有警告' : '通过';
}
