import * as OpenCC from 'opencc-js';

/**
 * Width folding and artefact stripping with an offset map back to the original text, so that findings
 * always quote what the report really says (（康复） stays （康复） in messages even though rules see (康复)).
 */
const FOLD: Record<string, string> = {
  '％': '%', '（': '(', '）': ')', '：': ':', '，': ',', '；': ';', '！': '!', '？': '?', '．': '.',
  '＋': '+', '－': '-', '／': '/', '～': '~', '\u3000': ' ', '\u00a0': ' ',
};

function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xfee0); // ０-９
  // Kangxi radicals and CJK compatibility ideographs that PDF producers emit for ordinary characters (⾏ → 行)
  if ((code >= 0x2e80 && code <= 0x2fdf) || (code >= 0xf900 && code <= 0xfaff)) {
    const n = ch.normalize('NFKC');
    return n.length === 1 ? n : ch;
  }
  return FOLD[ch] ?? ch;
}

export interface NormalizedText {
  /** Folded text that the figure recognisers and checks read. */
  text: string;
  /** `origin[i]` is the offset in the original text of normalized character i; `origin[text.length]` is the end. */
  origin: Int32Array;
}

/** Characters that fold: full-width digits and punctuation, ideographic spaces, Kangxi/compatibility forms. */
const FOLDABLE = /[\uff10-\uff19％（）：，；！？．＋－／～\u3000\u00a0\u2e80-\u2fdf\uf900-\ufaff]/g;

/**
 * Folds widths one-to-one and removes every match of `strip` (e.g. Word's "[bookmark: _GoBack]" export residue)
 * and every range of `removeRanges` (page numbers inside a wrapped sentence).
 */
export function normalizeText(original: string, strip: readonly RegExp[] = [], removeRanges: readonly [number, number][] = []): NormalizedText {
  const removed: [number, number][] = [...removeRanges];
  for (const pattern of strip) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
    for (const m of original.matchAll(global)) if (m[0].length) removed.push([m.index, m.index + m[0].length]);
  }
  removed.sort((a, b) => a[0] - b[0]);
  const kept: string[] = [];
  const origin = new Int32Array(original.length + 1);
  let n = 0;
  let cursor = 0;
  const keep = (from: number, to: number) => {
    if (to <= from) return;
    kept.push(original.slice(from, to));
    for (let i = from; i < to; i++) origin[n++] = i;
  };
  for (const [from, to] of removed) {
    keep(cursor, from);
    cursor = Math.max(cursor, to);
  }
  keep(cursor, original.length);
  origin[n] = original.length;
  // every fold maps one UTF-16 unit to one, so offsets stay aligned with `origin`
  const text = simplify(kept.join('').replace(FOLDABLE, foldChar));
  return { text, origin: origin.subarray(0, n + 1) };
}

/**
 * Characters that only traditional Chinese writes, frequent in budget texts (萬元, 億元, 佔, 增長, 預算, 經費):
 * mirrored pages and Hong Kong/Taiwan-style copies use them, and the recognisers read simplified.
 */
const TRADITIONAL_HINT = /[萬億佔與為產會經費預決項撥財計實際報這們來時對說過還進開關區縣鄉鎮務額結餘購買辦機構員級採據總長減舊較應]/;

let toSimplified: ((text: string) => string) | undefined;

/**
 * Traditional → simplified, one character for one (OpenCC's character and phrase tables), so the offset map stays
 * aligned: where a phrase would change the length, each character is converted on its own instead.
 */
export function simplify(text: string): string {
  if (!TRADITIONAL_HINT.test(text)) return text;
  const convert = (toSimplified ??= OpenCC.Converter({ from: 't', to: 'cn' }));
  const whole = convert(text);
  if (whole.length === text.length) return whole;
  return Array.from(text, (ch) => {
    const one = convert(ch);
    return one.length === ch.length ? one : ch;
  }).join('');
}

/** Maps a normalized span to the original text's span. */
export function toOriginal(n: NormalizedText, start: number, end: number): { start: number; end: number } {
  const s = n.origin[start] ?? n.origin[n.origin.length - 1]!;
  const e = end > start ? n.origin[end - 1]! + 1 : s;
  return { start: s, end: e };
}
