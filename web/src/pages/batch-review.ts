import { ApiError } from '../api.js';
import { rememberSequence } from '../doc-sequence.js';
import { badge, h, message, replace } from '../dom.js';
import { requireReviewer } from '../reviewer.js';
import { bulkReview, reviewProgress } from '../review-progress.js';
import { loadRules, ruleLabel, ruleTooltip } from '../rules.js';
import type { BatchStatus } from '../types.js';

/**
 * A batch's review: how far it is reviewed, and one rule's open findings across the batch decided at once (a rule
 * that reviewers reject everywhere in a batch is rejected in one step). Decisions already made one by one stand.
 */
export function batchReview(): { element: HTMLElement; update(status: BatchStatus): void } {
  const progress = h('span', { class: 'review-progress', id: 'batch-review-progress' });
  const ruleSelect = h('select', { id: 'bulk-rule', 'aria-label': '规则' });
  const decision = h('select', { id: 'bulk-decision', 'aria-label': '审核结论' }, h('option', { value: 'accepted' }, '全部确认'), h('option', { value: 'false-positive' }, '全部标为误报'));
  const comment = h('input', { id: 'bulk-comment', placeholder: '备注（可选）', maxlength: '2000', 'aria-label': '备注' });
  const apply = h('button', { type: 'button', id: 'bulk-apply', class: 'button' }, '批量审核');
  const notice = h('div', { role: 'status' });
  const form = h('div', { class: 'toolbar bulk-review', hidden: true }, h('span', {}, '按规则批量审核未审核的发现：'), ruleSelect, decision, comment, apply);
  const overview = h('a', { class: 'link', id: 'batch-dashboard' }, '批次概览');
  const element = h('section', { class: 'batch-review', 'aria-label': '审核' }, h('div', {}, progress, ' ', overview), form, notice);
  let shas: string[] = [];
  let key = '';

  async function load(): Promise<void> {
    const [p, rules] = await Promise.all([reviewProgress(shas), loadRules()]);
    const docs = Object.values(p.documents);
    const findings = docs.reduce((n, d) => n + d.findings, 0);
    const reviewed = docs.reduce((n, d) => n + d.reviewed, 0);
    replace(progress, findings ? badge(`已审核 ${reviewed}/${findings} 条发现`, reviewed === findings ? 'ok' : 'active') : '');
    const open = p.rules.filter((r) => r.open > 0);
    form.hidden = !open.length;
    replace(ruleSelect, open.map((r) => h('option', { value: r.ruleId, title: ruleTooltip(r.ruleId, rules) }, `${ruleLabel(r.ruleId, rules)}（未审核 ${r.open}）`)));
  }

  apply.addEventListener('click', async () => {
    const reviewer = await requireReviewer();
    if (!reviewer || !ruleSelect.value) return;
    apply.disabled = true;
    try {
      const text = comment.value.trim();
      const result = await bulkReview({ documents: shas, ruleId: ruleSelect.value, decision: decision.value as 'accepted' | 'false-positive', reviewer, ...(text ? { comment: text } : {}) });
      replace(notice, message('ok', `已审核 ${result.reviewed} 条发现。`));
      comment.value = '';
      await load();
    } catch (error) {
      replace(notice, message('error', error instanceof ApiError ? error.message : `批量审核失败：${(error as Error).message}`));
    } finally {
      apply.disabled = false;
    }
  });

  return {
    element,
    update(status) {
      overview.setAttribute('href', `/dashboard?batch=${encodeURIComponent(status.batchId)}`);
      const done = status.documents.filter((d) => d.state === 'done' && d.status === 'ok' && d.sha256).map((d) => d.sha256!);
      rememberSequence(`批次 ${status.name || status.batchId}`, done);
      // asked again only when the set of checked documents has changed, not on every progress event
      const next = done.join(',');
      if (next === key) return;
      key = next;
      shas = done;
      void load().catch(() => undefined);
    },
  };
}
