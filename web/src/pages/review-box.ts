import { ApiError, postJson } from '../api.js';
import { formatTime, h, replace } from '../dom.js';
import { labels } from '../labels.js';
import type { Finding, Review } from '../types.js';
import { requireReviewer } from '../reviewer.js';
import type { FindingsStore } from './findings-store.js';

export interface ReviewBoxDeps {
  store: FindingsStore;
  sha256: string;
  /** After a review is stored: the page redraws what depends on decisions, and moves on when `advance`. */
  onReviewed: (f: Finding, advance: boolean) => void;
}

/**
 * A finding's review box: its decision, its history, and the buttons that store a new review (确认 / 确认并下一条 /
 * 误报 / 备注). The keyboard shortcuts press these same buttons, so there is one way a review is stored.
 */
type Choice = 'accepted' | 'false-positive' | 'comment' | 'reopened';
type Send = (d: Choice, advance?: boolean) => Promise<void>;
const senders = new WeakMap<HTMLElement, Send>();

/** A decision from the keyboard on the box's finding, as its buttons store it. */
export function decide(box: HTMLElement, d: Exclude<Choice, 'comment'>, advance: boolean): void {
  void senders.get(box)?.(d, advance);
}

export function drawReview(f: Finding, box: HTMLElement, deps: ReviewBoxDeps): void {
  const { store } = deps;
  const history = store.history(f.id);
  const decision = store.decisionOf(f.id);
  const comment = h('input', { class: 'comment', placeholder: '备注（可选）', maxlength: '2000', 'aria-label': '备注' });
  const status = h('div', { class: 'review-status', role: 'status' });
  const send = async (d: Choice, advance = false) => {
    const text = comment.value.trim();
    if (d === 'comment' && !text) {
      replace(status, h('span', { class: 'c-error' }, '请先填写备注'));
      comment.focus();
      return;
    }
    const reviewer = await requireReviewer();
    if (!reviewer) {
      replace(status, h('span', { class: 'c-error' }, '请先填写审核人姓名'));
      return;
    }
    for (const b of Array.from(box.querySelectorAll('button'))) b.disabled = true;
    try {
      const review = await postJson<Review>(`/api/findings/${f.id}/review`, { sha256: deps.sha256, decision: d, reviewer, ...(text ? { comment: text } : {}) });
      store.record(f.id, review);
      drawReview(f, box, deps);
      deps.onReviewed(f, advance);
    } catch (error) {
      replace(status, h('span', { class: 'c-error' }, error instanceof ApiError ? error.message : `保存失败：${(error as Error).message}`));
      for (const b of Array.from(box.querySelectorAll('button'))) b.disabled = false;
    }
  };
  senders.set(box, send);
  // from the keyboard: c focuses the comment, Enter stores it
  comment.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.isComposing) void send('comment');
  });
  replace(
    box,
    decision ? h('div', { class: `decision decision-${decision}` }, `审核结论：${labels().decisions[decision]}`) : null,
    history.length
      ? h(
          'ul',
          { class: 'history' },
          history.map((r) => h('li', {}, h('span', { class: 'who' }, `${r.reviewer} · ${formatTime(r.at)}`), ` ${labels().decisions[r.decision] ?? r.decision}`, r.comment ? `：${r.comment}` : '')),
        )
      : null,
    h(
      'div',
      { class: 'review-actions' },
      comment,
      h('button', { type: 'button', class: 'ok', 'data-decision': 'accepted', onclick: () => void send('accepted') }, '确认'),
      h('button', { type: 'button', class: 'ok', 'data-decision': 'accepted-next', title: '确认并下一条（a）', onclick: () => void send('accepted', true) }, '确认并下一条'),
      h('button', { type: 'button', class: 'fp', 'data-decision': 'false-positive', onclick: () => void send('false-positive') }, '误报'),
      h('button', { type: 'button', class: 'note', 'data-decision': 'comment', onclick: () => void send('comment') }, '备注'),
      // a decision is never deleted: reopening records that the finding is undecided again, with who and when
      decision ? h('button', { type: 'button', class: 'reopen', 'data-decision': 'reopened', title: '重新打开（u）', onclick: () => void send('reopened') }, '重新打开') : null,
    ),
    status,
  );
  // the card's decision drives its styling and the review filter
  const card = box.closest<HTMLElement>('.card');
  if (card) card.dataset.decision = decision ?? '';
}
