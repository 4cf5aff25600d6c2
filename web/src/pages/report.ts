import { getJson } from '../api.js';
import { $, append, badge, DOC_TYPES, errorText, EVIDENCE, formatYuan, FIELD_LABELS, h, message, replace, setTitle, SEVERITIES } from '../dom.js';
import type { Finding, Report, Review, Severity } from '../types.js';
import { FindingsStore } from './findings-store.js';
import { figureRoles, renderText } from './report-text.js';
import { drawReview, type ReviewBoxDeps } from './review-box.js';
import { linkedFigure, relatedLinks, unitControl } from './report-cross.js';

/**
 * The report view: the document's text and tables with every figure a finding cites wrapped in
 * `<mark data-figure="<figure id>">`, and the findings beside it.
 *
 * Total and parts: every rule lists a finding's figures with the stated result first — the total of a sum, the
 * percentage of a share, the rate of a rate, the stated count of a count, the first mention of an item — and
 * its operands after it (src/checks/types: `figures: [total, ...parts]`, `[pct, part, base]`, …). So the first
 * figure of a finding is drawn as the total (orange), the others as its parts (blue); the mark of a figure that
 * is the total of one finding and a part of another says "total".
 */

interface ViewData {
  report: Report;
  text: string;
  reviews: Review[];
  /** The text's heading lines, classified on the server by the checks' outline heuristic. */
  headings: { line: number; level: 1 | 2 }[];
}

interface RuleInfo {
  ruleId: string;
  description: string;
}

const REVIEWER_KEY = 'crossfoot.reviewer';

