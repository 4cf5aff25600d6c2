import { h } from './dom.js';

/**
 * Previous/next document: the list a reviewer opened a report from (a batch, a search, a page of the documents
 * list) is remembered for this tab, so the report page can step through it without going back.
 */

interface Sequence {
  /** What the list is, for the reviewer: "批次 …", "搜索“…”", "文档列表". */
  label: string;
  /** The page the list came from. */
  href: string;
  sha256s: string[];
}

const KEY = 'crossfoot.sequence';

export function rememberSequence(label: string, sha256s: readonly string[]): void {
  sessionStorage.setItem(KEY, JSON.stringify({ label, href: location.pathname + location.search, sha256s: [...new Set(sha256s)] } satisfies Sequence));
}

function current(): Sequence | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Sequence | null;
    return s && Array.isArray(s.sha256s) ? s : null;
  } catch {
    return null;
  }
}

/** The neighbours of a document in the remembered list, or null when it is not in it. */
export function neighbours(sha256: string): { prev: string | null; next: string | null; index: number; sequence: Sequence } | null {
  const sequence = current();
  const index = sequence?.sha256s.indexOf(sha256) ?? -1;
  if (!sequence || index < 0) return null;
  return { prev: sequence.sha256s[index - 1] ?? null, next: sequence.sha256s[index + 1] ?? null, index, sequence };
}

/** "‹ 上一份 · 第 i / n 份（批次 …） · 下一份 ›", or null outside a remembered list. */
export function sequenceNav(sha256: string): HTMLElement | null {
  const n = neighbours(sha256);
  if (!n) return null;
  const link = (to: string | null, label: string, id: string, key: string) =>
    to ? h('a', { href: `/documents/${to}`, id, class: 'button', title: `${label}（${key}）` }, label) : h('span', { class: 'button disabled', 'aria-disabled': 'true' }, label);
  return h(
    'nav',
    { class: 'doc-sequence', 'aria-label': '同一列表中的文档' },
    link(n.prev, '‹ 上一份', 'prev-document', '['),
    h('span', { class: 'muted' }, `第 ${n.index + 1} / ${n.sequence.sha256s.length} 份（`, h('a', { href: n.sequence.href }, n.sequence.label), '）'),
    link(n.next, '下一份 ›', 'next-document', ']'),
  );
}
