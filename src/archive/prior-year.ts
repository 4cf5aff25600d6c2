import { createHash } from 'node:crypto';
import { abs, add, type Dec, halfUlp, le, neg, parseDec, shift, sub, toFixed, toPlain } from '../figures/decimal.js';
import { analyseLabel } from '../figures/label.js';
import type { FigureRecord, Finding, Report } from '../report/schema.js';
import type { ArchiveRepository } from './repository.js';

/**
 * Cross-year check: what a report says last year's figures were, against last year's report of the same
 * organization in the archive.
 *
 * FigureRecord carries no baseline or label key yet, so a prior-year statement is recognised from what it does
 * carry: a label naming last year (上年“三公”经费支出决算为6.30万元), or a baseline year figure (比2024年 / 较2024年度的)
 * right before an amount (the prior level) or a change (prior = current ∓ change) that names no item itself.
 */
export const PRIOR_YEAR_RULE = 'archive/prior-year';

const UNIT_POWER: Readonly<Record<string, number>> = { 元: 0, 千元: 3, 万元: 4, 百万元: 6, 千万元: 7, 亿元: 8 };
const PRIOR_WORDS = /上一?年度?|去年/g;
/** 上年结转 is money carried over into this year, not last year's value of an item. */
const CARRY_OVER = /上年结转|上年结余/;
const BASELINE_WORD = /^(?:比|较|与|同比)$/;
const QUOTES = /[“”‘’"'「」『』\s]/g;

interface Interval {
  /** In 元. */
  value: Dec;
  half: Dec;
}

interface Claim {
  /** The figures of this report that state it (cited by the finding). */
  figures: FigureRecord[];
  name: string;
  key: string;
  stage: string | undefined;
  unit: string;
  /** Decimals to print the claimed value with (as the report prints the figures it comes from). */
  decimals: number;
  at: Interval;
  /** How a derived value was computed, in the unit printed. */
  calculation?: string;
}

const namesPriorYear = (label: string) => !CARRY_OVER.test(label) && new RegExp(PRIOR_WORDS.source).test(label);

function labelKey(label: string): string {
  return analyseLabel(label.replace(PRIOR_WORDS, '')).key.replace(QUOTES, '');
}

/** A value stands for an interval: ± half a unit of the most decimals the report prints for that unit. */
function precisionOf(report: Report): (f: FigureRecord) => Interval | undefined {
  const decimals = new Map<string, number>();
  for (const f of report.figures) if (f.kind === 'amount') decimals.set(f.unit, Math.max(decimals.get(f.unit) ?? 0, f.decimals));
  return (f) => {
    const power = UNIT_POWER[f.unit];
    if (power === undefined || f.kind !== 'amount') return undefined;
    return { value: shift(parseDec(f.exact), power), half: shift(halfUlp(decimals.get(f.unit) ?? f.decimals), power) };
  };
}

const isLevel = (f: FigureRecord) => f.kind === 'amount' && !f.direction && f.label !== '';

function claimsOf(report: Report): Claim[] {
  const fy = report.fiscalYear!;
  const interval = precisionOf(report);
  const figures = [...report.figures].sort((a, b) => a.loc.block - b.loc.block || a.loc.start - b.loc.start);
  const claims: Claim[] = [];
  figures.forEach((f, i) => {
    if (isLevel(f) && namesPriorYear(f.label)) {
      const at = interval(f);
      if (at) claims.push({ figures: [f], name: f.label, key: labelKey(f.label), stage: f.stage, unit: f.unit, decimals: f.decimals, at });
      return;
    }
    if (f.kind !== 'year' || Number(f.exact) !== fy - 1 || !BASELINE_WORD.test(f.label)) return;
    const next = figures[i + 1];
    const subject = figures.slice(0, i).reverse().find((g) => g.loc.block === f.loc.block && isLevel(g) && !namesPriorYear(g.label));
    if (!next || !subject || next.loc.block !== f.loc.block || next.kind !== 'amount' || next.label !== '' || next.pointChange) return;
    const current = interval(subject);
    const stated = interval(next);
    if (!current || !stated) return;
    const base = { name: subject.label, key: labelKey(subject.label), stage: subject.stage, unit: subject.unit };
    if (!next.direction) {
      claims.push({ ...base, figures: [subject, next], decimals: next.decimals, at: stated });
    } else if (next.direction !== 'flat') {
      // prior = current − change (an increase) or current + change (a decrease)
      const change = next.direction === 'increase' ? neg(stated.value) : stated.value;
      const value = add(current.value, change);
      const power = UNIT_POWER[subject.unit]!;
      const decimals = Math.max(subject.decimals, next.decimals);
      const show = (d: Dec) => toFixed(shift(d, -power), decimals);
      const calculation = `${show(current.value)} ${next.direction === 'increase' ? '−' : '+'} ${show(stated.value)} = ${show(value)}`;
      claims.push({ ...base, figures: [subject, next], decimals, at: { value, half: add(current.half, stated.half) }, calculation });
    }
  });
  return claims.filter((c) => c.key.length >= 2);
}

/** What last year's report states, by label key: its levels that are not themselves about the year before. */
function statementsOf(report: Report): Map<string, { figure: FigureRecord; at: Interval }[]> {
  const interval = precisionOf(report);
  const byKey = new Map<string, { figure: FigureRecord; at: Interval }[]>();
  for (const f of report.figures) {
    const at = isLevel(f) && !namesPriorYear(f.label) ? interval(f) : undefined;
    if (!at) continue;
    const key = labelKey(f.label);
    byKey.set(key, [...(byKey.get(key) ?? []), { figure: f, at }]);
  }
  return byKey;
}

const meets = (a: Interval, b: Interval) => le(abs(sub(a.value, b.value)), add(a.half, b.half));
const compatible = (a: string | undefined, b: string | undefined) => !a || !b || a === b;

/** Last year's report to compare with: the same kind of document when there is one. */
function pickPrior(report: Report, candidates: readonly Report[]): Report | undefined {
  return candidates.find((c) => c.documentType === report.documentType) ?? candidates[0];
}

function finding(claim: Claim, prior: Report, stated: FigureRecord): Finding {
  const power = UNIT_POWER[claim.unit]!;
  const actual = toFixed(shift(claim.at.value, -power), claim.decimals);
  // last year's value in this report's unit, exact, with at least as many decimals as this report prints
  const theirs = shift(parseDec(stated.exact), UNIT_POWER[stated.unit]! - power);
  const expected = toFixed(theirs, Math.max(claim.decimals, toPlain(theirs).split('.')[1]?.length ?? 0));
  const cited = claim.figures[claim.figures.length - 1]!;
  const basis = [PRIOR_YEAR_RULE, 'priorYearMismatch', claim.key, ...claim.figures.map((f) => f.text), prior.sha256, stated.text].join('\u0000');
  const result: Finding = {
    id: createHash('sha256').update(basis).digest('hex').slice(0, 16),
    ruleId: PRIOR_YEAR_RULE,
    messageId: 'priorYearMismatch',
    severity: 'warning',
    // last year's figure is found in the other report by its label: a pairing, so at most a warning
    evidence: 'label',
    message: `本报告所述上年${claim.name.replace(PRIOR_WORDS, '')}${actual}${claim.unit}${claim.calculation ? `（${claim.calculation}）` : ''}与上年报告（${prior.file}）所载${stated.text}不一致`,
    figures: claim.figures.map((f) => f.id),
    expected,
    actual,
    loc: cited.loc,
    quote: claim.figures.map((f) => `${f.label}${f.text}`).join('…'),
  };
  if (claim.calculation) result.calculation = claim.calculation;
  return result;
}

/**
 * Findings (rule archive/prior-year, warning) where `report` states a prior-year figure that last year's report
 * of the same organization, in the archive, states otherwise. Nothing when there is no such report.
 */
export async function priorYearFindings(report: Report, archive: Pick<ArchiveRepository, 'reportsOf'>): Promise<Finding[]> {
  if (report.status !== 'ok' || report.fiscalYear === undefined || !report.organization) return [];
  const claims = claimsOf(report);
  if (!claims.length) return [];
  const prior = pickPrior(report, await archive.reportsOf(report.organization, report.fiscalYear - 1));
  if (!prior) return [];
  const statements = statementsOf(prior);
  const out = new Map<string, Finding>();
  for (const claim of claims) {
    const candidates = (statements.get(claim.key) ?? []).filter((s) => compatible(claim.stage, s.figure.stage));
    if (!candidates.length || candidates.some((s) => meets(claim.at, s.at))) continue;
    const f = finding(claim, prior, candidates[0]!.figure);
    out.set(f.id, f);
  }
  return [...out.values()];
}

/** The report with its prior-year findings (replacing any from an earlier run), in the pipeline's order. */
export async function withPriorYear(report: Report, archive: Pick<ArchiveRepository, 'reportsOf'>): Promise<Report> {
  const own = report.findings.filter((f) => f.ruleId !== PRIOR_YEAR_RULE);
  const findings = [...own, ...(await priorYearFindings(report, archive))].sort(
    (a, b) => a.loc.block - b.loc.block || a.loc.start - b.loc.start || a.ruleId.localeCompare(b.ruleId),
  );
  return { ...report, findings };
}
