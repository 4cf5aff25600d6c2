import type { Figure } from '../figures/types.js';
import { analyseLabel } from '../figures/label.js';
import { spanIndexAt } from '../text/segment.js';
import { type DocumentFacts, isChangeAmount, isHeadingText, isLevelAmount, itemNumber } from './context.js';
import { intersects, intervalOf, sumIntervals } from './interval.js';
import { labelSimilarity } from './similarity.js';

export type Relation = 'equal' | 'atMost' | 'auto';

export interface Introducer {
  /** A RegExp source; a named group `label` (as in `(?<label>…)中,`) names the total instead of position. */
  pattern: string;
  relation: Relation;
}

/** A stated total and the parts a report lists for it ("合计X，其中：A，B，C"). */
export interface Breakdown {
  introducerText: string;
  relation: 'equal' | 'atMost';
  total: Figure;
  parts: Figure[];
  /** Level totals: the change stated for the total and for each part (比上年减少…), where stated. */
  totalChange?: Figure;
  partChanges: (Figure | undefined)[];
  /** The total is itself a change (比上年减少0.41万元，其中：…增加0.05万元…); parts are signed changes. */
  ofChanges: boolean;
}

const compatibleStage = (total: Figure, part: Figure): boolean =>
  !total.stage || !part.stage || total.stage === part.stage;

/** The nearest earlier level amount whose label names the same item as `labelText` ("…支出决算中"). */
function totalByLabel(facts: DocumentFacts, labelText: string, before: number): Figure | undefined {
  const wanted = analyseLabel(labelText);
  if (!wanted.key) return undefined;
  for (let i = facts.figures.length - 1; i >= 0; i--) {
    const f = facts.figures[i]!;
    if (f.start >= before || !isLevelAmount(f)) continue;
    if (wanted.stage && f.stage && wanted.stage !== f.stage) continue;
    if (labelSimilarity(wanted.key, f.key) >= 0.8) return f;
  }
  return undefined;
}

/** Parts after the introducer up to `end`, with each part's change figure (the first change before the next part). */
function partsIn(facts: DocumentFacts, total: Figure, ofChanges: boolean, from: number, end: number) {
  const parts: Figure[] = [];
  const partChanges: (Figure | undefined)[] = [];
  for (const f of facts.figures) {
    if (f.start < from || f.start >= end || f.kind !== 'amount') continue;
    if (ofChanges) {
      if (isChangeAmount(f)) parts.push(f);
    } else if (isLevelAmount(f)) {
      if (!compatibleStage(total, f)) continue;
      parts.push(f);
      partChanges.push(undefined);
    } else if (parts.length && partChanges[partChanges.length - 1] === undefined) {
      partChanges[partChanges.length - 1] = f;
    }
  }
  return { parts, partChanges };
}

/** "其中：" closing a block: the parts are the leading amounts of the blocks that follow, one item each. */
function partsInFollowingBlocks(facts: DocumentFacts, total: Figure, fromBlock: number) {
  const parts: Figure[] = [];
  const partChanges: (Figure | undefined)[] = [];
  for (let b = fromBlock + 1; b < facts.doc.blocks.length; b++) {
    const span = facts.doc.blocks[b]!;
    const text = facts.doc.text.slice(span.start, span.end);
    if (isHeadingText(text) || itemNumber(text) !== null) break;
    const first = (facts.byBlock.get(b) ?? []).find((f) => f.kind === 'amount');
    const firstClause = facts.doc.clauses[spanIndexAt(facts.doc.clauses, span.start)];
    if (!first || !isLevelAmount(first) || !firstClause || first.start >= firstClause.end) break;
    if (!compatibleStage(total, first)) break;
    parts.push(first);
    partChanges.push(undefined);
  }
  return { parts, partChanges };
}

function levelSumMeets(facts: DocumentFacts, total: Figure, parts: readonly Figure[]): boolean {
  const computed = sumIntervals(parts.map((p) => intervalOf(p, 'effective', facts.precision)));
  return intersects(intervalOf(total, 'effective', facts.precision), computed);
}

