import type { Review } from '../types.js';

/**
 * The reviews of one report's findings, by finding: what the review box shows and what the review filter asks.
 * A finding's decision is its last review that is not a comment.
 */
export class FindingsStore {
  private readonly byFinding = new Map<string, Review[]>();

  constructor(reviews: readonly Review[]) {
    for (const r of reviews) this.record(r.fingerprint, r);
  }

  history(id: string): Review[] {
    return this.byFinding.get(id) ?? [];
  }

  decisionOf(id: string): Review['decision'] | null {
    const decided = this.history(id).filter((r) => r.decision !== 'comment');
    return decided.length ? decided[decided.length - 1]!.decision : null;
  }

  record(id: string, review: Review): void {
    this.byFinding.set(id, [...this.history(id), review]);
  }
}
