import { getJson, postJson } from './api.js';
import { badge, h, replace } from './dom.js';

/** "已审核 x/y" for the documents of a list or a batch, from /api/reviews/progress. */

export interface ReviewProgress {
  documents: Record<string, { findings: number; reviewed: number }>;
  rules: { ruleId: string; findings: number; open: number }[];
}

export async function reviewProgress(sha256s: readonly string[]): Promise<ReviewProgress> {
  if (!sha256s.length) return { documents: {}, rules: [] };
  return getJson<ReviewProgress>(`/api/reviews/progress?documents=${sha256s.join(',')}`);
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
