import { getJson } from '../api.js';
import { h, message, replace } from '../dom.js';
import type { Role } from '../rules.js';
import type { Report } from '../types.js';

/**
 * The original page beside the extracted text, for a PDF: the server's image of the page with a box on every
 * cited figure, placed from the text positions the reader reads (/api/documents/:sha256/pages/:n/boxes). A toggle
 * switches the document pane between the text and the page; the page follows the figure the reviewer steps to.
 */

interface PageBoxes {
  page: number;
  width: number;
  height: number;
  boxes: { figure: string; x: number; y: number; width: number; height: number }[];
}

export interface PageView {
  toggle: HTMLButtonElement;
  view: HTMLElement;
  /** Shows the page of this figure with its box current (when the page view is open). */
  follow(figureId: string | null): void;
}

export function pageView(report: Report, role: Map<string, Role>): PageView | null {
  if (report.format !== 'pdf' || report.status !== 'ok' || !report.pages) return null;
  const total = report.pages;
  const pageOf = new Map(report.figures.map((f) => [f.id, f.loc.page]));
  let page = 0;
  let current: string | null = null;
  let open = false;

  const frame = h('div', { class: 'page-frame', id: 'page-frame' });
  const label = h('span', { class: 'page-label', id: 'page-label' });
  const prevPage = h('button', { type: 'button', class: 'page-prev', onclick: () => show(page - 1) }, '‹ 上一页');
  const nextPage = h('button', { type: 'button', class: 'page-next', onclick: () => show(page + 1) }, '下一页 ›');
  const view = h('div', { class: 'page-view', id: 'page-view', hidden: true }, h('div', { class: 'page-nav' }, prevPage, label, nextPage), frame);
  const toggle = h('button', { type: 'button', id: 'view-toggle', class: 'view-toggle', 'aria-pressed': 'false', title: '切换 提取文字 / 原文页面（t）' }, '查看原文页面');

  async function show(n: number): Promise<void> {
    if (n < 1 || n > total) return;
    const fresh = n !== page;
    page = n;
    replace(label, `第 ${n} / ${total} 页`);
    prevPage.disabled = n <= 1;
    nextPage.disabled = n >= total;
    if (fresh) {
      const image = h('img', { src: `/api/documents/${report.sha256}/pages/${n}.png`, alt: `原文第 ${n} 页`, class: 'page-image' });
      const layer = h('div', { class: 'page-boxes' });
      replace(frame, h('div', { class: 'page-sheet', 'data-page': n }, image, layer));
      image.addEventListener('error', () => replace(frame, message('error', '无法显示原文页面：服务器没有这份文档的原文件，或页面渲染失败。')));
      try {
        const boxes = await getJson<PageBoxes>(`/api/documents/${report.sha256}/pages/${n}/boxes`);
        if (page !== n) return;
        for (const b of boxes.boxes) {
          const r = role.get(b.figure);
          if (!r) continue;
          const box = h('div', { class: `fig-box fig-${r}`, 'data-figure': b.figure, title: report.figures.find((f) => f.id === b.figure)?.text ?? '' });
          // percentages of the page, so the boxes scale with the image
          box.style.left = `${(b.x / boxes.width) * 100}%`;
          box.style.top = `${(b.y / boxes.height) * 100}%`;
          box.style.width = `${(b.width / boxes.width) * 100}%`;
          box.style.height = `${(b.height / boxes.height) * 100}%`;
          layer.append(box);
        }
      } catch (error) {
        frame.append(message('error', `无法标出数字位置：${(error as Error).message}`));
      }
    }
    mark();
  }

  function mark(): void {
    for (const b of Array.from(frame.querySelectorAll('.fig-box.current'))) b.classList.remove('current');
    const box = current ? frame.querySelector<HTMLElement>(`.fig-box[data-figure="${CSS.escape(current)}"]`) : null;
    box?.classList.add('current');
    box?.scrollIntoView({ block: 'center' });
  }

  // the server works out a document's boxes in one pass that takes seconds the first time: started now, so the
  // page is ready when the reviewer turns to it
  const firstCited = report.figures.find((f) => role.has(f.id) && f.loc.page)?.loc.page;
  if (firstCited) void getJson(`/api/documents/${report.sha256}/pages/${firstCited}/boxes`).catch(() => undefined);

  toggle.addEventListener('click', () => {
    open = !open;
    toggle.setAttribute('aria-pressed', String(open));
    replace(toggle, open ? '查看提取文字' : '查看原文页面');
    view.hidden = !open;
    const text = document.getElementById('text-view');
    if (text) text.hidden = open;
    if (open) void show((current && pageOf.get(current)) || page || 1);
  });

  return {
    toggle,
    view,
    follow(figureId) {
      current = figureId;
      if (!open) return;
      const n = figureId ? pageOf.get(figureId) : undefined;
      if (n && n !== page) void show(n);
      else mark();
    },
  };
}
