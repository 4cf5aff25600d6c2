import type { CrossDocument, CrossProblem, Severity } from '../../model.js';
import { capSeverity, renderMessage } from '../engine.js';
import type { CrossRuleSpec } from '../pack-schema.js';
import type { CrossContext, CrossRuleType } from './rule-type.js';
import { CROSS_RULE_TYPES } from './types/index.js';

export interface ActiveCrossRule {
  ruleId: string;
  spec: CrossRuleSpec;
  severity: Severity;
}

export interface CrossTally {
  run: number;
  passed: number;
  failed: number;
  /** Each relation's figures in this document, and whether it held. */
  relations: { ruleId: string; held: boolean; figures: string[] }[];
}

/** Versions of one document: the same unit, kind, year, scope and form (a DOCX and its PDF, a re-submission). */
const versionKey = (d: CrossDocument) =>
  [d.identity?.organizationKey, d.documentType, d.fiscalYear, d.identity?.scope ?? '', d.identity?.form].join('\u0000');

const typeOf = (spec: CrossRuleSpec) => CROSS_RULE_TYPES.find((t) => t.type === spec.type)! as CrossRuleType;

/**
 * Runs the cross-document rules over the documents of one unit. The result does not depend on the order in which
 * the documents came: they are taken by content (sha256), and each finding is attached to one document.
 */
export function runCrossRules(
  documents: readonly CrossDocument[],
  rules: readonly ActiveCrossRule[],
): { problems: CrossProblem[]; tallies: Map<CrossDocument, CrossTally>; failures: { ruleId: string; message: string }[] } {
  const unique = [...new Map(documents.filter((d) => d.status === 'ok').map((d) => [d.sha256, d])).values()].sort((a, b) =>
    a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0,
  );
  const sets = new Map<string, CrossDocument[]>();
  for (const d of unique) sets.set(versionKey(d), [...(sets.get(versionKey(d)) ?? []), d]);
  const versionSets = [...sets.values()];
  const disputedFigures = new Map(
    unique.map((d) => [d, new Set(d.findings.filter((f) => f.severity !== 'info' && !f.ruleId.startsWith('cross/')).flatMap((f) => f.figures))]),
  );
  const tallies = new Map<CrossDocument, CrossTally>();
  const problems: CrossProblem[] = [];
  const failures: { ruleId: string; message: string }[] = [];
  for (const rule of rules) {
    const type = typeOf(rule.spec);
    const messages = { ...type.meta.messages, ...rule.spec.messages };
    const ctx: CrossContext = {
      documents: unique,
      versionSets: (where) => versionSets.filter((set) => where(set[0]!)),
      disputed: (d, f) => disputedFigures.get(d)?.has(f.id) ?? false,
      tally(d, held, figures) {
        const t = tallies.get(d) ?? { run: 0, passed: 0, failed: 0, relations: [] };
        t.relations.push({ ruleId: rule.ruleId, held, figures: figures.map((f) => f.id) });
        t.run++;
        if (held) t.passed++;
        else t.failed++;
        tallies.set(d, t);
      },
      report(p) {
        const template = messages[p.messageId];
        if (template === undefined) throw new Error(`rule ${rule.ruleId} reported unknown messageId ${p.messageId}`);
        const problem: CrossProblem = {
          ruleId: rule.ruleId,
          messageId: p.messageId,
          severity: capSeverity(rule.severity, p.severity, p.evidence),
          evidence: p.evidence,
          message: renderMessage(template, p.data),
          document: p.document,
          figures: p.figures,
          related: p.related,
          expected: p.expected,
          actual: p.actual,
        };
        if (p.calculation !== undefined) problem.calculation = p.calculation;
        problems.push(problem);
      },
    };
    try {
      type.check(ctx, rule.spec.options);
    } catch (error) {
      failures.push({ ruleId: rule.ruleId, message: (error as Error).message });
    }
  }
  return { problems, tallies, failures };
}
