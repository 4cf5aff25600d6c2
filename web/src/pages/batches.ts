import { ApiError, getJson, postJson } from '../api.js';
import { formatTime, h, message, replace, setTitle } from '../dom.js';
import type { BatchStatus } from '../types.js';
import { batchReview } from './batch-review.js';
import { batchCounts, documentsTable, followBatch, progressBar } from './batch-view.js';

type BatchListItem = Omit<BatchStatus, 'documents'>;

/** 批次: the batches submitted through this server, newest first. */
export async function batchesPage(main: HTMLElement): Promise<void> {
  setTitle('批次');
  const body = h('div');
  const notice = h('div', { id: 'batches-notice' });
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, '批次'), h('a', { href: '/upload', class: 'button primary' }, '上传新文件')), notice, body);
  const load = async () => {
    const { batches, mode } = await getJson<{ batches: BatchListItem[]; mode: string }>('/api/batches');
    if (!batches.length) {
      replace(body, message('info', mode === 'queue' ? '本服务自启动以来尚未提交过批次（列表只含本次启动后提交的批次；之前的批次仍可用 /batches/<批次编号> 打开）。' : '还没有批次（本机检查模式下，批次记录在服务重启后清空；已检查的报告都在文档列表中）。'));
      return batches;
    }
    replace(
      body,
      h(
        'table',
        { class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, '批次'), h('th', {}, '提交时间'), h('th', { class: 'num' }, '文件数'), h('th', { class: 'progress-col' }, '进度'), h('th', { class: 'num' }, '错误'), h('th', { class: 'num' }, '无法读取'), h('th', { class: 'num' }, '处理失败'), h('th', {}, '状态'))),
        h(
          'tbody',
          {},
          batches.map((b) =>
            h(
              'tr',
              {},
              h('td', { class: 'name' }, h('a', { href: `/batches/${encodeURIComponent(b.batchId)}` }, b.name || b.batchId.slice(0, 13))),
              h('td', {}, formatTime(b.createdAt)),
              h('td', { class: 'num' }, String(b.total)),
              h('td', { class: 'progress-col' }, progressBar(b.done, b.failed, b.total)),
              h('td', { class: 'num' }, b.summary ? String(b.summary.errors) : ''),
              h('td', { class: 'num' }, b.summary ? String(b.summary.unreadable) : ''),
              h('td', { class: 'num' }, String(b.failed)),
              h('td', {}, b.completed ? '已完成' : `检查中（${b.done + b.failed}/${b.total}）`),
            ),
          ),
        ),
      ),
    );
    return batches;
  };
  // live while a batch is being checked; when the server cannot be reached, say so and keep trying, less often
  let failures = 0;
  const tick = async () => {
    if (!body.isConnected) return; // another page was opened
    let batches: BatchListItem[];
    try {
      batches = await load();
    } catch (error) {
      failures++;
      const wait = Math.min(30_000, 2000 * 2 ** (failures - 1));
      const cause = error instanceof ApiError ? error.message : '无法连接服务器';
      replace(notice, message('error', `连接中断，正在重试…（${cause}；${Math.round(wait / 1000)} 秒后第 ${failures} 次重试）`));
      setTimeout(() => void tick(), wait);
      return;
    }
    if (failures) replace(notice);
    failures = 0;
    if (batches.some((b) => !b.completed)) setTimeout(() => void tick(), 2000);
  };
  await tick();
}

/** One batch, live: progress by server-sent events, failed files with their cause, retry. */
export async function batchPage(main: HTMLElement, [batchId]: string[]): Promise<void> {
  setTitle('批次');
  let status: BatchStatus;
  try {
    status = await getJson<BatchStatus>(`/api/batches/${encodeURIComponent(batchId!)}`);
  } catch (error) {
    replace(main, h('h1', {}, '批次'), message('error', (error as Error).message), h('p', {}, h('a', { href: '/batches' }, '返回批次列表')));
    return;
  }
  const title = h('h1', {}, '批次');
  const counts = h('div');
  const bar = h('div', { class: 'bar-wrap' });
  const notice = h('div');
  const onlyProblems = h('input', { type: 'checkbox', id: 'only-problems' });
  const retry = h('button', { type: 'button', class: 'button', id: 'retry' }, '重试失败的文件');
  const docs = documentsTable();
  const review = batchReview();
  replace(
    main,
    h('div', { class: 'page-head' }, title, h('a', { href: '/batches', class: 'link' }, '全部批次')),
    h('div', { class: 'batch-head' }, bar, counts),
    notice,
    h('div', { class: 'toolbar' }, h('label', { class: 'check' }, onlyProblems, '只看有问题的文件'), retry),
    review.element,
    docs.table,
  );
  let stop = () => {};
  const draw = (s: BatchStatus) => {
    status = s;
    replace(title, `批次：${s.name || s.batchId}`, h('span', { class: 'muted title-time' }, ` · ${formatTime(s.createdAt)}`));
    replace(bar, progressBar(s.done, s.failed, s.total));
    replace(counts, batchCounts(s));
    docs.update(s.documents, onlyProblems.checked);
    review.update(s);
    const retryable = s.retryable;
    retry.disabled = !s.completed || retryable === 0;
    replace(retry, retryable ? `重试失败的文件（${retryable}）` : '重试失败的文件');
  };
  const follow = (id: string) => {
    stop();
    stop = followBatch(id, draw, (text) => replace(notice, text ? message('error', text) : null));
  };
  onlyProblems.addEventListener('change', () => draw(status));
  retry.addEventListener('click', async () => {
    retry.disabled = true;
    try {
      const next = await postJson<BatchStatus>(`/api/batches/${encodeURIComponent(status.batchId)}/retry`, {});
      if (next.batchId !== status.batchId) {
        location.href = `/batches/${encodeURIComponent(next.batchId)}`;
        return;
      }
      replace(notice, message('info', '已重新提交失败的文件。'));
      draw(next);
      follow(next.batchId);
    } catch (error) {
      replace(notice, message('error', error instanceof ApiError ? error.message : `重试失败：${(error as Error).message}`));
      retry.disabled = false;
    }
  });
  draw(status);
  if (!status.completed) follow(status.batchId);
}
