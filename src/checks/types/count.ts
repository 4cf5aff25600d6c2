import { z } from 'zod';
import { isHeading } from '../../outline.js';
import { Pattern } from '../pattern.js';
import type { Figure } from '../../figures/types.js';
import { spanIndexAt } from '../../text/segment.js';
import { itemNumber, isLevelAmount, listItemNumber, numberStyle, type RuleContext } from '../context.js';
import { nameOf } from '../format.js';
import { defineRuleType } from '../rule-type.js';
import { labelSimilarity, SAME_ITEM_SIMILARITY } from '../similarity.js';
import { compiled } from '../regex.js';

const Options = z.object({
  /** RegExp source of a list introducer (分别是：, 具体为：, 具体包括（…）：). */
  listIntroducer: Pattern,
  /** Classifiers whose counts announce listed items. */
  classifiers: z.array(z.string()).default(['个', '项', '家', '所', '类', '名', '处', '种', '批']),
  labelSimilarity: z
    .number()
    .min(0)
    .max(1)
    .default(SAME_ITEM_SIMILARITY)
    .describe('How alike (0..1) the words before a list introducer (内设股室分别是：) and a count stated earlier must be for the count to be the list\'s.'),
});

/** 一是…；二是… or (1)…(2)…: points that may hold commas of their own, counted by their markers. */
const ORDINAL_POINT = /(?<=^|[\s,;:])(?:[一二三四五六七八九十]+是|\(\d{1,2}\))/gu;

/**
 * Items after an introducer up to the sentence end: one per ordinal point (一是、二是), else one per amount when
 * they carry amounts, else split on 、，；.
 */
function listedItems(ctx: RuleContext, from: number, to: number): { count: number; items: string[]; figures: Figure[] } {
  let region = ctx.doc.text.slice(from, to).replace(/[。.]\s*$/, '');
  const points = [...region.matchAll(ORDINAL_POINT)];
  if (points.length >= 2) {
    const items = points.map((m, i) => region.slice(m.index, points[i + 1]?.index ?? region.length).replace(/[\s,;]+$/, ''));
    return { count: items.length, items, figures: [] };
  }
  // items joined by 、 end at the first top-level ，or ；: "A、B、C，涉及资金…" / "A（86万元）、B（124.5万元），合计…"
  const listEnd = endOfEnumeration(region);
  region = region.slice(0, listEnd);
  to = from + listEnd;
  const amounts = ctx.figures.filter((f) => f.start >= from && f.start < to && isLevelAmount(f));
  if (amounts.length >= 2) return { count: amounts.length, items: amounts.map((a) => a.key || a.text), figures: amounts };
  // split at top level only: 社区戒毒（康复、帮扶）stays one item
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of region) {
    if ('(“《'.includes(ch)) depth++;
    if (')”》'.includes(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && '、,;'.includes(ch)) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  const named = items.map((s) => s.trim()).filter((s) => s && !/^(?:等|等等)$/.test(s));
  return { count: named.length, items: named, figures: [] };
}

/** Where a 、-joined enumeration ends: the first top-level "," or ";" after a top-level "、" (else the region's end). */
function endOfEnumeration(region: string): number {
  let depth = 0;
  let enumerated = false;
  for (let i = 0; i < region.length; i++) {
    const ch = region[i]!;
    if ('(“《'.includes(ch)) depth++;
    else if (')”》'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && ch === '、') enumerated = true;
    else if (depth === 0 && enumerated && (ch === ',' || ch === ';')) return i;
  }
  return region.length;
}

/**
 * "具体包括：" closing a paragraph: the numbered paragraphs 1, 2, 3 … that follow are the items. Items numbered
 * (一)(二)(三) are items however short (a short one reads like a heading); a heading or an item of another numbering
 * style ends the list.
 */
function numberedItems(ctx: RuleContext, block: number): string[] {
  const items: string[] = [];
  let style: string | undefined;
  for (let b = block + 1; b < ctx.doc.blocks.length; b++) {
    const span = ctx.doc.blocks[b]!;
    const text = ctx.doc.text.slice(span.start, span.end);
    const chinese = itemNumber(text) === null;
    if ((!chinese && isHeading(text)) || listItemNumber(text) !== items.length + 1) break;
    style ??= numberStyle(text);
    if (numberStyle(text) !== style) break;
    items.push(text.trim());
  }
  return items;
}

export default defineRuleType({
  type: 'count',
  meta: {
    description: 'A stated number of items (4个项目) matches the items the report then lists.',
    messages: {
      countMismatch: '文中称{{label}}{{n}}{{classifier}}，但随后列举了{{actual}}项：{{items}}',
    },
    options: Options,
  },
  check(ctx, options) {
    const re = compiled(options.listIntroducer, 'gu');
    for (const m of ctx.doc.text.matchAll(re)) {
      const at = m.index;
      const after = at + m[0].length;
      const sentenceIndex = spanIndexAt(ctx.doc.sentences, at);
      const sentence = ctx.doc.sentences[sentenceIndex];
      const blockIndex = spanIndexAt(ctx.doc.blocks, at);
      const block = ctx.doc.blocks[blockIndex];
      if (!sentence || !block) continue;
      const tail = ctx.doc.text.slice(after, block.end);
      const listed = tail.trim() === '' ? { count: 0, items: numberedItems(ctx, blockIndex), figures: [] as Figure[] } : listedItems(ctx, after, sentence.end);
      const actual = listed.count || listed.items.length;
      if (actual < 2) continue;
      const isCount = (f: Figure) => f.kind === 'count' && f.classifier !== undefined && options.classifiers.includes(f.classifier);
      const sameSentence = (ctx.bySentence.get(sentenceIndex) ?? []).filter((f) => isCount(f) && f.end <= at);
      // "内设股室分别是：" names its list: the count stated for the same label earlier in the paragraph or the one before.
      const listLabel = ctx.doc.text.slice(sentence.start, at).replace(/^[\s,;:]+/, '');
      const byLabel = listLabel.length >= 2
        ? ctx.figures.filter((f) => isCount(f) && f.start < at && f.block >= blockIndex - 1 && labelSimilarity(listLabel, f.key) >= options.labelSimilarity).pop()
        : undefined;
      const stated = sameSentence[sameSentence.length - 1] ?? byLabel;
      if (!stated || stated.bound === 'approx') continue;
      const n = Number(stated.value.units) / 10 ** stated.value.scale;
      const ok =
        stated.bound === 'atLeast' ? actual >= n : stated.bound === 'atMost' ? actual <= n : actual === n;
      // "行政单位1家，事业单位4家，具体包括：" announces 1 + 4 items.
      const sumOfCounts = sameSentence.filter((f) => f.classifier === stated.classifier).reduce((s, f) => s + Number(f.value.units), 0);
      ctx.tally(ok || sumOfCounts === actual ? 'exact' : 'fail', [stated]);
      if (ok || sumOfCounts === actual) continue;
      ctx.report({ evidence: 'structure',
        messageId: 'countMismatch',
        data: {
          label: nameOf(stated) || stated.noun || '',
          n,
          classifier: stated.classifier ?? '',
          actual,
          items: listed.items.map((s) => s.slice(0, 20)).join('、'),
        },
        primary: stated,
        figures: [stated, ...listed.figures],
        expected: String(actual),
        actual: String(n),
        calculation: `列举${actual}项 ≠ ${stated.text}`,
      });
    }
  },
});
