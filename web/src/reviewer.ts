import { h } from './dom.js';

/**
 * The reviewer's name: asked once, the first time a decision is stored, and remembered in this browser — every
 * review in the archive carries a person, never the anonymous default.
 */

const KEY = 'crossfoot.reviewer';

export const reviewerName = (): string => (localStorage.getItem(KEY) ?? '').trim();

export function setReviewerName(name: string): void {
  localStorage.setItem(KEY, name.trim());
}

/** The stored name, or the one the reviewer types into a modal dialog now; null when they cancel. */
export function requireReviewer(): Promise<string | null> {
  const known = reviewerName();
  if (known) return Promise.resolve(known);
  return askReviewer('');
}

/** The dialog itself (also for changing the name): resolves with the name entered, or null. */
export function askReviewer(current: string): Promise<string | null> {
  return new Promise((resolve) => {
    const input = h('input', { id: 'reviewer-name', value: current, required: true, maxlength: '100', placeholder: '如：张三', autocomplete: 'name' });
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, '审核人'),
      h('p', {}, '审核结论会记录审核人姓名。请填写一次，本浏览器会记住。'),
      h('label', { class: 'field' }, h('span', {}, '姓名'), input),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'submit', class: 'primary', value: 'ok' }, '保存'), h('button', { type: 'button', value: 'cancel', onclick: () => dialog.close('cancel') }, '取消')),
    );
    const dialog = h('dialog', { class: 'reviewer-dialog', id: 'reviewer-dialog' }, form);
    dialog.addEventListener('close', () => {
      const name = input.value.trim();
      dialog.remove();
      if (dialog.returnValue === 'ok' && name) {
        setReviewerName(name);
        resolve(name);
      } else resolve(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
