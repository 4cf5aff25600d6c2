import { h } from './dom.js';
import { labels } from './labels.js';
import { loadRules, ruleLabel } from './rules.js';

/**
 * The archive's filters as one form, shared by the documents, search and export pages. The state lives in the
 * address bar (so reload, back and a copied link keep it), and the same parameters go to the API.
 */

export const FILTER_KEYS = ['q', 'year', 'org', 'type', 'status', 'has', 'rule', 'unreviewed', 'field', 'sort'] as const;

export interface FilterForm {
  form: HTMLFormElement;
  /** The filter parameters the form describes (no paging). */
  params(): URLSearchParams;
}

function select(name: string, label: string, options: [string, string][], value: string): HTMLElement {
  return h(
    'label',
    { class: 'field' },
    h('span', {}, label),
    h('select', { name, 'aria-label': label }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))),
  );
}

function input(name: string, label: string, value: string, attrs: Record<string, string> = {}): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), h('input', { name, value, 'aria-label': label, ...attrs }));
}

/** Splits `expenditure.total>=1000000` into its parts for the three controls. */
function fieldParts(spec: string | null): [string, string, string] {
  const m = /^([\w.]+)(>=|<=|>|<|=)(.*)$/.exec(spec ?? '');
  return m ? [m[1]!, m[2]!, m[3]!] : ['', '>=', ''];
}

/** Rule ids to pick from (by their Chinese names), filled from /api/rules. */
function ruleList(): HTMLDataListElement {
  const list = h('datalist', { id: 'rule-ids' });
  void loadRules().then((rules) =>
    list.append(h('option', { value: 'cross/*' }, '跨文件检查（同一单位的文件之间）'), ...[...rules.values()].map((r) => h('option', { value: r.ruleId }, `${ruleLabel(r.ruleId, rules)}：${r.description}`))),
  );
  return list;
}

export function filterForm(current: URLSearchParams, options: { withQuery: boolean; submitLabel: string; onSubmit: (params: URLSearchParams) => void; extra?: HTMLElement[] }): FilterForm {
  const get = (k: string) => current.get(k) ?? '';
  const [fieldKey, fieldOp, fieldValue] = fieldParts(current.get('field'));
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    h(
      'div',
      { class: 'filter-row' },
      options.withQuery ? input('q', '关键词', get('q'), { type: 'search', placeholder: '中文全文，如 三公经费 公务接待', class: 'q' }) : null,
      input('year', '年度', get('year'), { type: 'number', min: '1990', max: '2100', class: 'year', placeholder: '全部' }),
      input('org', '单位', get('org'), { placeholder: '单位名称包含', class: 'org' }),
      select('type', '类型', [['', '全部'], ...Object.entries(labels().documentTypes)], get('type')),
      select('status', '读取', [['', '全部'], ['ok', '正常'], ['failed', '无法读取']], get('status')),
      select('has', '发现', [['', '不限'], ['error', '有错误'], ['warning', '有警告'], ['info', '有提示']], get('has')),
      select('sort', '排序', [['', '默认'], ['relevance', '相关度'], ['year', '年度'], ['org', '单位'], ['errors', '错误数']], get('sort')),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, options.submitLabel), h('button', { type: 'reset', class: 'link' }, '清空')),
    ),
    h(
      'div',
      { class: 'filter-row' },
      input('rule', '规则', get('rule'), { placeholder: '如 core/listed-parts-sum', class: 'rule', list: 'rule-ids', autocomplete: 'off' }),
      ruleList(),
      h(
        'label',
        { class: 'field field-range' },
        h('span', {}, '字段'),
        h('select', { name: 'fieldKey', 'aria-label': '字段' }, h('option', { value: '' }, '不限'), ...Object.entries(labels().fields).map(([k, label]) => h('option', { value: k, selected: k === fieldKey }, label))),
        h('select', { name: 'fieldOp', 'aria-label': '比较' }, ...['>=', '<=', '>', '<', '='].map((op) => h('option', { value: op, selected: op === fieldOp }, op.replace('>=', '≥').replace('<=', '≤')))),
        h('input', { name: 'fieldValue', value: fieldValue, placeholder: '元 / 人', class: 'num', 'aria-label': '数值（元或人数）', inputmode: 'decimal' }),
      ),
      h('label', { class: 'field check' }, h('input', { type: 'checkbox', name: 'unreviewed', value: '1', checked: get('unreviewed') === '1' }), h('span', {}, '仅含未审核的发现')),
      options.extra?.length ? h('div', { class: 'extra' }, ...options.extra) : null,
    ),
  );
  const params = () => {
    const data = new FormData(form);
    const out = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      if (key === 'field') continue;
      const v = data.get(key);
      if (typeof v === 'string' && v.trim()) out.set(key, v.trim());
    }
    const k = data.get('fieldKey');
    const v = data.get('fieldValue');
    if (typeof k === 'string' && k && typeof v === 'string' && v.trim()) out.set('field', `${k}${String(data.get('fieldOp') ?? '>=')}${v.trim().replace(/[,，\s]/g, '')}`);
    return out;
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    options.onSubmit(params());
  });
  form.addEventListener('reset', () => {
    setTimeout(() => {
      for (const el of Array.from(form.elements)) {
        if (el instanceof HTMLInputElement) {
          if (el.type === 'checkbox') el.checked = false;
          else el.value = '';
        } else if (el instanceof HTMLSelectElement) el.selectedIndex = 0;
      }
      options.onSubmit(params());
    });
  });
  return { form, params };
}

/** The page's filter parameters from the address bar. */
export function currentFilters(): URLSearchParams {
  const from = new URLSearchParams(location.search);
  const out = new URLSearchParams();
  for (const key of FILTER_KEYS) for (const v of from.getAll(key)) if (v) out.append(key, v);
  return out;
}
