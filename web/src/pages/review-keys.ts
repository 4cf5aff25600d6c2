import { h } from '../dom.js';

/**
 * The report page's keyboard: one table of keys, which both the handler and the help overlay (?) read, so the
 * overlay cannot list a key that does nothing.
 */

export interface KeyAction {
  keys: string[];
  label: string;
  run: () => void;
}

export function bindKeys(actions: KeyAction[]): void {
  const byKey = new Map(actions.flatMap((a) => a.keys.map((k) => [k, a] as const)));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement;
    // typing a comment or a name is not a command; Escape still leaves the field
    if (target.closest('input, textarea, select, dialog')) {
      if (e.key === 'Escape' && target.closest('input, textarea')) (target as HTMLInputElement).blur();
      return;
    }
    const action = byKey.get(e.key);
    if (!action) return;
    e.preventDefault();
    action.run();
  });
}

/** The help overlay: every key and what it does. */
export function showHelp(actions: KeyAction[]): void {
  const existing = document.getElementById('key-help') as HTMLDialogElement | null;
  if (existing) {
    existing.close();
    return;
  }
  const dialog = h(
    'dialog',
    { id: 'key-help', class: 'key-help', 'aria-label': '快捷键' },
    h('h2', {}, '快捷键'),
    h('table', {}, h('tbody', {}, actions.map((a) => h('tr', {}, h('td', {}, a.keys.map((k) => h('kbd', {}, k === ' ' ? '空格' : k))), h('td', {}, a.label))))),
    h('form', { method: 'dialog' }, h('button', { type: 'submit' }, '关闭（Esc）')),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
