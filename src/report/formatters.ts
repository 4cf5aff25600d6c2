import type { Report } from './schema.js';

export const FORMATS = ['jsonl', 'json', 'stylish'] as const;
export type Format = (typeof FORMATS)[number];

export function formatJsonl(reports: readonly Report[]): string {
  return reports.map((r) => JSON.stringify(r)).join('\n') + (reports.length ? '\n' : '');
}

export function formatJson(reports: readonly Report[]): string {
  return JSON.stringify(reports, null, 2) + '\n';
}

const SEVERITY_LABEL = { error: 'error', warning: 'warning', info: 'info' } as const;

/** ESLint-style: one block per file, `line:col  severity  message  ruleId`, then a summary line. */
export function formatStylish(reports: readonly Report[], options: { color?: boolean; quiet?: boolean } = {}): string {
  const paint = (code: number, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let failed = 0;
  for (const r of reports) {
    if (r.status === 'failed') {
      failed++;
      lines.push(paint(4, r.file), `  ${paint(31, 'failed')}  ${r.error?.message ?? ''}  ${paint(90, r.error?.code ?? '')}`, '');
      continue;
    }
    const shown = r.findings.filter((f) => !options.quiet || f.severity === 'error');
    errors += r.findings.filter((f) => f.severity === 'error').length;
    warnings += r.findings.filter((f) => f.severity === 'warning').length;
    if (!shown.length) continue;
    lines.push(paint(4, r.file));
    for (const f of shown) {
      const where = `${f.loc.page !== undefined ? `p${f.loc.page} ` : ''}${f.loc.line}:${f.loc.column}`;
      const sev = f.severity === 'error' ? paint(31, SEVERITY_LABEL.error) : f.severity === 'warning' ? paint(33, SEVERITY_LABEL.warning) : paint(36, SEVERITY_LABEL.info);
      lines.push(`  ${where.padEnd(10)} ${sev.padEnd(options.color ? 16 : 7)}  ${f.message}  ${paint(90, f.ruleId)}`);
      for (const other of f.related ?? []) lines.push(`  ${''.padEnd(10)} ${''.padEnd(7)}  ${paint(90, `↔ ${other.file}`)}`);
    }
    if (r.crossChecks) lines.push(paint(90, `  与同单位文件核对 ${r.crossChecks.run} 项，不一致 ${r.crossChecks.failed} 项（${r.identity?.organizationKey ?? ''}）`));
    lines.push('');
  }
  const total = errors + warnings;
  lines.push(
    `${total ? '✖' : '✔'} ${reports.length} file(s), ${errors} error(s), ${warnings} warning(s)${failed ? `, ${failed} unreadable` : ''}`,
  );
  return lines.join('\n') + '\n';
}
