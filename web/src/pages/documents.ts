import { getJson, queryString } from '../api.js';
import { badge, errorText, formatTime, h, message, replace, setTitle } from '../dom.js';
import { labels } from '../labels.js';
import { rememberSequence } from '../doc-sequence.js';
import { currentFilters, filterForm } from '../filters.js';
import { fillProgress, progressCell } from '../review-progress.js';
import type { DocumentRecord, Paged } from '../types.js';

/** 文档: the archive, filtered, sorted and paged on the server (fine at tens of thousands of rows). */

const PAGE_SIZES = [20, 50, 100, 200];

export function pager(state: Paged, go: (page: number) => void): HTMLElement {
  const button = (label: string, page: number, disabled: boolean) => h('button', { type: 'button', class: 'page-btn', disabled, onclick: () => go(page) }, label);
  const jump = h('input', { type: 'number', min: '1', max: String(state.pages), value: String(state.page), class: 'page-input', 'aria-label': '页码' });
  jump.addEventListener('change', () => {
    const n = Math.min(state.pages, Math.max(1, Number(jump.value) || 1));
    go(n);
  });
  return h(
    'div',
    { class: 'pager' },
    button('首页', 1, state.page <= 1),
    button('上一页', state.page - 1, state.page <= 1),
    h('span', { class: 'page-info' }, '第 ', jump, ` / ${state.pages} 页`),
    button('下一页', state.page + 1, state.page >= state.pages),
    button('末页', state.pages, state.page >= state.pages),
    h('span', { class: 'total' }, `共 ${state.total.toLocaleString('zh-CN')} 份`),
  );
}

export function documentTitleCell(d: DocumentRecord): HTMLElement {
  return h(
    'td',
    { class: 'title-cell' },
    h('a', { href: `/documents/${d.sha256}`, class: 'doc-link', title: d.file }, d.title ?? d.file),
    d.title ? h('div', { class: 'sub' }, d.file) : null,
  );
}

export function countCell(n: number, kind: 'error' | 'warning', failed = false): HTMLElement {
  if (failed) return h('td', { class: 'num zero' }, '—');
  return h('td', { class: `num ${n ? `c-${kind}` : 'zero'}` }, String(n));
}

export async function documentsPage(main: HTMLElement): Promise<void> {
  setTitle('文档');
  const filters = currentFilters();
  const url = new URLSearchParams(location.search);
  let page = Math.max(1, Number(url.get('page')) || 1);
  let limit = PAGE_SIZES.includes(Number(url.get('limit'))) ? Number(url.get('limit')) : 50;
  let current = filters;
  const results = h('div', { class: 'results' });
  const exportLinks = h('span', { class: 'export-links' });
  const { form } = filterForm(filters, {
    withQuery: true,
    submitLabel: '查询',
    onSubmit: (params) => {
      current = params;
      page = 1;
      void load(true);
    },
    extra: [exportLinks],
  });
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, '文档'), h('a', { href: '/upload', class: 'button primary' }, '上传报告')), form, results);

  const sizeSelect = h('select', { 'aria-label': '每页条数', class: 'page-size' }, ...PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === limit }, `每页 ${n} 条`)));
  sizeSelect.addEventListener('change', () => {
    limit = Number(sizeSelect.value);
    page = 1;
    void load(true);
  });

  const load = async (push: boolean) => {
    const params = new URLSearchParams(current);
    if (page > 1) params.set('page', String(page));
    if (limit !== 50) params.set('limit', String(limit));
    if (push) history.pushState(null, '', `/documents${queryString(params)}`);
    replace(
      exportLinks,
      h('span', { class: 'muted' }, '导出当前结果：'),
      h('a', { href: `/api/export.xlsx${queryString(current)}`, class: 'button', download: '' }, 'Excel'),
      h('a', { href: `/api/export.csv${queryString(current)}`, class: 'button', download: '' }, 'CSV'),
    );
    results.classList.add('loading');
    let data: Paged & { documents: DocumentRecord[] };
    try {
      const api = new URLSearchParams(current);
      api.set('page', String(page));
      api.set('limit', String(limit));
      data = await getJson(`/api/documents${queryString(api)}`);
    } catch (error) {
      replace(results, message('error', (error as Error).message));
      return;
    } finally {
      results.classList.remove('loading');
    }
    const bar = h('div', { class: 'list-bar' }, pager(data, (p) => ((page = p), void load(true))), sizeSelect);
    /** A column header that sorts the list by it (the archive's sorts: organisation, year, errors). */
    const sortable = (label: string, sort: string, cls: string) => {
      const active = current.get('sort') === sort || (!current.get('sort') && !current.get('q') && sort === 'year');
      return h(
        'th',
        { class: `${cls} sortable${active ? ' sorted' : ''}`, title: `按${label}排序`, 'aria-sort': active ? (sort === 'org' ? 'ascending' : 'descending') : 'none' },
        h(
          'button',
          {
            type: 'button',
            class: 'th-sort',
            onclick: () => {
              current.set('sort', sort);
              page = 1;
              const select = form.querySelector<HTMLSelectElement>('select[name=sort]');
              if (select) select.value = sort;
              void load(true);
            },
          },
          label,
          active ? (sort === 'org' ? ' ▴' : ' ▾') : '',
        ),
      );
    };
    if (!data.documents.length) {
      replace(results, bar, message('info', data.total ? '这一页没有文档。' : '没有符合条件的文档。'));
      return;
    }
    const reviewCells = new Map(data.documents.map((d) => [d.sha256, progressCell()]));
    rememberSequence(current.toString() ? '筛选结果' : '文档列表', data.documents.map((d) => d.sha256));
    replace(
      results,
      bar,
      h(
        'table',
        { class: 'grid documents', id: 'documents' },
        h(
          'thead',
          {},
          h('tr', {}, sortable('单位', 'org', 'org'), h('th', {}, '标题 / 文件'), sortable('年度', 'year', 'num'), h('th', {}, '类型'), sortable('错误', 'errors', 'num'), h('th', { class: 'num' }, '警告'), h('th', {}, '状态'), h('th', {}, '审核'), h('th', { class: 'time' }, '检查时间')),
        ),
        h(
          'tbody',
          {},
          data.documents.map((d) =>
            h(
              'tr',
              { 'data-sha256': d.sha256 },
              h('td', { class: 'org', title: d.organization ?? '' }, d.organization ?? '—'),
              documentTitleCell(d),
              h('td', { class: 'num' }, d.fiscalYear === null ? '—' : String(d.fiscalYear)),
              h('td', {}, d.documentType ? (labels().documentTypes[d.documentType] ?? d.documentType) : '—'),
              countCell(d.errors, 'error', d.status === 'failed'),
              countCell(d.warnings, 'warning', d.status === 'failed'),
              h('td', { title: d.error ? errorText(d.error.code, d.error.message) : '' }, d.status === 'failed' ? badge('无法读取', 'error') : d.notAReport ? badge('未识别为报告', 'warning') : d.errors ? badge('有错误', 'error') : d.warnings ? badge('有警告', 'warning') : badge('通过', 'ok')),
              reviewCells.get(d.sha256)!,
              h('td', { class: 'time' }, formatTime(d.checkedAt)),
            ),
          ),
        ),
      ),
      h('div', { class: 'list-bar bottom' }, pager(data, (p) => ((page = p), void load(true)))),
    );
    fillProgress(reviewCells);
  };
  window.addEventListener('popstate', () => location.reload());
  await load(false);
}
