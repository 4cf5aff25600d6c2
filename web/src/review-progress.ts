import { getJson, postJson } from './api.js';
import { badge, h, replace } from './dom.js';

/** "已审核 x/y" for the documents of a list or a batch, from /api/reviews/progress. */

export interface ReviewProgress {
  documents: Record<string, { findings: number; reviewed: number }>;
  rules: { ruleId: string; findings: number; open: number }[];
}

/** Asked in groups of 200 documents (the server's limit: the hashes travel in the address), then merged. */
export async function reviewProgress(sha256s: readonly string[]): Promise<ReviewProgress> {
  const groups: string[][] = [];
  for (let i = 0; i < sha256s.length; i += 200) groups.push(sha256s.slice(i, i + 200));
  const parts = await Promise.all(groups.map((g) => getJson<ReviewProgress>(`/api/reviews/progress?documents=${g.join(',')}`)));
  const rules = new Map<string, ReviewProgress['rules'][number]>();
  for (const r of parts.flatMap((p) => p.rules)) {
    const had = rules.get(r.ruleId);
    rules.set(r.ruleId, had ? { ruleId: r.ruleId, findings: had.findings + r.findings, open: had.open + r.open } : { ...r });
  }
  return { documents: Object.assign({}, ...parts.map((p) => p.documents)), rules: [...rules.values()].sort((a, b) => b.open - a.open || a.ruleId.localeCompare(b.ruleId)) };
}

/** The badge for one document: nothing to review, all reviewed, or how many of how many. */
export function progressBadge(p: { findings: number; reviewed: number } | undefined): HTMLElement | string {
  if (!p || !p.findings) return '—';
  return badge(`已审核 ${p.reviewed}/${p.findings}`, p.reviewed === p.findings ? 'ok' : 'muted');
}

/** Fills each document's cell (by sha256) once the progress has arrived; a failed request leaves them empty. */
export function fillProgress(cells: Map<string, HTMLElement>): void {
  void reviewProgress([...cells.keys()]).then(
    (p) => {
      for (const [sha, cell] of cells) replace(cell, progressBadge(p.documents[sha]));
    },
    () => undefined,
  );
}

export const bulkReview = (body: { documents: string[]; ruleId: string; decision: 'accepted' | 'false-positive'; comment?: string; reviewer: string }) =>
  postJson<{ reviewed: number }>('/api/reviews/bulk', body);

export const progressCell = (): HTMLElement => h('td', { class: 'review-cell' });
