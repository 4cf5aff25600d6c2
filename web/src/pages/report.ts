import { getJson } from '../api.js';
import { sequenceNav } from '../doc-sequence.js';
import { $, append, badge, errorText, formatYuan, h, message, replace, setTitle } from '../dom.js';
import { labels } from '../labels.js';
import { askReviewer, reviewerName } from '../reviewer.js';
import { loadRules, ROLE_LABELS, type Role, rolesOf, ruleLabel, ruleTooltip } from '../rules.js';
import type { Finding, Report, Review, Severity } from '../types.js';
import { findingCard } from './finding-card.js';
import { FindingNavigator } from './finding-nav.js';
import { FindingsStore } from './findings-store.js';
import { pageView } from './page-view.js';
import { linkedFigure, unitControl } from './report-cross.js';
import { figureRoles, renderText } from './report-text.js';
import { decide, drawReview, type ReviewBoxDeps } from './review-box.js';
import { bindKeys, type KeyAction, showHelp } from './review-keys.js';

/**
 * The report view: the document's text and tables with every figure a finding cites wrapped in
 * `<mark data-figure="<figure id>">` (drawn by its role in the finding: total, part, compared, context — see
 * rules.ts), the original page beside it for a PDF, and the findings with their review controls. Everything can
 * be done from the keyboard (? lists the keys).
 */

interface ViewData {
  report: Report;
  text: string;
  reviews: Review[];
  /** The text's heading lines, classified on the server by the checks' outline heuristic. */
  headings: { line: number; level: 1 | 2 }[];
}

