import { getJson, queryString } from '../api.js';
import { badge, errorText, h, message, replace, setTitle, snippetNodes } from '../dom.js';
import { labels } from '../labels.js';
import { rememberSequence } from '../doc-sequence.js';
import { currentFilters, filterForm } from '../filters.js';
import type { Paged, SearchHit } from '../types.js';
import { pager } from './documents.js';

/** 搜索: Chinese full text over the archive, with its filters; matches highlighted in the snippets. */
export async function searchPage(main: HTMLElement): Promise<void> {
  setTitle('搜索');
  const filters = currentFilters();
  let page = Math.max(1, Number(new URLSearchParams(location.search).get('page')) || 1);
  let current = filters;
  const results = h('div', { class: 'results' });
  const { form } = filterForm(filters, {
    withQuery: true,
    submitLabel: '搜索',
    onSubmit: (params) => {
      current = params;
      page = 1;
      void load(true);
    },
  });
  form.classList.add('search-form');
  replace(main, h('div', { class: 'page-head' }, h('h1', {}, '全文搜索')), form, results);
  form.querySelector<HTMLInputElement>('input[name=q]')?.focus();

  const load = async (push: boolean) => {
    const params = new URLSearchParams(current);
    if (page > 1) params.set('page', String(page));
    if (push) history.pushState(null, '', `/search${queryString(params)}`);
    if (!current.get('q')) {
      replace(results, message('info', '输入中文关键词搜索档案库中的报告全文，多个词用空格分隔（每个词都须出现），可叠加年度、单位等筛选。'));
      return;
    }
    let data: Paged & { hits: SearchHit[] };
    try {
      const api = new URLSearchParams(current);
      api.set('page', String(page));
      api.set('limit', '20');
      data = await getJson(`/api/search${queryString(api)}`);
    } catch (error) {
      replace(results, message('error', (error as Error).message));
      return;
    }
    if (!data.hits.length) {
      replace(results, message('info', `没有找到包含“${current.get('q')}”的报告。`));
      return;
    }
    rememberSequence(`搜索“${current.get('q')}”`, data.hits.map((hit) => hit.sha256));
    replace(
      results,
      h('div', { class: 'list-bar' }, pager(data, (p) => ((page = p), void load(true)))),
      h(
        'ol',
        { class: 'hits', id: 'hits' },
        data.hits.map((hit) =>
          h(
            'li',
            { class: 'hit-item', 'data-sha256': hit.sha256 },
            h('div', { class: 'hit-title' }, h('a', { href: `/documents/${hit.sha256}` }, hit.title ?? hit.file)),
            h(
              'div',
              { class: 'hit-meta' },
              hit.organization ?? '单位未识别',
              ' · ',
              hit.fiscalYear === null ? '年度未识别' : `${hit.fiscalYear} 年度`,
              ' · ',
              hit.documentType ? (labels().documentTypes[hit.documentType] ?? hit.documentType) : '类型未识别',
              ' · ',
              hit.status === 'failed' ? badge(errorText(hit.error?.code, undefined) || '无法读取', 'error') : h('span', { class: hit.errors ? 'c-error' : '' }, `错误 ${hit.errors}`),
              hit.status === 'ok' ? h('span', { class: hit.warnings ? 'c-warning' : '' }, ` · 警告 ${hit.warnings}`) : null,
              h('span', { class: 'file' }, ` · ${hit.file}`),
            ),
            hit.snippet ? h('div', { class: 'snippet' }, snippetNodes(hit.snippet)) : null,
          ),
        ),
      ),
      h('div', { class: 'list-bar bottom' }, pager(data, (p) => ((page = p), void load(true)))),
    );
  };
  window.addEventListener('popstate', () => location.reload());
  await load(false);
}
