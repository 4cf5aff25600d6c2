import { getJson, queryString } from '../api.js';
import { h, message, replace, setTitle } from '../dom.js';
import { currentFilters, filterForm } from '../filters.js';
import type { Paged } from '../types.js';

/** 导出: the documents (and their findings) of the current filter as an Excel workbook or CSV. */
export async function exportPage(main: HTMLElement): Promise<void> {
  setTitle('导出');
  let current = currentFilters();
  const summary = h('div', { class: 'export-summary' });
  const xlsx = h('a', { class: 'button primary', id: 'export-xlsx', download: '' }, '下载 Excel（.xlsx）');
  const csv = h('a', { class: 'button', id: 'export-csv', download: '' }, '下载 CSV');
  const { form } = filterForm(current, {
    withQuery: true,
    submitLabel: '更新',
    onSubmit: (params) => {
      current = params;
      history.replaceState(null, '', `/export${queryString(params)}`);
      void refresh();
    },
  });
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, '导出')),
    h('p', { class: 'lead' }, '按下列条件导出档案库中的报告。Excel 文件包含两张工作表：“documents”（每份文档一行，含各项字段金额，单位：元）和“findings”（每条发现一行，含实际值、应为值、计算过程和审核结论）；CSV 只含文档表。'),
    form,
    summary,
    h('div', { class: 'export-actions' }, xlsx, csv),
  );
  const refresh = async () => {
    xlsx.href = `/api/export.xlsx${queryString(current)}`;
    csv.href = `/api/export.csv${queryString(current)}`;
    try {
      const api = new URLSearchParams(current);
      api.set('limit', '1');
      const data = await getJson<Paged>(`/api/documents${queryString(api)}`);
      replace(summary, message(data.total ? 'ok' : 'info', data.total ? `符合条件的文档：${data.total.toLocaleString('zh-CN')} 份。` : '没有符合条件的文档，导出的文件将只有表头。'));
    } catch (error) {
      replace(summary, message('error', (error as Error).message));
    }
  };
  await refresh();
}
