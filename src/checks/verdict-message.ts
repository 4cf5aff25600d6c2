import type { Severity } from '../model.js';
import type { Verdict } from './interval.js';

/**
 * The message and severity of a relation that did not pass: a doubt from rounding (uncertain) or a 尾差 (tail)
 * is said as `info` with its own message; a failure takes the rule's severity.
 */
export function lowVerdict(
  verdict: Verdict,
  ids: { uncertain: string; tail: string; fail: string },
): { messageId: string; severity?: Severity } {
  if (verdict === 'uncertain') return { messageId: ids.uncertain, severity: 'info' };
  if (verdict === 'tail') return { messageId: ids.tail, severity: 'info' };
  return { messageId: ids.fail };
}
