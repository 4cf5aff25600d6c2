import { getJson } from './api.js';
import type { Finding, RuleInfo } from './types.js';

/**
 * The rules in force as the server lists them (/api/rules): their Chinese names for reviewers, the id kept for the
 * tooltip, and what each of a finding's figures is — which depends on the rule's type, not on the finding.
 */

export type Rules = Map<string, RuleInfo>;

let loaded: Promise<Rules> | undefined;
/** Fetched once per page; an empty map when the server cannot say (the ids are shown then). */
export const loadRules = (): Promise<Rules> =>
  (loaded ??= getJson<RuleInfo[]>('/api/rules').then(
    (list) => new Map(list.map((r) => [r.ruleId, r])),
    () => new Map(),
  ));

/** The rule's Chinese name; a rule without one (an added pack) by its id without the pack. */
export function ruleLabel(ruleId: string, rules: Rules): string {
  return rules.get(ruleId)?.name ?? ruleId.replace(/^[\w-]+\//, '');
}

/** The id and the full description, for a tooltip. */
export function ruleTooltip(ruleId: string, rules: Rules): string {
  const description = rules.get(ruleId)?.description;
  return description ? `${ruleId}：${description}` : ruleId;
}

/**
 * A figure's role in a finding. Rules that compute a result list it first and its operands after it (src/checks/types:
 * `[total, ...parts]`, `[pct, part, base]`); rules that hold two statements against each other cite both as equals;
 * the year rule cites the year and the amount it dates, which is context, not an operand.
 */
export type Role = 'total' | 'part' | 'compared' | 'context';

const COMPARING = new Set(['compare', 'consistent', 'table-text', 'table-table', 'field-agreement', 'prior-year', 'initial-budget']);

export function rolesOf(f: Finding, rules: Rules): Role[] {
  const type = rules.get(f.ruleId)?.type ?? (f.ruleId.startsWith('cross/') ? 'prior-year' : 'sum');
  if (type === 'year') return f.figures.map((_, i) => (i === 0 ? 'compared' : 'context'));
  if (COMPARING.has(type)) return f.figures.map(() => 'compared');
  return f.figures.map((_, i) => (i === 0 ? 'total' : 'part'));
}

/** What a reviewer reads in the legend for each role. */
export const ROLE_LABELS: Record<Role, string> = { total: '合计 / 结果', part: '分项 / 运算数', compared: '相互对照的数', context: '所指数据' };
