import type { Report } from './schema.js';

export const FORMATS = ['jsonl', 'json', 'stylish'] as const;
export type Format = (typeof FORMATS)[number];

export function formatJsonl(reports: readonly Report[]): string {
  return reports.map((r) => JSON.stringify(r)).join('\n') + (reports.length ? '\n' : '');
}

export function formatJson(reports: readonly Report[]): string {
  return JSON.stringify(reports, null, 2) + '\n';
}

const SEVERITY_LABEL = { error: '错误', warning: '警告', info: '提示' } as const;
const SEVERITY_COLOR = { error: 31, warning: 33, info: 36 } as const;

/** A quote longer than this is cut (a whole table row or a long sentence would wrap over several lines). */
const QUOTE_CHARS = 120;

/** One line of a quote for a terminal: tabs and line breaks as spaces, cut with an ellipsis. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS - 1)}…` : flat;
}

/**
 * ESLint-style: one block per file, `line:col  severity  message  ruleId`, under each finding its calculation and
 * the quoted text as a code frame (`  18 | …`), then a summary line in Chinese like the messages.
 */
export function formatStylish(reports: readonly Report[], options: { color?: boolean; quiet?: boolean } = {}): string {
  const paint = (code: number, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let failed = 0;
  let notReports = 0;
  const indent = ' '.repeat(13);
  for (const r of reports) {
    if (r.status === 'failed') {
      failed++;
      lines.push(paint(4, r.file), `  ${paint(31, '无法读取')}  ${r.error?.message ?? ''}  ${paint(90, r.error?.code ?? '')}`, '');
      continue;
    }
    if (r.notAReport) {
      notReports++;
      lines.push(paint(4, r.file), `  ${paint(33, '未识别为报告')}  标题不是已知的报告类型，文中也没有任何金额，未作核对`, '');
      continue;
    }
    const shown = r.findings.filter((f) => !options.quiet || f.severity === 'error');
    errors += r.findings.filter((f) => f.severity === 'error').length;
    warnings += r.findings.filter((f) => f.severity === 'warning').length;
    if (!shown.length) continue;
    lines.push(paint(4, r.file));
    for (const f of shown) {
      const where = `${f.loc.page !== undefined ? `p${f.loc.page} ` : ''}${f.loc.line}:${f.loc.column}`;
      const sev = paint(SEVERITY_COLOR[f.severity], SEVERITY_LABEL[f.severity]);
      lines.push(`  ${where.padEnd(10)} ${sev}  ${f.message}  ${paint(90, f.ruleId)}`);
      if (f.calculation) lines.push(`${indent}${paint(90, '计算：')}${f.calculation}`);
      if (f.quote) lines.push(`${indent}${paint(90, `${f.loc.line} |`)} ${oneLine(f.quote)}`);
      for (const other of f.related ?? []) lines.push(`${indent}${paint(90, `↔ ${other.file}`)}`);
    }
    if (r.crossChecks) lines.push(paint(90, `  与同单位文件核对 ${r.crossChecks.run} 项，不一致 ${r.crossChecks.failed} 项（${r.identity?.organizationKey ?? ''}）`));
    lines.push('');
  }
  lines.push(stylishSummary({ files: reports.length, errors, warnings, failed, notReports }));
  return lines.join('\n') + '\n';
}

/** `✖ 共 3 个文件：错误 1 条，警告 1 条，无法读取 1 个，未识别为报告 1 个` (the last two only when there are any). */
function stylishSummary(c: { files: number; errors: number; warnings: number; failed: number; notReports: number }): string {
  const parts = [`错误 ${c.errors} 条`, `警告 ${c.warnings} 条`];
  if (c.failed) parts.push(`无法读取 ${c.failed} 个`);
  if (c.notReports) parts.push(`未识别为报告 ${c.notReports} 个`);
  return `${c.errors + c.warnings ? '✖' : '✔'} 共 ${c.files} 个文件：${parts.join('，')}`;
}
