import { ApiError, getJson, postJson } from '../api.js';
import { linkedFigure, relatedLinks, unitControl } from './report-cross.js';
import { $, append, badge, DECISIONS, DOC_TYPES, errorText, EVIDENCE, formatTime, formatYuan, FIELD_LABELS, h, message, replace, setTitle, SEVERITIES } from '../dom.js';
import type { Figure, Finding, Report, ReportTable, Review, Severity } from '../types.js';

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
}

interface RuleInfo {
  ruleId: string;
  description: string;
}

const REVIEWER_KEY = 'crossfoot.reviewer';

/** One figure's place in the text. */
interface Span {
  start: number;
  end: number;
  figure: Figure;
}

/** Where a table's lines stand in the text (DOCX cells are one line each; TXT tables are `| … |` lines). */
interface TableRegion {
  table: ReportTable;
  firstLine: number;
  lastLine: number;
}

function lineTokens(line: string): string[] {
  const t = line.trim();
  if (!t) return [];
  if (t.startsWith('|')) return t.split('|').map((c) => c.trim()).filter(Boolean);
  return [t];
}

/** Finds each table's cells, in reading order, as a run of consecutive text lines. */
function tableRegions(lines: string[], tables: ReportTable[]): TableRegion[] {
  const regions: TableRegion[] = [];
  let from = 0;
  for (const table of tables) {
    const cells = (table.cells ?? []).flat().map((c) => c.trim()).filter(Boolean);
    if (cells.length < 2) continue;
    for (let start = from; start < lines.length; start++) {
      const first = lineTokens(lines[start]!);
      if (!first.length || first[0] !== cells[0]) continue;
      let k = 0;
      let line = start;
      let ok = true;
      while (k < cells.length && line < lines.length) {
        const tokens = lineTokens(lines[line]!);
        for (const token of tokens) {
          if (token !== cells[k]) {
            ok = false;
            break;
          }
          k++;
        }
        if (!ok) break;
        line++;
      }
      if (ok && k === cells.length) {
        regions.push({ table, firstLine: start, lastLine: line - 1 });
        from = line;
        break;
      }
    }
  }
  return regions;
}

function lineClass(line: string, index: number): string {
  if (index === 0) return 'ln doc-title';
  if (/^[一二三四五六七八九十]+、/.test(line.trim())) return 'ln h1';
  if (/^[（(][一二三四五六七八九十]+[）)]/.test(line.trim())) return 'ln h2';
  return 'ln';
}

