import { serverInfo } from '../api.js';
import { badge, formatBytes, h, message, replace, setTitle } from '../dom.js';
import type { BatchStatus, Info } from '../types.js';
import { batchCounts, documentsTable, followBatch, progressBar } from './batch-view.js';

/** 上传: drop files or folders (or a zip); each drop is one batch, followed live below the drop zone. */

interface Picked {
  file: File;
  /** The name sent: the path inside a dropped folder, or the file name. */
  path: string;
}

const HIDDEN = /(^|\/)(\.[^/]*|__MACOSX|Thumbs\.db|desktop\.ini)(\/|$)/i;

async function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry, out: Picked[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    for (const child of await readEntries((entry as FileSystemDirectoryEntry).createReader())) await walk(child, out);
  }
}

async function filesFromDrop(data: DataTransfer): Promise<Picked[]> {
  const entries = Array.from(data.items)
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (!entries.length) return Array.from(data.files).map((file) => ({ file, path: file.name }));
  const out: Picked[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

const extension = (name: string) => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
};

/** Refused in the browser already, with the same causes the server gives. */
function precheck(p: Picked, info: Info): string | null {
  const ext = extension(p.path);
  if (!info.limits.extensions.includes(ext)) return `不支持的文件类型${ext ? `“.${ext}”` : '（无扩展名）'}：仅接受 .docx、.pdf、.txt 或 .zip`;
  if (p.file.size > info.limits.maxFileBytes) return `文件超过上传大小上限（${formatBytes(info.limits.maxFileBytes)}）`;
  return null;
}

export async function uploadPage(main: HTMLElement): Promise<void> {
  setTitle('上传');
  const info = await serverInfo();
  const fileInput = h('input', { type: 'file', id: 'file-input', multiple: true, accept: '.docx,.pdf,.txt,.zip', class: 'visually-hidden' });
  const folderInput = h('input', { type: 'file', id: 'folder-input', multiple: true, class: 'visually-hidden' });
  folderInput.setAttribute('webkitdirectory', '');
  const nameInput = h('input', { id: 'batch-name', placeholder: '可选，如：2025年度部门决算（第一批）', maxlength: '100' });
  const zone = h(
    'div',
    { class: 'dropzone', id: 'dropzone', tabindex: '0', role: 'button', 'aria-label': '拖放文件到此处上传' },
    h('div', { class: 'dz-title' }, '将报告文件或整个文件夹拖到这里'),
    h(
      'div',
      { class: 'dz-sub' },
      '或 ',
      h('label', { for: 'file-input', class: 'button' }, '选择文件'),
      ' ',
      h('label', { for: 'folder-input', class: 'button' }, '选择文件夹'),
    ),
    h('div', { class: 'dz-note' }, `支持 .docx、.pdf、.txt 及包含它们的 .zip；单个文件不超过 ${formatBytes(info.limits.maxFileBytes)}，一次最多 ${info.limits.maxFiles} 个文件。${info.mode === 'queue' ? '文件将提交到检查队列。' : ''}`),
  );
  const jobs = h('div', { class: 'jobs' });
  replace(
    main,
    h('div', { class: 'page-head' }, h('h1', {}, '上传报告'), h('a', { href: '/batches', class: 'link' }, '查看全部批次')),
    h('div', { class: 'upload-top' }, zone, h('label', { class: 'field batch-name' }, h('span', {}, '批次名称'), nameInput)),
    fileInput,
    folderInput,
    jobs,
  );

  const start = (picked: Picked[]) => {
    const visible = picked.filter((p) => !HIDDEN.test(p.path));
    if (!visible.length) return;
    jobs.prepend(uploadJob(visible, nameInput.value.trim(), info));
    nameInput.value = '';
  };
  fileInput.addEventListener('change', () => {
    start(Array.from(fileInput.files ?? []).map((file) => ({ file, path: file.name })));
    fileInput.value = '';
  });
  folderInput.addEventListener('change', () => {
    start(Array.from(folderInput.files ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name })));
    folderInput.value = '';
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer) void filesFromDrop(e.dataTransfer).then(start);
  });
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') fileInput.click();
  });
}