export async function reportPage(main: HTMLElement, [sha256]: string[]): Promise<void> {
  setTitle('报告');
  let data: ViewData;
  let rules: Awaited<ReturnType<typeof loadRules>>;
  try {
    [data, rules] = await Promise.all([getJson<ViewData>(`/api/documents/${sha256}/view`), loadRules()]);
  } catch (error) {
    replace(main, h('h1', {}, '报告'), message('error', (error as Error).message), h('p', {}, h('a', { href: '/documents' }, '返回文档列表')));
    return;
  }
  const { report, text } = data;
  setTitle(report.title ?? report.file);
  main.classList.add('wide');
  const store = new FindingsStore(data.reviews);

  // ------------------------------------------------------------ roles and marks
  const role = figureRoles(report, rules);
  // a figure another document's finding points at (#figure-…): marked like a cited one
  const linked = linkedFigure();
  if (linked && report.figures.some((f) => f.id === linked) && !role.has(linked)) role.set(linked, 'total');

  // ------------------------------------------------------------ header
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const fieldList = Object.entries(report.fields);
  const progress = h('span', { class: 'review-progress', id: 'review-progress' });
  const head = h(
    'header',
    { class: 'report-head' },
    sequenceNav(report.sha256),
    h('h1', { id: 'report-title' }, report.title ?? report.file),
    h(
      'div',
      { class: 'meta' },
      h('span', {}, report.organization ?? '单位未识别'),
      h('span', {}, report.fiscalYear ? `${report.fiscalYear} 年度` : '年度未识别'),
      h('span', {}, report.documentType ? (labels().documentTypes[report.documentType] ?? report.documentType) : '类型未识别'),
      h('span', {}, (report.format ?? '').toUpperCase() + (report.pages ? ` · ${report.pages} 页` : '')),
      h('span', { class: 'file', title: report.sha256 }, report.file),
      unitControl(report),
      report.status === 'failed' ? badge('无法读取', 'error') : h('span', {}, badge(`错误 ${errors}`, errors ? 'error' : 'ok'), ' ', badge(`警告 ${warnings}`, warnings ? 'warning' : 'ok'), ' ', h('span', { class: 'muted' }, `已核验 ${report.checks.run} 项关系`)),
      report.findings.length ? progress : null,
    ),
    fieldList.length
      ? h(
          'details',
          { class: 'fields' },
          h('summary', {}, `识别的字段（${fieldList.length}）`),
          h('dl', {}, fieldList.flatMap(([k, v]) => [h('dt', {}, labels().fields[k] ?? k), h('dd', {}, k.startsWith('staff.') ? `${v} 人` : formatYuan(v))])),
        )
      : null,
  );

  // ------------------------------------------------------------ document pane: the text, and the page of a PDF
  const docPane = h('section', { class: 'doc-pane', id: 'doc-pane', 'aria-label': '报告原文', tabindex: '-1' });
  if (report.status === 'failed') {
    append(docPane, message('error', `这份文件无法读取：${errorText(report.error?.code, report.error?.message)}`));
  }
  const shownRoles = (['total', 'part', 'compared', 'context'] as Role[]).filter((r) => [...role.values()].includes(r));
  const legend = shownRoles.length
    ? h('div', { class: 'legend' }, shownRoles.map((r) => h('mark', { class: `fig fig-${r}` }, ROLE_LABELS[r])), h('span', { class: 'muted' }, '点击标记查看对应发现'))
    : null;
  const textView = h('div', { class: 'text-view', id: 'text-view' }, renderText(report, text, role, new Map(data.headings.map((x) => [x.line, x.level]))));
  const pages = pageView(report, role);
  append(docPane, h('div', { class: 'doc-tools' }, pages?.toggle ?? null, legend), textView, pages?.view ?? null);

  // ------------------------------------------------------------ findings pane
  const sevBoxes = (['error', 'warning', 'info'] as Severity[]).map((s) => {
    const n = report.findings.filter((f) => f.severity === s).length;
    const box = h('input', { type: 'checkbox', name: 'severity', value: s, checked: true });
    return { s, box, label: h('label', { class: `chip sev-${s}` }, box, `${labels().severities[s]} ${n}`) };
  });
  const ruleCounts = new Map<string, number>();
  for (const f of report.findings) ruleCounts.set(f.ruleId, (ruleCounts.get(f.ruleId) ?? 0) + 1);
  const ruleSelect = h(
    'select',
    { id: 'rule-filter', 'aria-label': '按规则筛选' },
    h('option', { value: '' }, '全部规则'),
    [...ruleCounts].sort().map(([id, n]) => h('option', { value: id, title: ruleTooltip(id, rules) }, `${ruleLabel(id, rules)}（${n}）`)),
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
  const reviewerLabel = h('span', { id: 'reviewer' });
  const drawReviewer = () => replace(reviewerLabel, reviewerName() || '未填写');
  drawReviewer();
  const changeReviewer = h('button', { type: 'button', class: 'link', id: 'change-reviewer', onclick: () => void askReviewer(reviewerName()).then(drawReviewer) }, '更改');
  const help = h('button', { type: 'button', class: 'link', id: 'key-help-button', title: '快捷键（?）', onclick: () => showHelp(keys) }, '快捷键 ?');
  const list = h('div', { class: 'cards', id: 'findings' });
  const pane = h(
    'aside',
    { class: 'findings-pane', 'aria-label': '发现' },
    h('div', { class: 'pane-head' }, h('h2', {}, `发现（${report.findings.length}）`), h('span', { class: 'reviewer' }, '审核人：', reviewerLabel, ' ', changeReviewer), help),
    h('div', { class: 'pane-filters' }, h('div', { class: 'chips' }, sevBoxes.map((x) => x.label)), ruleSelect, reviewSelect),
    h('div', { class: 'pane-nav' }, prev, position, next),
    list,
  );
  replace(main, head, h('div', { class: 'report-layout' }, docPane, pane));

  // ------------------------------------------------------------ findings: state, cards, navigation
  const reviewDeps: ReviewBoxDeps = {
    store,
    sha256: report.sha256,
    onReviewed: (f, advance) => {
      drawReviewer();
      refresh(false);
      if (advance) step(1, f.id);
    },
  };
  const cards = new Map<string, HTMLElement>();
  const boxes = new Map<string, HTMLElement>();
  const steps = new Map<string, HTMLElement>();
  let visible: Finding[] = [];
  const nav = new FindingNavigator({
    docPane,
    cards,
    findings: report.findings,
    rolesOf: (f) => rolesOf(f, rules),
    onChange: () => refresh(false),
    onFigure: (id) => pages?.follow(id),
  });

  for (const f of report.findings) {
    const { card, reviewBox, figureStep } = findingCard(f, report, rules);
    drawReview(f, reviewBox, reviewDeps);
    card.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('.review, .figure-step, a')) return;
      activate(f.id);
    });
    card.addEventListener('keydown', (e) => {
      if (e.target !== card || e.key !== 'Enter') return;
      e.preventDefault();
      activate(f.id);
    });
    cards.set(f.id, card);
    boxes.set(f.id, reviewBox);
    steps.set(f.id, figureStep);
  }

  /** A click or Enter on a card: selects it, or on the selected card shows its next figure. */
  function activate(id: string): void {
    if (nav.active === id) nav.stepFigure(1);
    else nav.select(id, true);
  }

  const passes = (f: Finding) => {
    const sevOk = sevBoxes.some((x) => x.s === f.severity && x.box.checked);
    const ruleOk = !ruleSelect.value || ruleSelect.value === f.ruleId;
    const d = store.decisionOf(f.id);
    const reviewOk = !reviewSelect.value || (reviewSelect.value === 'open' ? d === null : d === reviewSelect.value);
    return sevOk && ruleOk && reviewOk;
  };

  function refresh(redraw = true): void {
    visible = report.findings.filter(passes);
    if (redraw) replace(list, visible.length ? visible.map((f) => cards.get(f.id)!) : message('info', report.findings.length ? '没有符合筛选条件的发现。' : report.status === 'ok' ? '未发现问题：文中的合计、占比、增减和前后数据均已核对一致。' : '文件无法读取，没有检查结果。'));
    const i = visible.findIndex((f) => f.id === nav.active);
    replace(position, visible.length ? `第 ${i >= 0 ? i + 1 : '–'} / ${visible.length} 条` : '0 条');
    prev.disabled = !visible.length;
    next.disabled = !visible.length;
    const reviewed = report.findings.filter((f) => store.decisionOf(f.id) !== null).length;
    replace(progress, badge(`已审核 ${reviewed}/${report.findings.length}`, reviewed === report.findings.length ? 'ok' : 'active'));
    for (const [id, box] of steps) {
      const f = report.findings.find((x) => x.id === id)!;
      if (id !== nav.active || f.figures.length < 2) {
        replace(box);
        continue;
      }
      replace(
        box,
        h('button', { type: 'button', class: 'fig-prev', title: '上一个数字（p）', onclick: () => nav.stepFigure(-1) }, '‹'),
        h('span', { class: 'fig-pos' }, `数字 ${nav.figure + 1} / ${f.figures.length}`),
        h('button', { type: 'button', class: 'fig-next', title: '下一个数字（n）', onclick: () => nav.stepFigure(1) }, '›'),
      );
    }
  }

  /** The next (or previous) visible finding after `from` (default: the selected one), wrapping round. */
  function step(delta: number, from = nav.active): void {
    if (!visible.length) return;
    const i = visible.findIndex((f) => f.id === from);
    const n = i < 0 ? (delta > 0 ? 0 : visible.length - 1) : (i + delta + visible.length) % visible.length;
    nav.select(visible[n]!.id, true);
    cards.get(visible[n]!.id)?.focus({ preventScroll: true });
  }
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  for (const x of sevBoxes) x.box.addEventListener('change', () => refresh());
  ruleSelect.addEventListener('change', () => refresh());
  reviewSelect.addEventListener('change', () => refresh());
  docPane.addEventListener('click', (e) => {
    const mark = (e.target as HTMLElement).closest('mark[data-figure]');
    if (!mark) return;
    const id = mark.getAttribute('data-figure')!;
    const hits = visible.filter((f) => f.figures.includes(id));
    if (!hits.length) return;
    const i = hits.findIndex((f) => f.id === nav.active);
    const f = hits[(i + 1) % hits.length]!;
    nav.select(f.id, false, f.figures.indexOf(id));
    cards.get(f.id)?.scrollIntoView({ block: 'nearest' });
  });

  const onActive = (run: (id: string) => void) => () => {
    if (nav.active) run(nav.active);
  };
  const follow = (selector: string) => () => document.querySelector<HTMLAnchorElement>(selector)?.click();
  const keys: KeyAction[] = [
    { keys: ['j', 'ArrowDown'], label: '下一条发现', run: () => step(1) },
    { keys: ['k', 'ArrowUp'], label: '上一条发现', run: () => step(-1) },
    { keys: ['n'], label: '本条发现的下一个数字', run: () => nav.stepFigure(1) },
    { keys: ['p'], label: '本条发现的上一个数字', run: () => nav.stepFigure(-1) },
    { keys: ['a'], label: '确认并下一条', run: onActive((id) => decide(boxes.get(id)!, 'accepted', true)) },
    { keys: ['x'], label: '标为误报并下一条', run: onActive((id) => decide(boxes.get(id)!, 'false-positive', true)) },
    { keys: ['u'], label: '重新打开已审核的发现', run: onActive((id) => store.decisionOf(id) && decide(boxes.get(id)!, 'reopened', false)) },
    { keys: ['c'], label: '填写备注', run: onActive((id) => boxes.get(id)!.querySelector<HTMLInputElement>('input.comment')?.focus()) },
    ...(pages ? [{ keys: ['t'], label: '切换 提取文字 / 原文页面', run: () => pages.toggle.click() }] : []),
    { keys: ['['], label: '列表中的上一份文档', run: follow('#prev-document') },
    { keys: [']'], label: '列表中的下一份文档', run: follow('#next-document') },
    { keys: ['?'], label: '显示 / 关闭本帮助', run: () => showHelp(keys) },
  ];
  bindKeys(keys);

  refresh();
  // the linked finding (#finding-…), else the first: selected and scrolled to, so 下一条 goes to the second
  const wanted = location.hash.startsWith('#finding-') ? location.hash.slice('#finding-'.length) : null;
  const initial = (wanted && report.findings.find((f) => f.id === wanted)) || visible[0];
  if (initial && !linked) {
    nav.select(initial.id, true);
    cards.get(initial.id)?.focus({ preventScroll: true });
  }
  const linkedMark = linked ? docPane.querySelector(`mark[data-figure="${CSS.escape(linked)}"]`) : null;
  if (linkedMark) {
    linkedMark.classList.add('active', 'active-total', 'linked');
    linkedMark.scrollIntoView({ block: 'center' });
  }
  if (!initial) $('#doc-pane')?.focus();
}