/** The change a sentence states right after a level figure ("…328,661万元，比上年增加115,649万元"). */
function changeStatedFor(facts: DocumentFacts, level: Figure): Figure | undefined {
  if (!isLevelAmount(level)) return undefined;
  const rest = (facts.bySentence.get(level.sentence) ?? []).filter((f) => f.kind === 'amount' && f.start > level.start);
  const next = rest[0];
  return next && isChangeAmount(next) ? next : undefined;
}

export function findBreakdowns(facts: DocumentFacts, introducers: readonly Introducer[]): Breakdown[] {
  const { doc } = facts;
  const found: Breakdown[] = [];
  const seen = new Set<string>();
  for (const intro of introducers) {
    const re = new RegExp(intro.pattern, 'gu');
    for (const m of doc.text.matchAll(re)) {
      const at = m.index;
      const after = at + m[0].length;
      const blockIndex = spanIndexAt(doc.blocks, at);
      const block = doc.blocks[blockIndex];
      if (!block) continue;
      let total: Figure | undefined;
      let totalChange: Figure | undefined;
      if (m.groups?.label !== undefined) {
        total = totalByLabel(facts, m.groups.label, at);
      } else {
        const before = (facts.byBlock.get(blockIndex) ?? []).filter((f) => f.kind === 'amount' && f.end <= at);
        const last = before[before.length - 1];
        if (last && isChangeAmount(last)) {
          // "支出1165.08万元，同比减少63.96万元。其中：…": the level is the total, the change its change.
          const level = before.filter((f) => isLevelAmount(f) && f.sentence === last.sentence).pop();
          if (level) {
            total = level;
            totalChange = last;
          } else total = last;
        } else total = last;
      }
      if (!total) continue;
      const ofChanges = isChangeAmount(total);
      const sentence = doc.sentences[spanIndexAt(doc.sentences, Math.min(after, block.end - 1))];
      const sentenceEnd = sentence && sentence.end > after ? sentence.end : after;
      // "人员经费X万元，主要包括：工资、津贴…；公用经费Y万元…": a list of kinds, not of amounts. The parts of a
      // breakdown start before its first ";".
      const firstSegmentEnd = doc.text.indexOf(';', after);
      if (firstSegmentEnd >= 0 && firstSegmentEnd < sentenceEnd && !facts.figures.some((f) => f.kind === 'amount' && f.start >= after && f.start < firstSegmentEnd)) continue;
      let { parts, partChanges } = partsIn(facts, total, ofChanges, after, sentenceEnd);
      if (!parts.length && doc.text.slice(after, block.end).trim() === '') {
        ({ parts, partChanges } = partsInFollowingBlocks(facts, total, blockIndex));
      } else if (parts.length <= 1 && !ofChanges && sentenceEnd < block.end) {
        // The list may run on over several sentences ("其中：A0万元。B204.78万元，同比…；C…。"): accept the
        // longer reading only when the report's own level figures confirm it by adding up to the total.
        const longer = partsIn(facts, total, false, after, block.end);
        if (longer.parts.length >= 2 && levelSumMeets(facts, total, longer.parts)) ({ parts, partChanges } = longer);
      }
      if (!parts.length || parts.includes(total)) continue;
      const key = `${total.id}:${parts.map((p) => p.id).join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const relation = intro.relation === 'auto' ? (parts.length === 1 ? 'atMost' : 'equal') : intro.relation;
      const breakdown: Breakdown = { introducerText: m[0], relation, total, parts, partChanges, ofChanges };
      totalChange ??= changeStatedFor(facts, total);
      if (totalChange) breakdown.totalChange = totalChange;
      found.push(breakdown);
    }
  }
  return found.sort((a, b) => a.total.start - b.total.start);
}

/** Σ parts as an interval, signed when the parts are changes. */
export function partsInterval(facts: DocumentFacts, parts: readonly Figure[], reading: 'exact' | 'effective' | 'printed', signed: boolean) {
  return sumIntervals(parts.map((p) => intervalOf(p, reading, facts.precision, signed)));
}

