import { createHash } from 'node:crypto';
import { runCrossRules } from '../checks/cross/engine.js';
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
  return { ...rest, findings: report.findings.filter((f) => !f.ruleId.startsWith(CROSS_PREFIX)) };
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
export function crossCheck(reports: readonly Report[], packs: PackSet, context: readonly Report[] = []): Report[] {
  const own = reports.map(withoutCross);
  if (!packs.crossRules.length) return own;
  const mine = new Set(own.map((r) => r.sha256));
  const others = context.filter((r) => !mine.has(r.sha256)).map(withoutCross);
  const results = new Map<string, { findings: Finding[]; documents: number; run: number; passed: number; failed: number }>();
  for (const unit of unitsOf([...own, ...others])) {
    const { problems, tallies } = runCrossRules(unit, packs.crossRules);
    const distinct = new Set(unit.map((r) => r.sha256)).size;
    for (const r of unit) {
      if (!mine.has(r.sha256)) continue;
      const t = [...tallies].find(([d]) => d.sha256 === r.sha256)?.[1] ?? { run: 0, passed: 0, failed: 0 };
      const findings = problems.filter((p) => p.document.sha256 === r.sha256).map((p) => findingOf(r, p));
      results.set(r.sha256, { findings: [...new Map(findings.map((f) => [f.id, f])).values()], documents: distinct - 1, ...t });
    }
  }
  return own.map((r) => {
    const result = results.get(r.sha256);
    if (!result) return r;
    const { findings, ...crossChecks } = result;
    return { ...r, findings: [...r.findings, ...findings].sort(byLocation), crossChecks };
  });
}
