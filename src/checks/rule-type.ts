import type { z } from 'zod';
import type { RuleContext } from './context.js';

/**
 * A rule type is code (one module each, ESLint-style); a rule is data: a pack entry that names a type and
 * gives its options. `messages` are the zh-CN templates with {{placeholders}}; packs may override them.
 */
export interface RuleType<Options extends z.ZodType = z.ZodType> {
  type: string;
  meta: {
    description: string;
    messages: Record<string, string>;
    options: Options;
  };
  check(ctx: RuleContext, options: z.infer<Options>): void;
}

/** Declares a rule type with its options schema, keeping the option types checked. */
export function defineRuleType<Options extends z.ZodType>(t: RuleType<Options>): RuleType<Options> {
  return t;
}
