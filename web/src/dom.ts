import type { Snippet } from './types.js';

/**
 * DOM building without HTML strings: every text goes in through text nodes, so document text and file names
 * can never become markup (no innerHTML anywhere in the app).
 */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (key === 'class') el.className = String(value);
    else if (key in el && key !== 'list' && key !== 'form' && typeof value !== 'string') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replace(el: Node, ...children: (Child | Child[])[]): void {
  clear(el);
  append(el, ...children);
}

export const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T | null => root.querySelector<T>(selector);

/**
 * A search snippet: its text, with the matches the archive gives as offsets wrapped in <mark>. All of it goes in
 * as text nodes, so whatever markup the report itself contains (`<mark>`, `<script>`) stays text.
 */
export function snippetNodes({ text, marks }: Snippet): Node[] {
  const out: Node[] = [];
  let at = 0;
  for (const [start, end] of marks) {
    if (start > at) out.push(document.createTextNode(text.slice(at, start)));
    out.push(h('mark', { class: 'hit' }, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return out;
}

// ------------------------------------------------------------------ labels (Chinese UI)
// only the browser's own here; the report's keys (document types, severities, decisions, fields) are the server's,
// in labels.ts

/** How a finding's operands were identified (its evidence grade), and what that grade lets it claim. */
export const EVIDENCE: Record<string, { label: string; title: string }> = {
  structure: { label: '结构', title: '依据文档结构认定（其中列举、合计行、所述基数、同句数字）' },
  label: { label: '名称', title: '依据项目名称配对，最高为警告' },
  proximity: { label: '邻近', title: '仅依据位置邻近，最高为提示' },
};

export const ERROR_CODES: Record<string, string> = {
  E_CORRUPT: '文件损坏或格式不对',
  E_ENCRYPTED: '文件已加密',
  E_NO_TEXT: '没有可读取的文字（扫描件？）',
  E_TOO_LARGE: '文件过大',
  E_UNSUPPORTED: '不支持的文件类型',
  E_TIMEOUT: '检查超时',
  E_IO: '文件无法读取',
  E_INTERNAL: '检查或入库失败',
  E_INFRASTRUCTURE: '队列处理失败（已多次重试）',
};

export const STATES: Record<string, string> = { waiting: '排队中', active: '检查中', done: '已完成', failed: '处理失败' };

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatYuan(n: number): string {
  return `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;
}

/**
 * A failure for a reviewer. The checker's messages are whole Chinese sentences naming the cause, so they stand
 * alone; a technical one (a queue's or an older archive's English reason) gets the code's label in front.
 */
export function errorText(code: string | undefined, message: string | undefined): string {
  const label = code ? (ERROR_CODES[code] ?? code) : '';
  if (message && /[\u4e00-\u9fff]/.test(message)) return message;
  return [label, message].filter(Boolean).join('：');
}

/** A small status badge. */
export function badge(text: string, kind: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function setTitle(page: string): void {
  document.title = `${page} · crossfoot 报告核查`;
}

export function message(kind: 'error' | 'info' | 'ok', text: string): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
