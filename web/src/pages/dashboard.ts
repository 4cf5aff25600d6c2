import { getJson } from '../api.js';
import { type BarRow, barChart } from '../charts.js';
import { formatTime, h, message, replace, setTitle } from '../dom.js';
import { labels } from '../labels.js';
import { loadRules, ruleLabel, ruleTooltip } from '../rules.js';

/**
 * 概览: the home page once the archive holds documents (and one batch's, with ?batch=): what was checked, what is
 * wrong where, how far review has come, which rules reviewers reject most, and how fast the last batches went.
 */

interface Count {
  label: string;
  documents: number;
  findings: number;
}

interface Dashboard {
  documents: { total: number; checked: number; unreadable: number; withErrors: number; withFindings: number; reviewed: number };
  findings: { total: number; open: number; accepted: number; falsePositive: number };
  byRule: { ruleId: string; findings: number; open: number; accepted: number; falsePositive: number; falsePositiveRate: number | null }[];
  byUnit: Count[];
  byYear: Count[];
  byType: Count[];
  batches: { batchId: string; name: string; createdAt: string; documents: number; seconds: number | null; perMinute: number | null }[];
}

const tile = (label: string, value: number | string, id: string, kind = '') => h('div', { class: `tile ${kind}`, 'data-tile': id }, h('div', { class: 'tile-value' }, String(value)), h('div', { class: 'tile-label' }, label));
const panel = (title: string, id: string, ...body: (Node | null)[]) => h('section', { class: 'panel', id }, h('h2', {}, title), ...body);
const percent = (x: number) => `${(x * 100).toFixed(x >= 0.1 || x === 0 ? 0 : 1)}%`;
const filterLink = (key: string, value: string, batch: string | null) => (batch ? undefined : `/documents?${new URLSearchParams({ [key]: value }).toString()}`);

function countRows(counts: Count[], label: (c: Count) => string, href: (c: Count) => string | undefined): BarRow[] {
  return counts.map((c) => ({
    label: label(c),
    parts: [{ value: c.findings, kind: 'b-findings', label: '发现' }],
    note: `${c.findings} 条 · ${c.documents} 份`,
    ...(href(c) ? { href: href(c)! } : {}),
  }));
}

export async function dashboardPage(main: HTMLElement): Promise<void> {
  setTitle('概览');
  const batch = new URLSearchParams(location.search).get('batch');
  const [data, rules] = await Promise.all([getJson<Dashboard>(`/api/dashboard${batch ? `?batch=${encodeURIComponent(batch)}` : ''}`), loadRules()]);
  if (!batch && data.documents.total === 0) {
    replace(main, h('div', { class: 'page-head' }, h('h1', {}, '概览')), message('info', '档案库中还没有文档。上传报告后，这里显示检查与审核的概况。'), h('p', {}, h('a', { href: '/upload', class: 'button primary' }, '上传报告')));
    return;
  }
  const d = data.documents;
  const f = data.findings;
  const ruleRows: BarRow[] = data.byRule.map((r) => ({
    label: ruleLabel(r.ruleId, rules),
    title: ruleTooltip(r.ruleId, rules),
    parts: [
      { value: r.open, kind: 'b-open', label: '待审核' },
      { value: r.accepted, kind: 'b-accepted', label: '已确认' },
      { value: r.falsePositive, kind: 'b-fp', label: '误报' },
    ],
    note: `${r.findings}${r.open ? ` · 待审 ${r.open}` : ''}`,
    ...(filterLink('rule', r.ruleId, batch) ? { href: filterLink('rule', r.ruleId, batch)! } : {}),
  }));
  const rejected = data.byRule.filter((r) => r.falsePositiveRate !== null).sort((a, b) => b.falsePositiveRate! - a.falsePositiveRate! || b.falsePositive - a.falsePositive);
  const throughput = data.batches.filter((b) => b.perMinute !== null);
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, batch ? '批次概览' : '概览'), batch ? h('a', { href: `/batches/${encodeURIComponent(batch)}`, class: 'link' }, '返回批次') : h('a', { href: '/upload', class: 'button primary' }, '上传报告')),
    h(
      'div',
      { class: 'tiles', id: 'tiles' },
      tile('已检查文档', d.checked, 'checked'),
      tile('有错误', d.withErrors, 'with-errors', d.withErrors ? 'bad' : ''),
      tile('无法读取', d.unreadable, 'unreadable', d.unreadable ? 'bad' : ''),
      tile('已审核文档', `${d.reviewed}/${d.withFindings}`, 'reviewed'),
      tile('发现', f.total, 'findings'),
      tile('待审核发现', f.open, 'open', f.open ? 'warn' : ''),
      tile('误报', f.falsePositive, 'false-positive'),
    ),
    h(
      'div',
      { class: 'dashboard' },
      panel('按规则：审核进度', 'by-rule', ruleRows.length ? barChart(ruleRows, '各规则的发现与审核进度') : message('info', '没有发现。'), h('div', { class: 'chart-legend' }, h('span', { class: 'sw b-open' }), '待审核 ', h('span', { class: 'sw b-accepted' }), '已确认 ', h('span', { class: 'sw b-fp' }), '误报')),
      panel(
        '误报率最高的规则',
        'false-positive-rate',
        rejected.length
          ? h(
              'table',
              { class: 'grid compact' },
              h('thead', {}, h('tr', {}, h('th', {}, '规则'), h('th', { class: 'num' }, '已审核'), h('th', { class: 'num' }, '误报'), h('th', { class: 'num' }, '误报率'))),
              h('tbody', {}, rejected.slice(0, 8).map((r) => h('tr', {}, h('td', { title: ruleTooltip(r.ruleId, rules) }, ruleLabel(r.ruleId, rules)), h('td', { class: 'num' }, String(r.accepted + r.falsePositive)), h('td', { class: 'num' }, String(r.falsePositive)), h('td', { class: 'num fp-rate' }, percent(r.falsePositiveRate!))))),
            )
          : message('info', '尚无审核结论。'),
      ),
      panel('按单位（发现最多的单位）', 'by-unit', barChart(countRows(data.byUnit, (c) => c.label, (c) => filterLink('org', c.label, batch)), '各单位的发现')),
      panel('按年度', 'by-year', barChart(countRows(data.byYear, (c) => c.label, (c) => (/^\d+$/.test(c.label) ? filterLink('year', c.label, batch) : undefined)), '各年度的发现')),
      panel('按文档类型', 'by-type', barChart(countRows(data.byType, (c) => labels().documentTypes[c.label] ?? c.label, (c) => filterLink('type', c.label, batch)), '各类型的发现')),
      panel(
        batch ? '本批次用时' : '最近批次的处理速度',
        'throughput',
        throughput.length
          ? barChart(
              throughput.map((b) => ({ label: b.name || formatTime(b.createdAt), title: `${b.name} · ${formatTime(b.createdAt)}`, parts: [{ value: Math.round(b.perMinute!), kind: 'b-speed', label: '份/分钟' }], note: `${Math.round(b.perMinute!)} 份/分 · ${b.documents} 份 · ${b.seconds!.toFixed(1)} 秒`, href: `/batches/${encodeURIComponent(b.batchId)}` })),
              '最近批次每分钟检查的文档数',
            )
          : message('info', '本次服务启动以来没有已完成的批次。'),
      ),
    ),
  );
}
