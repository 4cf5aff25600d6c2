import { z } from 'zod';
import { DocumentTypeSchema, type CrossDocument, type CrossFigure } from '../../../model.js';
import { Pattern } from '../../pattern.js';
import { inUnit, type Interval, intervalsOf, meets } from '../amounts.js';
import { defineCrossRuleType, type CrossContext, fileNameOf } from '../rule-type.js';

const Side = z.object({
  types: z.array(DocumentTypeSchema).min(1),
  forms: z.array(z.enum(['narrative', 'tables', 'both'])).default(['narrative', 'tables', 'both']),
  /**
   * The stages at which this side's figure may be compared ('none': no stage word), all by default: a 三公 budget is
   * not the 决算's, and a 绩效自评's unstaged amount may be a budget where a 决算's is its final figure.
   */
  stages: z.array(z.enum(['final', 'actual', 'budget', 'budget-initial', 'budget-adjusted', 'none'])).optional(),
});
type SideOptions = z.infer<typeof Side>;

const Options = z.object({
  /**
   * Which documents restate which: the restating side (a 说明 restates its 公开表; a 三公 说明 the 决算) is where a
   * mismatch is reported, unless its figure stands undisputed in its own document and the source's is disputed in
   * the source.
   */
  pairs: z
    .array(
      z.object({
        restating: Side,
        source: Side,
        /** Field ids (RegExp sources) held against each other; every amount field by default. */
        fields: z.array(Pattern).default(['.']),
      }),
    )
    .min(1),
});
type Pair = z.infer<typeof Options>['pairs'][number];

const fits = (side: SideOptions) => (d: CrossDocument) =>
  side.types.includes(d.documentType ?? 'unknown') && side.forms.includes(d.identity?.form ?? 'narrative');

/** The same year, and scopes that do not rule each other out (a 单位 budget is a part of its 部门's). */
const sameSet = (a: CrossDocument, b: CrossDocument) =>
  a.fiscalYear !== undefined && a.fiscalYear === b.fiscalYear && (!a.identity?.scope || !b.identity?.scope || a.identity.scope === b.identity.scope);

function fieldFigure(d: CrossDocument, field: string): CrossFigure | undefined {
  const id = d.fieldFigures?.[field];
  const f = id === undefined ? undefined : d.figures.find((g) => g.id === id);
  return f && f.kind === 'amount' ? f : undefined;
}

/** One document's statement of the field, with its interval (worked out once: it scans the document's figures). */
interface Statement {
  document: CrossDocument;
  figure: CrossFigure;
  at: Interval;
}

function compare(ctx: CrossContext, pair: Pair, field: string, restating: readonly CrossDocument[], sources: readonly CrossDocument[]) {
  const statementOf = (side: SideOptions) => (d: CrossDocument): Statement | undefined => {
    const figure = fieldFigure(d, field);
    if (!figure) return undefined;
    if (side.stages && !side.stages.includes((figure.stage ?? 'none') as NonNullable<SideOptions['stages']>[number])) return undefined;
    const at = intervalsOf(d)(figure);
    return at ? { document: d, figure, at } : undefined;
  };
  const rs = restating.map(statementOf(pair.restating)).filter((s): s is Statement => !!s);
  const ss = sources.map(statementOf(pair.source)).filter((s): s is Statement => !!s);
  if (!rs.length || !ss.length) return;
  const agree = (a: Statement, b: Statement) => meets(a.at, b.at);
  const disputed = (s: Statement) => ctx.disputed(s.document, s.figure);
  // the weight of the evidence: a source figure its own document disputes, against restated ones nobody disputes
  const sourceSuspect = ss.every(disputed) && !rs.some(disputed);
  for (const r of rs) {
    const held = ss.some((s) => agree(r, s));
    ctx.tally(r.document, held, [r.figure]);
    if (!held && !sourceSuspect) problem(ctx, field, r, ss);
  }
  if (sourceSuspect) for (const s of ss) if (!rs.some((r) => agree(r, s))) problem(ctx, field, s, rs);
}

function problem(ctx: CrossContext, field: string, flagged: Statement, others: readonly Statement[]) {
  const other = others[0]!;
  ctx.report({
    messageId: 'fieldMismatch',
    // two documents paired by the item their fields name: a pairing by label, so at most a warning
    evidence: 'label',
    document: flagged.document,
    figures: [flagged.figure],
    related: others.map((o) => ({ document: o.document, figures: [o.figure] })),
    expected: inUnit(other.at.value, flagged.figure.unit, flagged.figure.decimals),
    actual: flagged.figure.exact,
    data: {
      label: flagged.figure.label || field,
      field,
      actual: flagged.figure.text,
      expected: other.figure.text,
      other: fileNameOf(other.document),
    },
  });
}

export default defineCrossRuleType({
  type: 'field-agreement',
  meta: {
    description: 'One unit, one year: the same item in two of its documents (a 说明 and its 公开表, a 三公 说明 or a 绩效自评 and the 决算) states one amount',
    messages: {
      fieldMismatch: '{{label}}{{actual}}与同单位同年度文件《{{other}}》所载{{expected}}不一致',
    },
    options: Options,
  },
  check(ctx, options) {
    for (const pair of options.pairs) {
      const patterns = pair.fields.map((p) => new RegExp(p, 'u'));
      const restatingSets = ctx.versionSets(fits(pair.restating));
      const sourceSets = ctx.versionSets(fits(pair.source));
      for (const restating of restatingSets)
        for (const sources of sourceSets) {
          if (restating === sources || !sameSet(restating[0]!, sources[0]!)) continue;
          const fields = new Set([...restating, ...sources].flatMap((d) => Object.keys(d.fieldFigures ?? {})));
          for (const field of [...fields].sort()) if (patterns.some((p) => p.test(field))) compare(ctx, pair, field, restating, sources);
        }
    }
  },
});
