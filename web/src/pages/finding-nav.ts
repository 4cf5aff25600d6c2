import type { Role } from '../rules.js';
import type { Finding } from '../types.js';

/**
 * Which finding is selected and which of its figures is in view. Selecting a finding shows its first figure;
 * stepping goes through every figure it cites — a text figure and a table cell 5,000 px further down are both
 * reachable from the card. The selection is the address's hash (#finding-<id>), so a link shows the same finding.
 */

export interface NavDeps {
  docPane: HTMLElement;
  cards: Map<string, HTMLElement>;
  findings: Finding[];
  rolesOf: (f: Finding) => Role[];
  /** After every change: the page redraws positions and counters. */
  onChange: () => void;
  /** The figure now in view (the page view follows it). */
  onFigure: (figureId: string | null) => void;
}

export class FindingNavigator {
  active: string | null = null;
  figure = 0;

  constructor(private readonly deps: NavDeps) {}

  get finding(): Finding | undefined {
    return this.deps.findings.find((f) => f.id === this.active);
  }

  /** The marks of a figure in the text pane (a figure may be drawn more than once: in the text and in a table). */
  private marks(figureId: string): HTMLElement[] {
    return Array.from(this.deps.docPane.querySelectorAll<HTMLElement>(`mark[data-figure="${CSS.escape(figureId)}"]`));
  }

  select(id: string, scroll: boolean, figure = 0): void {
    const finding = this.deps.findings.find((f) => f.id === id);
    if (!finding) return;
    this.active = id;
    this.figure = Math.max(0, Math.min(figure, finding.figures.length - 1));
    for (const [fid, card] of this.deps.cards) card.classList.toggle('active', fid === id);
    for (const m of Array.from(this.deps.docPane.querySelectorAll('mark.active'))) m.classList.remove('active', 'current', 'active-total', 'active-part', 'active-compared', 'active-context');
    const roles = this.deps.rolesOf(finding);
    finding.figures.forEach((fid, i) => {
      for (const m of this.marks(fid)) m.classList.add('active', `active-${roles[i]}`);
    });
    history.replaceState(history.state, '', `${location.pathname}${location.search}#finding-${id}`);
    this.show(scroll);
    if (scroll) this.deps.cards.get(id)?.scrollIntoView({ block: 'nearest' });
  }

  /** The next (or previous) figure of the selected finding, wrapping round. */
  stepFigure(delta: number): void {
    const finding = this.finding;
    if (!finding?.figures.length) return;
    const n = finding.figures.length;
    this.figure = (this.figure + delta + n) % n;
    this.show(true);
  }

  private show(scroll: boolean): void {
    const finding = this.finding;
    const figureId = finding?.figures[this.figure] ?? null;
    for (const m of Array.from(this.deps.docPane.querySelectorAll('mark.current'))) m.classList.remove('current');
    const mark = figureId ? this.marks(figureId)[0] : undefined;
    mark?.classList.add('current');
    // instant, not smooth: a reviewer stepping quickly must land where the key sent them
    if (scroll) mark?.scrollIntoView({ block: 'center' });
    this.deps.onFigure(figureId);
    this.deps.onChange();
  }
}
