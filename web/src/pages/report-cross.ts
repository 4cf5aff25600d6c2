import { putJson } from '../api.js';
import { h } from '../dom.js';
import type { Finding, Report } from '../types.js';

/**
 * The report view's cross-document parts: the links from a finding to the other documents it was held against
 * (each opening that document with its figure marked), and the unit a document is grouped in, which a reviewer can
 * correct when the names misled the grouping.
 */

/** "#figure-f12": the figure another document's finding points at, marked and scrolled to on load. */
export const linkedFigure = (): string | null => (location.hash.startsWith('#figure-') ? decodeURIComponent(location.hash.slice('#figure-'.length)) : null);

export function relatedLinks(f: Finding): HTMLElement | null {
  if (!f.related?.length) return null;
  return h(
    'p',
    { class: 'related' },
    '对照文件：',
    f.related.flatMap((r, i) => [
      i ? '、' : '',
      h('a', { href: `/documents/${r.sha256}${r.figures[0] ? `#figure-${encodeURIComponent(r.figures[0])}` : ''}`, 'data-related': r.sha256 }, r.file),
    ]),
  );
}

export function unitControl(report: Report): HTMLElement | null {
  const identity = report.identity;
  if (report.status !== 'ok' || !identity) return null;
  const alone = identity.organizationKey?.startsWith('#');
  const label = !identity.organizationKey ? '未归组（单位未识别）' : alone ? '单独成组' : identity.organizationKey;
  const status = h('span', { class: 'muted', role: 'status' });
  const other = h('input', { type: 'text', name: 'with', placeholder: '另一文件的 sha256', 'aria-label': '同组文件的 sha256', size: 24, autocomplete: 'off' });
  const send = async (body: unknown) => {
    status.textContent = '正在重新核对…';
    try {
      await putJson(`/api/documents/${report.sha256}/unit`, body);
      location.reload();
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  };
  const form = h(
    'form',
    { class: 'unit-form' },
    other,
    h('button', { type: 'submit' }, '与该文件同组'),
    h('button', { type: 'button', 'data-action': 'alone', onclick: () => void send({ alone: true }) }, '单独成组'),
    identity.grouping === 'manual' ? h('button', { type: 'button', 'data-action': 'auto', onclick: () => void send({ auto: true }) }, '恢复自动归组') : null,
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const sha = other.value.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha)) status.textContent = '请输入另一文件完整的 64 位 sha256';
    else void send({ with: sha });
  });
  const checks = report.crossChecks;
  const unit = h(
    'details',
    { class: 'unit', id: 'unit' },
    h(
      'summary',
      {},
      `归组：${label}${identity.grouping === 'manual' ? '（人工）' : ''}`,
      checks ? h('span', { class: 'muted' }, ` · 与同单位文件核对 ${checks.run} 项关系，不一致 ${checks.failed} 项`) : null,
    ),
    form,
  );
  if (!checks?.updatedBy) return unit;
  // beside the unit, seen without opening it: why this report differs from when it was checked
  const { file, sha256 } = checks.updatedBy;
  const note = h('p', { class: 'unit-updated', role: 'note' }, '跨文件检查结果已因同单位文件 ', h('a', { href: `/documents/${sha256}`, 'data-related': sha256 }, file), ' 入库而更新（本文件未重新提交）');
  return h('div', { class: 'unit-box' }, unit, note);
}
