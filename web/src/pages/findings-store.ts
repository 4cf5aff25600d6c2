import type { Review } from '../types.js';

/**
 * The reviews of one report's findings, by finding: what the review box shows and what the review filter asks.
 * A finding's decision is its last review that is not a comment; a reopened finding has none again.
 */
export class FindingsStore {
  private readonly byFinding = new Map<string, Review[]>();

  constructor(reviews: readonly Review[]) {
    for (const r of reviews) this.record(r.fingerprint, r);
  }

  history(id: string): Review[] {
    return this.byFinding.get(id) ?? [];
  }

  decisionOf(id: string): 'accepted' | 'false-positive' | null {
    const last = this.history(id).filter((r) => r.decision !== 'comment').at(-1)?.decision;
    return last === 'accepted' || last === 'false-positive' ? last : null;
  }

  record(id: string, review: Review): void {
    this.byFinding.set(id, [...this.history(id), review]);
  }
}
