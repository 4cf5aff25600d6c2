import { z } from 'zod';
import { analyseLabel } from '../../figures/label.js';
import type { CrossDocument, CrossFigure } from '../../model.js';
import { Pattern } from '../pattern.js';
import { intervalsOf, type Interval } from './amounts.js';

/**
 * Items by name across documents: a label's key (analyseLabel's, without the words that name last year and without
 * quotes) is what one document and another call the same item.
 */
const QUOTES = /[“”‘’"'「」『』\s]/g;

/** The options of the rule types that pair items by name. */
export const LabelWords = z.object({
  /** Words naming last year in a label (上年“三公”经费支出决算为6.30万元). */
  priorWords: Pattern.default('上一?年度?|去年'),
  /** Labels that name last year but mean money carried into this one (上年结转), not last year's value of an item. */
  carryOver: Pattern.default('上年结转|上年结余'),
  /** The word before a baseline year figure (比2024年 / 较2024年度 / 与2024年相比). */
  baselineWord: Pattern.default('^(?:比|较|与|同比)$'),
  /** Characters a label key needs to name an item at all (shorter keys pair unrelated figures). */
  minKeyLength: z.number().int().positive().default(2),
});
type LabelWords = z.infer<typeof LabelWords>;

export function vocabulary(options: LabelWords) {
  const prior = new RegExp(options.priorWords, 'u');
  const priorAll = new RegExp(options.priorWords, 'gu');
  const carry = new RegExp(options.carryOver, 'u');
  const baseline = new RegExp(options.baselineWord, 'u');
  const namesPriorYear = (label: string) => !carry.test(label) && prior.test(label);
  const keyOf = (label: string) => analyseLabel(label.replace(priorAll, '')).key.replace(QUOTES, '');
  return { priorAll, baseline, namesPriorYear, keyOf, minKeyLength: options.minKeyLength };
}

export type Vocabulary = ReturnType<typeof vocabulary>;

/** A level: an amount that is not a change and names an item. */
export const isLevel = (f: CrossFigure): boolean => f.kind === 'amount' && !f.direction && f.label !== '';

export interface Statement {
  figure: CrossFigure;
  at: Interval;
}

/** What a document states, by label key: its levels (those `where` accepts) that are not about the year before. */
export function statementsOf(d: CrossDocument, words: Vocabulary, where: (f: CrossFigure) => boolean = () => true): Map<string, Statement[]> {
  const interval = intervalsOf(d);
  const byKey = new Map<string, Statement[]>();
  for (const f of d.figures) {
    const at = isLevel(f) && !words.namesPriorYear(f.label) && where(f) ? interval(f) : undefined;
    if (!at) continue;
    const key = words.keyOf(f.label);
    byKey.set(key, [...(byKey.get(key) ?? []), { figure: f, at }]);
  }
  return byKey;
}


/** Stages that do not rule each other out: the same, or one of them unstated. */
export const compatible = (a: string | undefined, b: string | undefined): boolean => !a || !b || a === b;
