import { z } from 'zod';
import { DocumentTypeSchema } from '../model.js';
import { Pattern } from './pattern.js';
import { RULE_TYPES } from './types/index.js';
import { CROSS_RULE_TYPES } from './cross/types/index.js';

const Id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case words joined by "-"');


export const RuleSeverity = z.enum(['error', 'warning', 'info', 'off']);

const Examples = z.object({
  /** Texts on which the rule must report nothing. */
  valid: z.array(z.string().min(1)).default([]),
  /** Texts on which the rule must report exactly these problems, each citing a figure whose text contains `cites`. */
  invalid: z
    .array(z.object({ text: z.string().min(1), errors: z.array(z.object({ messageId: z.string(), cites: z.string().optional() })).min(1) }))
    .default([]),
});

const RuleBase = z.object({
  id: Id,
  severity: RuleSeverity.default('error'),
  /** A short Chinese name for reviewers (the web app's cards and filters); the id stays the stable key. */
  name: z.string().min(1).max(40).optional(),
  description: z.string().min(1),
  /** messageId → zh-CN template overriding the rule type's default. */
  messages: z.record(z.string(), z.string()).optional(),
  examples: Examples.prefault({}),
});

const ruleSchemas = RULE_TYPES.map((t) => RuleBase.extend({ type: z.literal(t.type), options: t.meta.options }));
export const RuleSchema = z.discriminatedUnion('type', ruleSchemas as unknown as [(typeof ruleSchemas)[number], ...(typeof ruleSchemas)[number][]]);
export type RuleSpec = z.infer<typeof RuleSchema>;

/**
 * A cross-document rule's examples: sets of documents (texts, each read as one report). `document` is the index of
 * the text whose finding it is.
 */
const CrossExamples = z.object({
  valid: z.array(z.object({ documents: z.array(z.string().min(1)).min(2) })).default([]),
  invalid: z
    .array(
      z.object({
        documents: z.array(z.string().min(1)).min(2),
        errors: z.array(z.object({ messageId: z.string(), document: z.number().int().nonnegative(), cites: z.string().optional() })).min(1),
      }),
    )
    .default([]),
});

const crossRuleSchemas = CROSS_RULE_TYPES.map((t) =>
  RuleBase.omit({ examples: true }).extend({ type: z.literal(t.type), options: t.meta.options, examples: CrossExamples.prefault({}) }),
);
export const CrossRuleSchema = z.discriminatedUnion(
  'type',
  crossRuleSchemas as unknown as [(typeof crossRuleSchemas)[number], ...(typeof crossRuleSchemas)[number][]],
);
export type CrossRuleSpec = z.infer<typeof CrossRuleSchema>;

export const FieldSchema = z.object({
  /** Field name in the report, e.g. expenditure.total. */
  id: z.string().regex(/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/),
  kind: z.enum(['amount', 'count']),
  /** RegExp source matched against a figure's label (or an alias such as 全部为公务接待费). */
  label: Pattern,
  /** Stages in order of preference; "none" is a figure with no stage word. */
  prefer: z.array(z.enum(['final', 'actual', 'budget', 'budget-initial', 'budget-adjusted', 'none'])).default(['final', 'none', 'actual']),
});
export type FieldSpec = z.infer<typeof FieldSchema>;

export const PackSchema = z
  .object({
    schemaVersion: z.literal(1),
    pack: z.object({
      id: Id,
      version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/),
      title: z.string().min(1),
      /** Document types the pack applies to; "all" for every document. */
      appliesTo: z.array(z.union([DocumentTypeSchema, z.literal('all')])).default(['all']),
    }),
    normalize: z.object({ strip: z.array(Pattern).default([]) }).prefault({}),
    /** Ordered: the first whose title pattern matches the document's title decides its type. */
    documentTypes: z.array(z.object({ type: DocumentTypeSchema, title: Pattern })).default([]),
    fields: z.array(FieldSchema).default([]),
    rules: z.array(RuleSchema).default([]),
    /** Rules over a unit's documents held against each other (rule ids cross/… when the pack is `cross`). */
    cross: z.array(CrossRuleSchema).default([]),
  })
  .superRefine((pack, ctx) => {
    const seen = new Set<string>();
    // in-document and cross-document rules share the pack's id space; each example must name its type's messages
    const sections = [
      { key: 'rules', rules: pack.rules, types: RULE_TYPES as readonly { type: string; meta: { messages: Record<string, string> } }[] },
      { key: 'cross', rules: pack.cross, types: CROSS_RULE_TYPES },
    ] as const;
    for (const { key, rules, types } of sections)
      rules.forEach((rule, i) => {
        if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate rule id ${rule.id}` });
        seen.add(rule.id);
        const type = types.find((t) => t.type === rule.type)!;
        const known = new Set([...Object.keys(type.meta.messages), ...Object.keys(rule.messages ?? {})]);
        rule.examples.invalid.forEach((ex, j) =>
          ex.errors.forEach((err, k) => {
            const at = [key, i, 'examples', 'invalid', j, 'errors', k];
            if (!known.has(err.messageId)) ctx.addIssue({ code: 'custom', path: [...at, 'messageId'], message: `unknown messageId ${err.messageId}` });
            if ('document' in err && 'documents' in ex && typeof err.document === 'number' && err.document >= ex.documents.length)
              ctx.addIssue({ code: 'custom', path: [...at, 'document'], message: `no document ${err.document}` });
          }),
        );
      });
  });
export type Pack = z.infer<typeof PackSchema>;

/** User configuration (--config FILE): extra packs, rule switches and severities, limits. */
export const ConfigSchema = z.object({
  packs: z.array(z.string()).default([]),
  /** "<pack>/<rule>" → severity or "off". */
  rules: z.record(z.string(), RuleSeverity).default({}),
  /** `tail` (default): a share or rate one unit off in its last decimal is a 尾差, said as info; `strict`: a finding. */
  rounding: z.enum(['tail', 'strict']).default('tail'),
  limits: z
    .object({
      maxBytes: z.number().int().positive().optional(),
      maxInflatedBytes: z.number().int().positive().optional(),
      timeoutMs: z.number().int().positive().optional(),
      /** Heap cap of each checking thread in MB (default: sized to the host and the thread count, src/pool/heap.ts). */
      maxHeapMb: z.number().int().positive().optional(),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