function ruleName(ruleId: string): string {
  return ruleId.replace(/^[\w-]+\//, '');
}

function locationText(f: Finding, report: Report): string {
  const parts: string[] = [];
  if (f.loc.page) parts.push(`第 ${f.loc.page} 页`);
  if (f.loc.table) {
    const t = report.tables.find((x) => x.id === f.loc.table);
    parts.push(`表“${t?.title ?? f.loc.table}”第 ${(f.loc.row ?? 0) + 1} 行第 ${(f.loc.col ?? 0) + 1} 列`);
  } else parts.push(report.format === 'txt' ? `第 ${f.loc.line} 行` : `第 ${f.loc.line} 段`);
  return parts.join('，');
}

export async function reportPage(main: HTMLElement, [sha256]: string[]): Promise<void> {
  setTitle('报告');
  let data: ViewData;
  let rules: RuleInfo[] = [];
  try {
    [data, rules] = await Promise.all([getJson<ViewData>(`/api/documents/${sha256}/view`), getJson<RuleInfo[]>('/api/rules').catch(() => [])]);
  } catch (error) {
    replace(main, h('h1', {}, '报告'), message('error', (error as Error).message), h('p', {}, h('a', { href: '/documents' }, '返回文档列表')));
    return;
  }
  const { report, text } = data;
  const reviews = data.reviews;
  const describe = new Map(rules.map((r) => [r.ruleId, r.description]));
  setTitle(report.title ?? report.file);
  main.classList.add('wide');

  // ------------------------------------------------------------ roles and marks
  const role = figureRoles(report);
  // a figure another document's finding points at (#figure-…): marked like a cited one
  const linked = linkedFigure();
  if (linked && report.figures.some((f) => f.id === linked) && !role.has(linked)) role.set(linked, 'total');

  // ------------------------------------------------------------ header
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const fieldList = Object.entries(report.fields);
  const head = h(
    'header',
    { class: 'report-head' },
    h('h1', { id: 'report-title' }, report.title ?? report.file),
    h(
      'div',
      { class: 'meta' },
      h('span', {}, report.organization ?? '单位未识别'),
      h('span', {}, report.fiscalYear ? `${report.fiscalYear} 年度` : '年度未识别'),
      h('span', {}, report.documentType ? (DOC_TYPES[report.documentType] ?? report.documentType) : '类型未识别'),
      h('span', {}, (report.format ?? '').toUpperCase() + (report.pages ? ` · ${report.pages} 页` : '')),
      h('span', { class: 'file', title: report.sha256 }, report.file),
      unitControl(report),
      report.status === 'failed' ? badge('无法读取', 'error') : h('span', {}, badge(`错误 ${errors}`, errors ? 'error' : 'ok'), ' ', badge(`警告 ${warnings}`, warnings ? 'warning' : 'ok'), ' ', h('span', { class: 'muted' }, `已核验 ${report.checks.run} 项关系`)),
    ),
    fieldList.length
      ? h(
          'details',
          { class: 'fields' },
          h('summary', {}, `识别的字段（${fieldList.length}）`),
          h('dl', {}, fieldList.flatMap(([k, v]) => [h('dt', {}, FIELD_LABELS[k] ?? k), h('dd', {}, k.startsWith('staff.') ? `${v} 人` : formatYuan(v))])),
        )
      : null,
  );

  // ------------------------------------------------------------ document pane
  const docPane = h('section', { class: 'doc-pane', id: 'doc-pane', 'aria-label': '报告原文' });
  if (report.status === 'failed') {
    append(docPane, message('error', `这份文件无法读取：${errorText(report.error?.code, report.error?.message)}`));
  }
  append(
    docPane,
    !report.figures.some((f) => role.has(f.id))
      ? null
      : h('div', { class: 'legend' }, h('mark', { class: 'fig fig-total' }, '合计 / 结果'), h('mark', { class: 'fig fig-part' }, '分项 / 运算数'), h('span', { class: 'muted' }, '点击标记查看对应发现')),
  );
  append(docPane, renderText(report, text, role, new Map(data.headings.map((x) => [x.line, x.level]))));

  // ------------------------------------------------------------ findings pane
  const sevBoxes = (['error', 'warning', 'info'] as Severity[]).map((s) => {
    const n = report.findings.filter((f) => f.severity === s).length;
    const box = h('input', { type: 'checkbox', name: 'severity', value: s, checked: true });
    return { s, box, label: h('label', { class: `chip sev-${s}` }, box, `${SEVERITIES[s]} ${n}`) };
  });
  const ruleCounts = new Map<string, number>();
  for (const f of report.findings) ruleCounts.set(f.ruleId, (ruleCounts.get(f.ruleId) ?? 0) + 1);
  const ruleSelect = h(
    'select',
    { id: 'rule-filter', 'aria-label': '按规则筛选' },
    h('option', { value: '' }, '全部规则'),
    [...ruleCounts].sort().map(([id, n]) => h('option', { value: id, title: describe.get(id) ?? '' }, `${ruleName(id)}（${n}）`)),
  );
  const reviewSelect = h(
    'select',
    { id: 'review-filter', 'aria-label': '按审核状态筛选' },
    h('option', { value: '' }, '全部'),
    h('option', { value: 'open' }, '未审核'),
    h('option', { value: 'accepted' }, '已确认'),
    h('option', { value: 'false-positive' }, '误报'),
  );
  const position = h('span', { class: 'position', id: 'finding-position' });
  const prev = h('button', { type: 'button', id: 'prev-finding', title: '上一条（k）' }, '‹ 上一条');
  const next = h('button', { type: 'button', id: 'next-finding', title: '下一条（j）' }, '下一条 ›');
  const reviewer = h('input', { id: 'reviewer', value: localStorage.getItem(REVIEWER_KEY) ?? '', placeholder: '审核人姓名', maxlength: '100', 'aria-label': '审核人' });
  reviewer.addEventListener('change', () => localStorage.setItem(REVIEWER_KEY, reviewer.value.trim()));
  const list = h('div', { class: 'cards', id: 'findings' });
  const pane = h(
    'aside',
    { class: 'findings-pane', 'aria-label': '发现' },
    h('div', { class: 'pane-head' }, h('h2', {}, `发现（${report.findings.length}）`), h('label', { class: 'reviewer' }, '审核人 ', reviewer)),
    h('div', { class: 'pane-filters' }, h('div', { class: 'chips' }, sevBoxes.map((x) => x.label)), ruleSelect, reviewSelect),
    h('div', { class: 'pane-nav' }, prev, position, next),
    list,
  );
  replace(main, head, h('div', { class: 'report-layout' }, docPane, pane));

  // ------------------------------------------------------------ findings: state, cards, navigation
  const store = new FindingsStore(reviews);
  const decisionOf = (id: string) => store.decisionOf(id);
  const reviewDeps: ReviewBoxDeps = { store, sha256: report.sha256, reviewer: () => reviewer.value.trim(), onReviewed: () => refresh(false) };
  const cards = new Map<string, HTMLElement>();
  for (const f of report.findings) {
    cards.set(f.id, findingCard(f));
    cards.get(f.id)!.dataset.decision = decisionOf(f.id) ?? '';
  }
  let visible: Finding[] = [];
  let active: string | null = null;

  function evidenceTag(f: Finding): HTMLElement | null {
    const grade = f.evidence ? EVIDENCE[f.evidence] : undefined;
    return grade ? h('span', { class: `evidence ev-${f.evidence}`, 'data-evidence': f.evidence, title: grade.title }, `依据：${grade.label}`) : null;
  }

  function findingCard(f: Finding): HTMLElement {
    const reviewBox = h('div', { class: 'review' });
    const card = h(
      'article',
      { class: `card sev-${f.severity}`, 'data-finding': f.id, id: `finding-${f.id}`, tabindex: '0' },
      h('header', {}, badge(SEVERITIES[f.severity] ?? f.severity, f.severity), h('span', { class: 'rule', title: describe.get(f.ruleId) ?? f.ruleId }, f.ruleId), evidenceTag(f), h('span', { class: 'loc' }, locationText(f, report))),
      h('p', { class: 'msg' }, f.message),
      f.actual !== undefined || f.expected !== undefined
        ? h(
            'div',
            { class: 'values' },
            f.actual !== undefined ? h('span', { class: 'actual' }, h('span', { class: 'k' }, '文中数'), h('b', {}, f.actual)) : null,
            f.expected !== undefined ? h('span', { class: 'expected' }, h('span', { class: 'k' }, '应为'), h('b', {}, f.expected)) : null,
          )
        : null,
      f.calculation ? h('div', { class: 'calc', title: '计算过程' }, f.calculation) : null,
      f.quote ? h('blockquote', { class: 'quote' }, f.quote) : null,
      relatedLinks(f),
      reviewBox,
    );
    drawReview(f, reviewBox, reviewDeps);
    card.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('.review')) return;
      select(f.id, true);
    });
    return card;
  }

  const passes = (f: Finding) => {
    const sevOk = sevBoxes.some((x) => x.s === f.severity && x.box.checked);
    const ruleOk = !ruleSelect.value || ruleSelect.value === f.ruleId;
    const d = decisionOf(f.id);
    const reviewOk = !reviewSelect.value || (reviewSelect.value === 'open' ? d === null : d === reviewSelect.value);
    return sevOk && ruleOk && reviewOk;
  };

  function refresh(redraw = true): void {
    visible = report.findings.filter(passes);
    if (redraw) replace(list, visible.length ? visible.map((f) => cards.get(f.id)!) : message('info', report.findings.length ? '没有符合筛选条件的发现。' : report.status === 'ok' ? '未发现问题：文中的合计、占比、增减和前后数据均已核对一致。' : '文件无法读取，没有检查结果。'));
    const i = visible.findIndex((f) => f.id === active);
    replace(position, visible.length ? `第 ${i >= 0 ? i + 1 : '–'} / ${visible.length} 条` : '0 条');
    prev.disabled = !visible.length;
    next.disabled = !visible.length;
  }

  function select(id: string, scroll: boolean): void {
    active = id;
    for (const [fid, card] of cards) card.classList.toggle('active', fid === id);
    for (const m of Array.from(docPane.querySelectorAll('mark.active'))) m.classList.remove('active', 'active-total', 'active-part');
    const finding = report.findings.find((f) => f.id === id);
    if (!finding) return;
    let first: Element | null = null;
    finding.figures.forEach((fid, i) => {
      for (const m of Array.from(docPane.querySelectorAll(`mark[data-figure="${CSS.escape(fid)}"]`))) {
        m.classList.add('active', i === 0 ? 'active-total' : 'active-part');
        first ??= m;
      }
    });
    if (scroll) {
      (first as Element | null)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      cards.get(id)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
    refresh(false);
  }

  const step = (delta: number) => {
    if (!visible.length) return;
    const i = visible.findIndex((f) => f.id === active);
    const n = i < 0 ? (delta > 0 ? 0 : visible.length - 1) : (i + delta + visible.length) % visible.length;
    select(visible[n]!.id, true);
  };
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  for (const x of sevBoxes) x.box.addEventListener('change', () => refresh());
  ruleSelect.addEventListener('change', () => refresh());
  reviewSelect.addEventListener('change', () => refresh());
  document.addEventListener('keydown', (e) => {
    if ((e.target as HTMLElement).closest('input, textarea, select')) return;
    if (e.key === 'j') step(1);
    if (e.key === 'k') step(-1);
  });
  docPane.addEventListener('click', (e) => {
    const mark = (e.target as HTMLElement).closest('mark[data-figure]');
    if (!mark) return;
    const id = mark.getAttribute('data-figure')!;
    const hits = visible.filter((f) => f.figures.includes(id));
    if (!hits.length) return;
    const i = hits.findIndex((f) => f.id === active);
    select(hits[(i + 1) % hits.length]!.id, true);
  });

  refresh();
  const wanted = location.hash.startsWith('#finding-') ? location.hash.slice('#finding-'.length) : null;
  const initial = (wanted && report.findings.find((f) => f.id === wanted)) || visible[0];
  if (initial) select(initial.id, wanted !== null && !linked);
  const linkedMark = linked ? docPane.querySelector(`mark[data-figure="${CSS.escape(linked)}"]`) : null;
  if (linkedMark) {
    linkedMark.classList.add('active', 'active-total', 'linked');
    linkedMark.scrollIntoView({ block: 'center' });
  }
  $('#doc-pane')?.focus();
}
