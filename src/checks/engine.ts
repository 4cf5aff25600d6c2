import type { Figure } from '../figures/types.js';
import type { Evidence, Problem, Severity } from '../model.js';
import type { DocumentFacts, ProblemReport, RuleContext } from './context.js';
import type { Verdict } from './interval.js';
import type { RuleSpec } from './pack-schema.js';
import type { RuleType } from './rule-type.js';
import { RULE_TYPES } from './types/index.js';

/** A rule ready to run: its pack entry, its type's code, and the severity in force after configuration. */
export interface ActiveRule {
  ruleId: string;
  spec: RuleSpec;
  severity: Severity;
}

/** One relation a rule evaluated: the rule, its verdict and its figures (stated result first). */
export interface Relation {
  ruleId: string;
  verdict: Verdict;
  figures: readonly Figure[];
}

export interface Tally {
  run: number;
  passed: number;
  failed: number;
  roundingOnly: number;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The most a finding may claim on its evidence: only explicit structure can make an error. */
const EVIDENCE_CAP: Record<Evidence, Severity> = { structure: 'error', label: 'warning', proximity: 'info' };

const lower = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b);

/** A finding's severity: the rule's, lowered to what the rule asked for and to what its evidence can carry. */
export const capSeverity = (rule: Severity, asked: Severity | undefined, evidence: Evidence): Severity =>
  lower(lower(rule, asked ?? rule), EVIDENCE_CAP[evidence]);

const TYPES = new Map<string, RuleType>(RULE_TYPES.map((t) => [t.type, t as RuleType]));

export function typeOf(spec: RuleSpec): RuleType {
  return TYPES.get(spec.type)!;
}

/** Fills {{name}} placeholders; an unknown name stays visible rather than silently vanishing. */
export function renderMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in data ? String(data[name]) : whole));
}

/** A rule that broke (threw, or reported a messageId its type does not have): the rule's fault, not the document's. */
export interface RuleFailure {
  ruleId: string;
  message: string;
}

/**
 * What a problem says: its figures and its claim. Two rules finding the same figures wrong in the same way (a named
 * sum and a listed sum) are one problem for a reviewer; the same figures with another expected value are another.
 */
const claimOf = (p: ProblemReport): string => `${p.figures.map((f) => f.id).sort().join(',')}|${p.expected ?? ''}|${p.actual ?? ''}`;

export function runRules(
  facts: DocumentFacts,
  rules: readonly ActiveRule[],
): { problems: Problem[]; tally: Tally; relations: Relation[]; ruleFailures: RuleFailure[] } {
  const problems: Problem[] = [];
  const relations: Relation[] = [];
  const ruleFailures: RuleFailure[] = [];
  const tally: Tally = { run: 0, passed: 0, failed: 0, roundingOnly: 0 };
  // One problem per claim, stated at the higher severity, so a rule switched to info never hides another's error.
  const byClaim = new Map<string, number>();
  for (const rule of rules) {
    const type = typeOf(rule.spec);
    const messages = { ...type.meta.messages, ...rule.spec.messages };
    const ctx: RuleContext = {
      ...facts,
      tally(verdict: Verdict, figures: readonly Figure[]) {
        relations.push({ ruleId: rule.ruleId, verdict, figures });
        tally.run++;
        if (verdict === 'fail') tally.failed++;
        else tally.passed++;
        if (verdict === 'rounding' || verdict === 'tail') tally.roundingOnly++;
      },
      report(p: ProblemReport) {
        const severity = capSeverity(rule.severity, p.severity, p.evidence);
        const identity = claimOf(p);
        const earlier = byClaim.get(identity);
        if (earlier !== undefined && SEVERITY_RANK[problems[earlier]!.severity] >= SEVERITY_RANK[severity]) return;
        const template = messages[p.messageId];
        if (template === undefined) throw new Error(`rule ${rule.ruleId} reported unknown messageId ${p.messageId}`);
        const problem: Problem = {
          ruleId: rule.ruleId,
          messageId: p.messageId,
          severity,
          evidence: p.evidence,
          message: renderMessage(template, p.data),
          primary: p.primary,
          figures: p.figures,
        };
        if (p.expected !== undefined) problem.expected = p.expected;
        if (p.actual !== undefined) problem.actual = p.actual;
        if (p.calculation !== undefined) problem.calculation = p.calculation;
        if (earlier !== undefined) problems[earlier] = problem;
        else byClaim.set(identity, problems.push(problem) - 1);
      },
    };
    try {
      type.check(ctx, rule.spec.options);
    } catch (error) {
      // the document's other rules still run; what this rule reported before it broke stands
      ruleFailures.push({ ruleId: rule.ruleId, message: (error as Error).message });
    }
  }
  return { problems, tally, relations, ruleFailures };
}