function markOf(figure: Figure, role: 'total' | 'part', text: string): HTMLElement {
  return h('mark', { class: `fig fig-${role}`, 'data-figure': figure.id, 'data-role': role, title: `${figure.label || '数值'}：${figure.text}` }, text);
}

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
  const figures = new Map(report.figures.map((f) => [f.id, f]));
  const role = new Map<string, 'total' | 'part'>();
  for (const f of report.findings) {
    f.figures.forEach((id, i) => {
      if (i === 0) role.set(id, 'total');
      else if (!role.has(id)) role.set(id, 'part');
    });
  }
  // a figure another document's finding points at (#figure-…): marked like a cited one
  const linked = linkedFigure();
  if (linked && figures.has(linked) && !role.has(linked)) role.set(linked, 'total');
  const cited = [...role.keys()].map((id) => figures.get(id)).filter((f): f is Figure => f !== undefined);

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
    cited.length === 0
      ? null
      : h('div', { class: 'legend' }, h('mark', { class: 'fig fig-total' }, '合计 / 结果'), h('mark', { class: 'fig fig-part' }, '分项 / 运算数'), h('span', { class: 'muted' }, '点击标记查看对应发现')),
  );
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  {
    let at = 0;
    for (const line of lines) {
      lineStarts.push(at);
      at += line.length + 1;
    }
  }
  const spans: Span[] = cited
    .filter((f) => f.loc.textStart !== undefined && f.loc.textEnd !== undefined && f.loc.textEnd > f.loc.textStart)
    .map((f) => ({ start: f.loc.textStart!, end: f.loc.textEnd!, figure: f }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const regions = tableRegions(lines, report.tables.filter((t) => t.cells?.length));
  const regionAt = new Map(regions.map((r) => [r.firstLine, r]));
  const placed = new Set(regions.map((r) => r.table.id));
  const textBox = h('div', { class: 'doc-text', id: 'doc-text' });
  let spanIndex = 0;
  for (let i = 0; i < lines.length; i++) {
    const region = regionAt.get(i);
    if (region) {
      append(textBox, renderTable(region.table, report, role));
      i = region.lastLine;
      const end = lineStarts[i]! + lines[i]!.length;
      while (spanIndex < spans.length && spans[spanIndex]!.start < end) spanIndex++;
      continue;
    }
    const line = lines[i]!;
    const start = lineStarts[i]!;
    const end = start + line.length;
    const p = h('p', { class: lineClass(line, i), 'data-line': i + 1 });
    let at = start;
    while (spanIndex < spans.length && spans[spanIndex]!.start < end) {
      const s = spans[spanIndex++]!;
      if (s.start < at) continue; // overlaps the previous mark
      const stop = Math.min(s.end, end);
      if (s.start > at) append(p, text.slice(at, s.start));
      append(p, markOf(s.figure, role.get(s.figure.id) ?? 'part', text.slice(s.start, stop)));
      at = stop;
    }
    if (at < end) append(p, text.slice(at, end));
    if (!line.trim()) p.classList.add('blank');
    textBox.append(p);
  }
  append(docPane, textBox);
  const rest = report.tables.filter((t) => t.cells?.length && !placed.has(t.id));
  if (rest.length) {
    append(docPane, h('h2', { class: 'tables-head' }, `表格（${rest.length}）`), rest.map((t) => renderTable(t, report, role)));
  }

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
  const byFinding = new Map<string, Review[]>();
  for (const r of reviews) byFinding.set(r.fingerprint, [...(byFinding.get(r.fingerprint) ?? []), r]);
  const decisionOf = (id: string) => {
    const decided = (byFinding.get(id) ?? []).filter((r) => r.decision !== 'comment');
    return decided.length ? decided[decided.length - 1]!.decision : null;
  };
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
    drawReview(f, reviewBox);
    card.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('.review')) return;
      select(f.id, true);
    });
    return card;
  }

  function drawReview(f: Finding, box: HTMLElement): void {
    const history = byFinding.get(f.id) ?? [];
    const decision = decisionOf(f.id);
    const comment = h('input', { class: 'comment', placeholder: '备注（可选）', maxlength: '2000', 'aria-label': '备注' });
    const status = h('div', { class: 'review-status', role: 'status' });
    const send = async (d: 'accepted' | 'false-positive' | 'comment') => {
      const text = comment.value.trim();
      if (d === 'comment' && !text) {
        replace(status, h('span', { class: 'c-error' }, '请先填写备注'));
        comment.focus();
        return;
      }
      for (const b of Array.from(box.querySelectorAll('button'))) b.disabled = true;
      try {
        const review = await postJson<Review>(`/api/findings/${f.id}/review`, { sha256: report.sha256, decision: d, ...(text ? { comment: text } : {}), ...(reviewer.value.trim() ? { reviewer: reviewer.value.trim() } : {}) });
        byFinding.set(f.id, [...(byFinding.get(f.id) ?? []), review]);
        drawReview(f, box);
        cards.get(f.id)!.dataset.decision = decisionOf(f.id) ?? '';
        refresh(false);
      } catch (error) {
        replace(status, h('span', { class: 'c-error' }, error instanceof ApiError ? error.message : `保存失败：${(error as Error).message}`));
        for (const b of Array.from(box.querySelectorAll('button'))) b.disabled = false;
      }
    };
    replace(
      box,
      decision ? h('div', { class: `decision decision-${decision}` }, `审核结论：${DECISIONS[decision]}`) : null,
      history.length
        ? h(
            'ul',
            { class: 'history' },
            history.map((r) => h('li', {}, h('span', { class: 'who' }, `${r.reviewer} · ${formatTime(r.at)}`), ` ${DECISIONS[r.decision] ?? r.decision}`, r.comment ? `：${r.comment}` : '')),
          )
        : null,
      h(
        'div',
        { class: 'review-actions' },
        comment,
        h('button', { type: 'button', class: 'ok', 'data-decision': 'accepted', onclick: () => void send('accepted') }, '确认'),
        h('button', { type: 'button', class: 'fp', 'data-decision': 'false-positive', onclick: () => void send('false-positive') }, '误报'),
        h('button', { type: 'button', class: 'note', 'data-decision': 'comment', onclick: () => void send('comment') }, '备注'),
      ),
      status,
    );
    const card = cards.get(f.id);
    if (card) card.dataset.decision = decision ?? '';
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

function renderTable(table: ReportTable, report: Report, role: Map<string, 'total' | 'part'>): HTMLElement {
  const cellFigures = new Map<string, Figure[]>();
  for (const f of report.figures) {
    if (f.loc.table !== table.id || f.loc.row === undefined || f.loc.col === undefined || !role.has(f.id)) continue;
    const key = `${f.loc.row}:${f.loc.col}`;
    cellFigures.set(key, [...(cellFigures.get(key) ?? []), f]);
  }
  const cells = table.cells ?? [];
  const body = cells.map((row, r) =>
    h(
      'tr',
      {},
      row.map((cell, c) => {
        const td = h(r === 0 ? 'th' : 'td', { class: /^[-+]?[\d,.]+%?$/.test(cell.trim()) ? 'num' : '' });
        const figs = cellFigures.get(`${r}:${c}`) ?? [];
        let at = 0;
        for (const f of figs) {
          const i = cell.indexOf(f.text, at);
          if (i < 0) {
            // the cell's text differs from the figure's (a unit added): mark the whole cell
            if (at === 0) {
              append(td, markOf(f, role.get(f.id)!, cell));
              at = cell.length;
            }
            continue;
          }
          append(td, cell.slice(at, i), markOf(f, role.get(f.id)!, f.text));
          at = i + f.text.length;
        }
        append(td, cell.slice(at));
        return td;
      }),
    ),
  );
  return h(
    'figure',
    { class: 'doc-table', 'data-table': table.id },
    h('figcaption', {}, table.title ?? '表格', h('span', { class: 'muted' }, ` 单位：${table.unit || '—'}${table.page ? ` · 第 ${table.page} 页` : ''}`)),
    h('div', { class: 'table-scroll' }, h('table', {}, h('tbody', {}, body))),
  );
}
