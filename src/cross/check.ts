import { createHash } from 'node:crypto';
import { type CrossTally, runCrossRules } from '../checks/cross/engine.js';
import type { PackSet } from '../checks/pack-set.js';
import type { CrossProblem } from '../model.js';
import type { Finding, Report } from '../report/schema.js';

/**
 * Cross-document checking: a unit's reports (one run's, or a new one with the archived reports of its unit) held
 * against each other by the packs' `cross` rules. Each report gets its cross/… findings and a count of the
 * relations evaluated; its own findings are untouched.
 */
export const CROSS_PREFIX = 'cross/';

const byLocation = (a: Finding, b: Finding) => a.loc.block - b.loc.block || a.loc.start - b.loc.start || a.ruleId.localeCompare(b.ruleId);

function findingOf(report: Report, p: CrossProblem): Finding {
  const figures = p.figures.map((f) => report.figures.find((g) => g.id === f.id)!);
  const cited = figures[figures.length - 1]!;
  // from what the claim says and whom it is held against, never offsets: a review survives a re-check
  const basis = [p.ruleId, p.messageId, ...figures.map((f) => `${f.label}${f.text}`), ...p.related.flatMap((r) => [r.document.sha256, ...r.figures.map((f) => f.text)])];
  const finding: Finding = {
    id: createHash('sha256').update(basis.join('\u0000')).digest('hex').slice(0, 16),
    ruleId: p.ruleId,
    messageId: p.messageId,
    severity: p.severity,
    evidence: p.evidence,
    message: p.message,
    figures: figures.map((f) => f.id),
    expected: p.expected,
    actual: p.actual,
    loc: cited.loc,
    quote: figures.map((f) => `${f.label}${f.text}`).join('…'),
    related: p.related.map((r) => ({ file: r.document.file, sha256: r.document.sha256, figures: r.figures.map((f) => f.id) })),
  };
  if (p.calculation) finding.calculation = p.calculation;
  return finding;
}

/** The report without any cross-document result (from an earlier run), as its own checks left it. */
export function withoutCross(report: Report): Report {
  const { crossChecks: _dropped, ...rest } = report;
  const own: Report = { ...rest, findings: report.findings.filter((f) => !f.ruleId.startsWith(CROSS_PREFIX)) };
  if (report.relations) own.relations = report.relations.filter((r) => !r.ruleId.startsWith(CROSS_PREFIX));
  const ruleErrors = report.ruleErrors?.filter((e) => !e.ruleId.startsWith(CROSS_PREFIX));
  if (ruleErrors?.length) own.ruleErrors = ruleErrors;
  else delete own.ruleErrors;
  return own;
}

/** Reports of one unit, by organization key; reports without one stand alone. */
function unitsOf(reports: readonly Report[]): Report[][] {
  const units = new Map<string, Report[]>();
  for (const r of reports) {
    const key = r.status === 'ok' && r.fiscalYear !== undefined ? r.identity?.organizationKey : undefined;
    if (key) units.set(key, [...(units.get(key) ?? []), r]);
  }
  return [...units.values()].filter((u) => u.length > 1);
}

/**
 * Every report of `reports` with its cross-document findings, against the other reports of its unit among
 * `reports` and `context` (archived reports: read, never returned). The result does not depend on the order.
 */
export function crossCheck(reports: readonly Report[], packs: PackSet, context: readonly Report[] = [], options: { includeRelations?: boolean } = {}): Report[] {
  const own = reports.map(withoutCross);
  if (!packs.crossRules.length) return own;
  const mine = new Set(own.map((r) => r.sha256));
  const others = context.filter((r) => !mine.has(r.sha256)).map(withoutCross);
  const results = new Map<
    string,
    { findings: Finding[]; relations: CrossTally['relations']; crossChecks: NonNullable<Report['crossChecks']>; failures: { ruleId: string; message: string }[] }
  >();
  for (const unit of unitsOf([...own, ...others])) {
    const { problems, tallies, failures } = runCrossRules(unit, packs.crossRules);
    for (const r of unit) {
      if (!mine.has(r.sha256)) continue;
      const { relations = [], ...t } = [...tallies].find(([d]) => d.sha256 === r.sha256)?.[1] ?? { run: 0, passed: 0, failed: 0 };
      const findings = problems.filter((p) => p.document.sha256 === r.sha256).map((p) => findingOf(r, p));
      results.set(r.sha256, { findings: [...new Map(findings.map((f) => [f.id, f])).values()], relations, crossChecks: t, failures });
    }
  }
  return own.map((r) => {
    const result = results.get(r.sha256);
    if (!result) return r;
    const { findings, relations, crossChecks, failures } = result;
    const checked: Report = { ...r, findings: [...r.findings, ...findings].sort(byLocation), crossChecks };
    // a cross rule that broke is crossfoot's fault (E_RULE), named in every report of the unit it ran on
    if (failures.length) checked.ruleErrors = [...(r.ruleErrors ?? []), ...failures.map((f) => ({ code: 'E_RULE' as const, ...f }))];
    // like a document's own relations, only when asked for (the cross-document mutation evaluation breaks these)
    if (options.includeRelations)
      checked.relations = [...(r.relations ?? []), ...relations.map((x) => ({ ruleId: x.ruleId, verdict: x.held ? ('exact' as const) : ('fail' as const), figures: x.figures }))];
    return checked;
  });
}