/** One upload: per-file upload progress, then the batch's check progress by server-sent events. */
function uploadJob(picked: Picked[], name: string, info: Info): HTMLElement {
  const refused = picked.map((p) => ({ p, cause: precheck(p, info) })).filter((x) => x.cause !== null);
  const sending = picked.filter((p) => precheck(p, info) === null);
  const head = h('div', { class: 'job-head' }, h('strong', {}, name || `${picked.length} 个文件`), ' ', badge('上传中', 'active'));
  const notice = h('div');
  const rows = sending.map((p) => {
    const fill = h('div', { class: 'progress-done' });
    const pct = h('span', { class: 'pct' }, '0%');
    const row = h(
      'tr',
      {},
      h('td', { class: 'name', title: p.path }, p.path),
      h('td', { class: 'num' }, formatBytes(p.file.size)),
      h('td', { class: 'progress-col' }, h('div', { class: 'progress' }, fill)),
      h('td', { class: 'num' }, pct),
    );
    return { p, row, fill, pct };
  });
  const uploadTable = h(
    'table',
    { class: 'grid upload-files' },
    h('thead', {}, h('tr', {}, h('th', { class: 'name' }, '文件'), h('th', { class: 'num' }, '大小'), h('th', { class: 'progress-col' }, '上传进度'), h('th', { class: 'num' }, ''))),
    h('tbody', {}, rows.map((r) => r.row)),
  );
  const refusedList = refused.length
    ? h(
        'div',
        { class: 'refused' },
        message('error', `${refused.length} 个文件未上传：`),
        h('ul', {}, refused.map(({ p, cause }) => h('li', {}, h('span', { class: 'name' }, p.path), '：', cause!))),
      )
    : null;
  const body = h('div', {}, sending.length ? uploadTable : null);
  const job = h('section', { class: 'job' }, head, notice, refusedList, body);
  if (!sending.length) {
    replace(head, h('strong', {}, name || `${picked.length} 个文件`), ' ', badge('没有可上传的文件', 'error'));
    return job;
  }

  const form = new FormData();
  if (name) form.append('name', name);
  for (const { p } of rows) form.append('file', p.file, p.path);
  // parts go out in order: each file's share of the bytes sent so far is its progress
  const overhead = 200;
  let offset = 0;
  const spans = rows.map((r) => {
    const span = { start: offset + overhead, size: r.p.file.size };
    offset += r.p.file.size + overhead + new TextEncoder().encode(r.p.path).length;
    return span;
  });
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/documents?wait=0');
  xhr.responseType = 'json';
  xhr.setRequestHeader('accept', 'application/json');
  xhr.upload.addEventListener('progress', (e) => {
    const scale = e.lengthComputable && e.total ? offset / e.total : 1;
    rows.forEach((r, i) => {
      const s = spans[i]!;
      const sent = Math.min(1, Math.max(0, (e.loaded * scale - s.start) / Math.max(1, s.size)));
      r.fill.style.width = `${sent * 100}%`;
      replace(r.pct, `${Math.round(sent * 100)}%`);
    });
  });
  xhr.upload.addEventListener('load', () => {
    for (const r of rows) {
      r.fill.style.width = '100%';
      replace(r.pct, '100%');
    }
  });
  xhr.addEventListener('error', () => {
    replace(head, h('strong', {}, name || `${picked.length} 个文件`), ' ', badge('上传失败', 'error'));
    replace(notice, message('error', '上传失败：网络连接中断或服务器不可用，请重试。'));
  });
  xhr.addEventListener('load', () => {
    if (xhr.status === 401) {
      location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
      return;
    }
    const response = xhr.response as { batchId?: string; batch?: BatchStatus; error?: { message: string }; documents?: BatchStatus['documents'] } | null;
    if (xhr.status >= 400 || !response?.batch) {
      replace(head, h('strong', {}, name || `${picked.length} 个文件`), ' ', badge('未被接受', 'error'));
      replace(notice, message('error', response?.error?.message ?? `上传失败（HTTP ${xhr.status}）`));
      if (response?.documents?.length) {
        const table = documentsTable();
        table.update(response.documents, false);
        replace(body, table.table);
      }
      return;
    }
    showBatch(response.batch);
  });
  xhr.send(form);

  const showBatch = (first: BatchStatus) => {
    const link = h('a', { href: `/batches/${encodeURIComponent(first.batchId)}`, class: 'link batch-link' }, '批次详情');
    const bar = h('div', { class: 'bar-wrap' });
    const counts = h('div');
    const table = documentsTable();
    replace(body, h('div', { class: 'batch-head' }, bar, counts), table.table);
    const draw = (s: BatchStatus) => {
      replace(head, h('strong', {}, s.name || name || `${picked.length} 个文件`), ' ', s.completed ? badge('已完成', 'ok') : badge('检查中', 'active'), ' ', link);
      job.dataset.completed = s.completed ? '1' : '0';
      job.dataset.batch = s.batchId;
      replace(bar, progressBar(s.done, s.failed, s.total));
      replace(counts, batchCounts(s));
      table.update(s.documents, false);
    };
    draw(first);
    if (!first.completed) followBatch(first.batchId, draw, (text) => replace(notice, message('error', text)));
  };
  return job;
}
