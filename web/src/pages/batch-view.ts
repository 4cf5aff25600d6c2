import { ApiError, getJson } from '../api.js';
import { badge, errorText, h, replace, STATES } from '../dom.js';
import type { BatchDocument, BatchStatus } from '../types.js';

/** What the upload and batch pages share: following a batch by server-sent events, and drawing it. */

/**
 * Follows a batch: `onStatus` with every status the server sends, until it has completed; the server ends the
 * stream with `end` once the batch is done. While the connection is down `onProblem` gets a notice (Chinese) and
 * the stream is opened again, less and less often; `onProblem(null)` once it is back. A batch the server no
 * longer knows ends the following with the server's message.
 */
export function followBatch(batchId: string, onStatus: (status: BatchStatus) => void, onProblem?: (text: string | null) => void): () => void {
  let stopped = false;
  let failures = 0;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = `/api/batches/${encodeURIComponent(batchId)}`;
  const open = () => {
    if (stopped) return;
    source = new EventSource(`${url}/events`);
    source.addEventListener('status', (event) => {
      if (failures) onProblem?.(null);
      failures = 0;
      onStatus(JSON.parse((event as MessageEvent<string>).data) as BatchStatus);
    });
    source.addEventListener('end', () => source?.close());
    source.addEventListener('error', () => {
      if (stopped || !source) return;
      failures++;
      // CONNECTING: the browser reconnects by itself; CLOSED: the server answered with an error, or gave up
      if (source.readyState !== EventSource.CLOSED) {
        onProblem?.('连接中断，正在重试…');
        return;
      }
      const wait = Math.min(30_000, 2000 * 2 ** Math.min(failures - 1, 4));
      onProblem?.(`连接中断，正在重试…（${Math.round(wait / 1000)} 秒后）`);
      timer = setTimeout(() => {
        void getJson<BatchStatus>(url).then(
          (status) => {
            onStatus(status);
            if (!status.completed) open();
            else onProblem?.(null);
          },
          (error: unknown) => {
            if (error instanceof ApiError && error.status === 404) onProblem?.(error.message);
            else source?.dispatchEvent(new Event('error'));
          },
        );
      }, wait);
    });
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}

export function stateBadge(d: BatchDocument): HTMLElement {
  if (d.state === 'done' && d.status === 'failed') return badge('无法读取', 'error');
  if (d.state === 'done' && d.notAReport) return badge('未识别为报告', 'warning');
  if (d.state === 'done') return (d.errors ?? 0) > 0 ? badge('有错误', 'error') : (d.warnings ?? 0) > 0 ? badge('有警告', 'warning') : badge('通过', 'ok');
  if (d.state === 'failed') return badge('处理失败', 'error');
  return badge(STATES[d.state] ?? d.state, d.state === 'active' ? 'active' : 'muted');
}

const isProblem = (d: BatchDocument) => d.state === 'failed' || (d.state === 'done' && (d.status === 'failed' || (d.errors ?? 0) > 0));

export function documentRow(d: BatchDocument): HTMLTableRowElement {
  const viewable = d.state === 'done' && d.sha256;
  const cause = d.state === 'failed' || d.status === 'failed' ? errorText(d.errorCode, d.errorMessage) : d.duplicate ? '此前已检查过（同一文件），沿用已有结果' : '';
  return h(
    'tr',
    { class: isProblem(d) ? 'problem' : '', 'data-state': d.state, 'data-status': d.status ?? '' },
    h(
      'td',
      { class: 'name', title: d.name },
      viewable ? h('a', { href: `/documents/${d.sha256}` }, d.name) : d.name,
      // the unit and title, as a reviewer knows the document (the file name is often a number)
      d.organization || d.title ? h('div', { class: 'muted' }, [d.organization, d.title].filter(Boolean).join(' · ')) : null,
    ),
    h('td', {}, stateBadge(d)),
    h('td', { class: 'num' }, d.state === 'done' && d.status === 'ok' ? String(d.errors ?? 0) : ''),
    h('td', { class: 'num' }, d.state === 'done' && d.status === 'ok' ? String(d.warnings ?? 0) : ''),
    h('td', { class: 'cause' }, cause),
  );
}

export function progressBar(done: number, failed: number, total: number): HTMLElement {
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done + failed });
  const ok = h('div', { class: 'progress-done' });
  const bad = h('div', { class: 'progress-failed' });
  ok.style.width = `${total ? (done / total) * 100 : 0}%`;
  bad.style.width = `${total ? (failed / total) * 100 : 0}%`;
  bar.append(ok, bad);
  return bar;
}

export function batchCounts(s: BatchStatus): HTMLElement {
  const unreadable = s.documents.filter((d) => d.state === 'done' && d.status === 'failed').length;
  const withErrors = s.documents.filter((d) => d.state === 'done' && d.status === 'ok' && (d.errors ?? 0) > 0).length;
  return h(
    'div',
    { class: 'counts' },
    h('span', {}, `共 ${s.total} 份`),
    h('span', {}, `已完成 ${s.done}`),
    s.pending ? h('span', { class: 'c-active' }, `待检查 ${s.pending}`) : null,
    withErrors ? h('span', { class: 'c-error' }, `有错误 ${withErrors}`) : null,
    unreadable ? h('span', { class: 'c-error' }, `无法读取 ${unreadable}`) : null,
    s.failed ? h('span', { class: 'c-error' }, `处理失败 ${s.failed}`) : null,
    s.summary ? h('span', {}, `错误 ${s.summary.errors} 条 · 警告 ${s.summary.warnings} 条`) : null,
    h('span', { class: s.completed ? 'c-ok' : 'c-active', 'data-completed': s.completed ? '1' : '0' }, s.completed ? '批次已完成' : '检查进行中…'),
  );
}

export function documentsTable(): { table: HTMLTableElement; update(docs: BatchDocument[], onlyProblems: boolean): void } {
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'grid batch-docs' },
    h('thead', {}, h('tr', {}, h('th', { class: 'name' }, '文件'), h('th', { class: 'state' }, '状态'), h('th', { class: 'num' }, '错误'), h('th', { class: 'num' }, '警告'), h('th', {}, '说明'))),
    tbody,
  );
  return {
    table,
    update(docs, onlyProblems) {
      const shown = onlyProblems ? docs.filter(isProblem) : docs;
      replace(tbody, shown.length ? shown.map(documentRow) : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, onlyProblems ? '没有有问题的文件' : '没有文件')));
    },
  };
}
