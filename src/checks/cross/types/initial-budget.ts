import type { CrossDocument } from '../../../model.js';
import { inUnit, intervalsOf, meets } from '../amounts.js';
import { defineCrossRuleType, fileNameOf } from '../rule-type.js';
import { LabelWords, statementsOf, vocabulary } from '../statements.js';

/** The budget stages a published 预算 states its year's money at (or no stage word at all). */
const BUDGET_STAGES = new Set([undefined, 'budget']);

const compatibleScope = (a: CrossDocument, b: CrossDocument) => !a.identity?.scope || !b.identity?.scope || a.identity.scope === b.identity.scope;

export default defineCrossRuleType({
  type: 'initial-budget',
  meta: {
    description: 'A 决算’s 年初预算 of an item against the published 预算 of that year from the same unit',
    messages: {
      initialBudgetMismatch: '{{label}}{{actual}}与同单位{{year}}年预算《{{other}}》所载{{expected}}不一致',
    },
    options: LabelWords.prefault({}),
  },
  check(ctx, options) {
    const words = vocabulary(options);
    for (const finals of ctx.versionSets((d) => d.documentType === 'final-accounts' && d.fiscalYear !== undefined)) {
      const sample = finals[0]!;
      const budgets = ctx
        .versionSets((d) => d.documentType === 'budget' && d.fiscalYear === sample.fiscalYear && compatibleScope(d, sample))
        .flat()
        .map((d) => ({ document: d, byKey: statementsOf(d, words, (f) => BUDGET_STAGES.has(f.stage)) }));
      if (!budgets.length) continue;
      for (const document of finals) {
        const interval = intervalsOf(document);
        for (const figure of document.figures) {
          if (figure.kind !== 'amount' || figure.stage !== 'budget-initial' || figure.direction || words.namesPriorYear(figure.label)) continue;
          const key = words.keyOf(figure.label);
          const at = interval(figure);
          if (!at || key.length < words.minKeyLength) continue;
          const candidates = budgets.flatMap((b) => (b.byKey.get(key) ?? []).map((s) => ({ ...s, document: b.document })));
          if (!candidates.length) continue;
          // any figure of that name in any version of the budget that agrees is enough
          const held = candidates.some((c) => meets(at, c.at));
          ctx.tally(document, held, [figure]);
          if (held) continue;
          const theirs = candidates[0]!;
          ctx.report({
            messageId: 'initialBudgetMismatch',
            // the budget's figure is found by its name: a pairing, so at most a warning
            evidence: 'label',
            document,
            figures: [figure],
            related: [{ document: theirs.document, figures: [theirs.figure] }],
            expected: inUnit(theirs.at.value, figure.unit, figure.decimals),
            actual: figure.exact,
            data: {
              label: figure.label,
              actual: figure.text,
              year: String(sample.fiscalYear),
              expected: theirs.figure.text,
              other: fileNameOf(theirs.document),
            },
          });
        }
      }
    }
  },
});
