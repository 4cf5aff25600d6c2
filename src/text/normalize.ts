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

/** Folds widths one-to-one and removes every match of `strip` (e.g. Word's "[bookmark: _GoBack]" export residue). */
export function normalizeText(original: string, strip: readonly RegExp[] = []): NormalizedText {
  const removed = new Uint8Array(original.length);
  for (const pattern of strip) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
    for (const m of original.matchAll(global)) removed.fill(1, m.index, m.index + m[0].length);
  }
  let text = '';
  const origin: number[] = [];
  for (let i = 0; i < original.length; i++) {
    if (removed[i]) continue;
    text += foldChar(original[i]!);
    origin.push(i);
  }
  origin.push(original.length);
  return { text, origin: Int32Array.from(origin) };
}

/** Maps a normalized span to the original text's span. */
export function toOriginal(n: NormalizedText, start: number, end: number): { start: number; end: number } {
  const s = n.origin[start] ?? n.origin[n.origin.length - 1]!;
  const e = end > start ? n.origin[end - 1]! + 1 : s;
  return { start: s, end: e };
}
