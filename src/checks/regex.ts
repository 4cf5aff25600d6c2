/**
 * Patterns built from rule options, compiled once per process and shared by every document and rule that uses
 * them: the same packs run over thousands of documents, and some types built theirs per table or per figure.
 *
 * Only for regexes used with test/exec without the g or y flag, or through matchAll, replace and split (which
 * start from 0 or copy the regex): with exec on a g regex, one use's lastIndex would leak into the next.
 */
const byFlags = new Map<string, Map<string, RegExp>>();
/** Patterns that embed a year or a label differ per document; past this many the cache starts over. */
const LIMIT = 5_000;

export function compiled(source: string, flags = 'u'): RegExp {
  // keyed by the option's own string (V8 keeps its hash), not by a key concatenated per call
  let cache = byFlags.get(flags);
  if (!cache) byFlags.set(flags, (cache = new Map()));
  let re = cache.get(source);
  if (!re) {
    if (cache.size >= LIMIT) cache.clear();
    re = new RegExp(source, flags);
    cache.set(source, re);
  }
  return re;
}
