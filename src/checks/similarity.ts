import { tokenize } from '../text/tokenize.js';

function bigrams(s: string): string[] {
  const chars = [...s.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '')];
  if (chars.length < 2) return chars;
  return chars.slice(1).map((c, i) => chars[i]! + c);
}

/** Labels recur across comparisons within a document and across documents: segment each once. */
const tokenCache = new Map<string, string[]>();
const TOKEN_CACHE_LIMIT = 50_000;

function tokensOf(label: string): string[] {
  let tokens = tokenCache.get(label);
  if (!tokens) {
    if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
    tokens = tokenize(label);
    tokenCache.set(label, tokens);
  }
  return tokens;
}

function dice(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  const pool = new Map<string, number>();
  for (const x of a) pool.set(x, (pool.get(x) ?? 0) + 1);
  let shared = 0;
  for (const y of b) {
    const n = pool.get(y) ?? 0;
    if (n > 0) {
      shared++;
      pool.set(y, n - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * The similarity at which two labels name the same item (三公经费支出 / “三公”经费支出决算): the default of the rule
 * types' similarity options, and the cut-off of the shared look-ups (a total named by its label, an earlier level).
 */
export const SAME_ITEM_SIMILARITY = 0.8;

/**
 * A label that is only a head noun (支出, 经费, 预算资金 …) names the kind of money, not an item: "提租补贴(项):支出"
 * leaves the item before the colon, so its label is "支出". Ending with such a label says nothing.
 */
const BARE_HEAD = /^(?:(?:年初|全年|本年|上年)?(?:预算|决算|财政)?(?:支出|收入|经费|资金|费用|金额|拨款|合计|总计|总额|预算|决算))+$/u;

/**
 * How alike two item labels are, 0..1: the better of jieba-word and character-bigram overlap, and 1 when one
 * label ends with the other (检毒经费 / 财政年初预算检毒经费) and names an item rather than a bare head noun.
 */
export function labelSimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 2 && long.endsWith(short) && !BARE_HEAD.test(short)) return 1;
  const byBigrams = dice(bigrams(a), bigrams(b));
  // segmenting is the costly half: skip it when the characters already say the labels are alike
  return byBigrams >= 0.85 ? byBigrams : Math.max(byBigrams, dice(tokensOf(a), tokensOf(b)));
}
