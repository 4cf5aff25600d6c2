import { badge, EVIDENCE, h } from '../dom.js';
import { labels } from '../labels.js';
import { ruleLabel, ruleTooltip, type Rules } from '../rules.js';
import type { Finding, Report } from '../types.js';
import { relatedLinks } from './report-cross.js';

/** One finding's card: severity, rule (by its Chinese name), where, the values and the calculation, the quote. */

function locationText(f: Finding, report: Report): string {
  const parts: string[] = [];
  if (f.loc.page) parts.push(`第 ${f.loc.page} 页`);
  if (f.loc.table) {
    const t = report.tables.find((x) => x.id === f.loc.table);
    parts.push(`表“${t?.title ?? f.loc.table}”第 ${(f.loc.row ?? 0) + 1} 行第 ${(f.loc.col ?? 0) + 1} 列`);
  } else parts.push(report.format === 'txt' ? `第 ${f.loc.line} 行` : `第 ${f.loc.line} 段`);
  return parts.join('，');
}

function evidenceTag(f: Finding): HTMLElement | null {
  const grade = f.evidence ? EVIDENCE[f.evidence] : undefined;
  return grade ? h('span', { class: `evidence ev-${f.evidence}`, 'data-evidence': f.evidence, title: grade.title }, `依据：${grade.label}`) : null;
}

/** The card, and the box its review controls are drawn into. */
export function findingCard(f: Finding, report: Report, rules: Rules): { card: HTMLElement; reviewBox: HTMLElement; figureStep: HTMLElement } {
  const reviewBox = h('div', { class: 'review' });
  const figureStep = h('div', { class: 'figure-step' });
  const card = h(
    'article',
    { class: `card sev-${f.severity}`, 'data-finding': f.id, id: `finding-${f.id}`, tabindex: '0', 'aria-label': `${labels().severities[f.severity] ?? ''}：${f.message}` },
    h('header', {}, badge(labels().severities[f.severity] ?? f.severity, f.severity), h('span', { class: 'rule', 'data-rule': f.ruleId, title: ruleTooltip(f.ruleId, rules) }, ruleLabel(f.ruleId, rules)), evidenceTag(f), h('span', { class: 'loc' }, locationText(f, report))),
    h('p', { class: 'msg' }, f.message),
    f.actual !== undefined || f.expected !== undefined
      ? h(
          'div',
          { class: 'values' },
          f.actual !== undefined ? h('span', { class: 'actual' }, h('span', { class: 'k' }, '文中数'), h('b', {}, f.actual)) : null,
          f.expected !== undefined ? h('span', { class: 'expected' }, h('span', { class: 'k' }, '应为'), h('b', {}, f.expected)) : null,
        )
      : null,
    f.calculation ? h('div', { class: 'calc', title: '计算过程' }, f.calculation) : null,
    f.quote ? h('blockquote', { class: 'quote' }, f.quote) : null,
    relatedLinks(f),
    figureStep,
    reviewBox,
  );
  return { card, reviewBox, figureStep };
}
