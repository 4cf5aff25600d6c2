import { add, type Dec, neg, shift, toFixed } from '../../../figures/decimal.js';
import type { CrossDocument, CrossFigure } from '../../../model.js';
import { inUnit, intervalsOf, meets, unitPower, type Interval } from '../amounts.js';
import { compatible, isLevel, LabelWords, statementsOf, vocabulary, type Vocabulary } from '../statements.js';
import { defineCrossRuleType, fileNameOf } from '../rule-type.js';

/** Every option has a default: a pack may name the rule type alone. */
const OptionsOrDefaults = LabelWords.prefault({});

interface Claim {
  /** The figures of this document that state it (the cited one last). */
  figures: CrossFigure[];
  name: string;
  key: string;
  stage: string | undefined;
  unit: string;
  decimals: number;
  at: Interval;
  calculation?: string;
}

const inOrder = (d: CrossDocument) => [...d.figures].sort((a, b) => a.loc.block - b.loc.block || a.loc.start - b.loc.start);

/**
 * What a document says last year's figures were: a level whose label names last year, or a baseline year (比2024年)
 * right before an amount (the prior level) or a change that names no item itself (prior = current ∓ change).
 */
function claimsOf(d: CrossDocument, words: Vocabulary): Claim[] {
  const interval = intervalsOf(d);
  const figures = inOrder(d);
  const claims: Claim[] = [];
  figures.forEach((f, i) => {
    if (isLevel(f) && words.namesPriorYear(f.label)) {
      const at = interval(f);
      if (at) claims.push({ figures: [f], name: f.label.replace(words.priorAll, ''), key: words.keyOf(f.label), stage: f.stage, unit: f.unit, decimals: f.decimals, at });
      return;
    }
    // 与上年相比增加X / 比上年减少X: a change whose label is last year alone, after the level it changes
    const changeOnLastYear =
      f.kind === 'amount' && (f.direction === 'increase' || f.direction === 'decrease') && !f.pointChange && words.namesPriorYear(f.label) && words.keyOf(f.label) === '';
    // 比2024年 / 较2024年度 (a baseline year figure) before the prior level or the change
    const baselineYear = f.kind === 'year' && Number(f.exact) === d.fiscalYear! - 1 && words.baseline.test(f.label);
    if (!changeOnLastYear && !baselineYear) return;
    const next = changeOnLastYear ? f : figures[i + 1];
    const subject = figures.slice(0, i).reverse().find((g) => g.loc.block === f.loc.block && isLevel(g) && !words.namesPriorYear(g.label));
    if (!next || !subject || next.loc.block !== f.loc.block || next.kind !== 'amount' || next.pointChange) return;
    if (baselineYear && next.label !== '') return;
    const current = interval(subject);
    const stated = interval(next);
    if (!current || !stated) return;
    const base = { name: subject.label, key: words.keyOf(subject.label), stage: subject.stage, unit: subject.unit };
    if (!next.direction) {
      claims.push({ ...base, figures: [subject, next], decimals: next.decimals, at: stated });
    } else if (next.direction !== 'flat') {
      // prior = current − change (an increase) or current + change (a decrease)
      const change: Dec = next.direction === 'increase' ? neg(stated.value) : stated.value;
      const value = add(current.value, change);
      const power = unitPower(subject.unit)!;
      const decimals = Math.max(subject.decimals, next.decimals);
      const show = (v: Dec) => toFixed(shift(v, -power), decimals);
      const calculation = `${show(current.value)} ${next.direction === 'increase' ? '−' : '+'} ${show(stated.value)} = ${show(value)}`;
      claims.push({ ...base, figures: [subject, next], decimals, at: { value, half: add(current.half, stated.half) }, calculation });
    }
  });
  return claims.filter((c) => c.key.length >= words.minKeyLength);
}


export default defineCrossRuleType({
  type: 'prior-year',
  meta: {
    description: 'What a report says last year’s figures were, against last year’s report of the same kind from the same unit',
    messages: {
      priorYearMismatch: '本报告所述上年{{name}}{{actual}}{{unit}}{{calculation}}与上年报告《{{other}}》所载{{expected}}不一致',
    },
    options: OptionsOrDefaults,
  },
  check(ctx, options) {
    const words = vocabulary(options);
    for (const set of ctx.versionSets((d) => d.fiscalYear !== undefined)) {
      const sample = set[0]!;
      // budget against budget, final against final: last year's document of the same kind and a compatible scope
      const priors = ctx
        .versionSets(
          (p) =>
            p.fiscalYear === sample.fiscalYear! - 1 &&
            p.documentType === sample.documentType &&
            (!p.identity?.scope || !sample.identity?.scope || p.identity.scope === sample.identity.scope),
        )
        .flat();
      if (!priors.length) continue;
      const statements = priors.map((p) => ({ document: p, byKey: statementsOf(p, words) }));
      for (const document of set)
        for (const claim of claimsOf(document, words)) {
          const candidates = statements.flatMap((s) =>
            (s.byKey.get(claim.key) ?? []).filter((c) => compatible(claim.stage, c.figure.stage)).map((c) => ({ ...c, document: s.document })),
          );
          if (!candidates.length) continue;
          // any version of last year's report that agrees is enough: the claim holds against the published figure
          const held = candidates.some((c) => meets(claim.at, c.at));
          ctx.tally(document, held, claim.figures);
          if (held) continue;
          const theirs = candidates[0]!;
          ctx.report({
            messageId: 'priorYearMismatch',
            // last year's figure is found in the other report by its label: a pairing, so at most a warning
            evidence: 'label',
            document,
            figures: claim.figures,
            related: [{ document: theirs.document, figures: [theirs.figure] }],
            expected: inUnit(theirs.at.value, claim.unit, claim.decimals),
            actual: toFixed(shift(claim.at.value, -unitPower(claim.unit)!), claim.decimals),
            ...(claim.calculation ? { calculation: claim.calculation } : {}),
            data: {
              name: claim.name,
              actual: toFixed(shift(claim.at.value, -unitPower(claim.unit)!), claim.decimals),
              unit: claim.unit,
              calculation: claim.calculation ? `（${claim.calculation}）` : '',
              expected: theirs.figure.text,
              other: fileNameOf(theirs.document),
            },
          });
        }
    }
  },
});
