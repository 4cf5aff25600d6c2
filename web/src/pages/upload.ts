import { serverInfo } from '../api.js';
import { badge, formatBytes, h, message, replace, setTitle } from '../dom.js';
import type { BatchDocument, BatchStatus, Info } from '../types.js';
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
  // the inputs are driven by the drop zone and the two buttons: out of the tab order, so no invisible tab stops
  const fileInput = h('input', { type: 'file', id: 'file-input', multiple: true, accept: '.docx,.pdf,.txt,.zip', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
  const folderInput = h('input', { type: 'file', id: 'folder-input', multiple: true, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
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
      h('button', { type: 'button', id: 'pick-files', onclick: () => fileInput.click() }, '选择文件'),
      ' ',
      h('button', { type: 'button', id: 'pick-folder', onclick: () => folderInput.click() }, '选择文件夹'),
    ),
    h('div', { class: 'dz-note' }, `支持 .docx、.pdf、.txt 及包含它们的 .zip；单个文件不超过 ${formatBytes(info.limits.maxFileBytes)}；超过 ${info.limits.maxFiles} 个文件时分组上传，仍合为一个批次。${info.mode === 'queue' ? '文件将提交到检查队列。' : ''}`),
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
    if (e.target !== zone) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      fileInput.click();
    }
  });
}

/** Uploads still sending bytes: leaving the page now would drop their unsent files, so the browser asks first. */
let uploading = 0;
window.addEventListener('beforeunload', (e) => {
  if (!uploading) return;
  e.preventDefault();
  // older Chromium shows the dialog only when returnValue is set
  e.returnValue = '';
});

/**
 * The requests of a drop: the first file alone, so that its batch exists as soon as one file has arrived (a
 * reviewer who leaves mid-upload finds the files sent so far in it), then groups of at most `maxFiles` files
 * and about 8 MB, so that an interrupted upload loses at most one group.
 */
function requestGroups<T extends { p: Picked }>(rows: T[], maxFiles: number): T[][] {
  const limit = Math.max(1, Math.min(maxFiles, 50));
  const groups: T[][] = rows.length ? [rows.slice(0, 1)] : [];
  let group: T[] = [];
  let bytes = 0;
  for (const row of rows.slice(1)) {
    if (group.length && (group.length >= limit || bytes + row.p.file.size > 8 * 1024 * 1024)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(row);
    bytes += row.p.file.size;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** One upload: per-file upload progress, then the batch's check progress by server-sent events. */
function uploadJob(picked: Picked[], name: string, info: Info): HTMLElement {
  const refused = picked.map((p) => ({ p, cause: precheck(p, info) })).filter((x) => x.cause !== null);
  const sending = picked.filter((p) => precheck(p, info) === null);
  const head = h('div', { class: 'job-head' }, h('strong', {}, name || `${picked.length} 个文件`), ' ', badge('上传中', 'active'));
  const notice = h('div');
  const rows: Row[] = sending.map((p) => {
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
  const uploadPart = h('div', {}, sending.length ? uploadTable : null);
  const batchPart = h('div');
  const body = h('div', {}, batchPart, uploadPart);
  const job = h('section', { class: 'job' }, head, notice, refusedList, body);
  const title = () => h('strong', {}, name || `${picked.length} 个文件`);
  if (!sending.length) {
    replace(head, title(), ' ', badge('没有可上传的文件', 'error'));
    return job;
  }

  // a drop goes as several requests, the first making the batch and the others adding to it, so the drop is one
  // batch with every file in it once (the server takes at most maxFiles file parts per request)
  const chunks = requestGroups(rows, info.limits.maxFiles);

  let batchId: string | undefined;
  let allSent = false;
  let sentFiles = 0;
  let last: BatchStatus | undefined;
  /** Files the server refused in a request that made no batch (every file of it refused). */
  const refusedByServer: BatchDocument[] = [];
  let stop = () => {};
  const link = () => h('a', { href: `/batches/${encodeURIComponent(batchId ?? '')}`, class: 'link batch-link' }, '批次详情');
  const bar = h('div', { class: 'bar-wrap' });
  const counts = h('div');
  const table = documentsTable();
  const draw = (s: BatchStatus) => {
    last = s;
    const state = !allSent ? badge(`上传中（已上传 ${sentFiles}/${sending.length} 个文件）`, 'active') : s.completed ? badge('已完成', 'ok') : badge('检查中', 'active');
    replace(head, h('strong', {}, s.name || name || `${picked.length} 个文件`), ' ', state, ' ', link());
    job.dataset.completed = s.completed && allSent ? '1' : '0';
    job.dataset.batch = s.batchId;
    replace(bar, progressBar(s.done, s.failed, s.total));
    replace(counts, batchCounts(s));
    table.update([...s.documents, ...refusedByServer], false);
  };
  const follow = (s: BatchStatus) => {
    if (!batchPart.firstChild) replace(batchPart, h('div', { class: 'batch-head' }, bar, counts), table.table);
    draw(s);
    stop();
    stop = s.completed ? () => {} : followBatch(s.batchId, draw, (text) => replace(notice, text ? message('error', text) : null));
  };

  const sendAll = async () => {
    for (const [i, chunk] of chunks.entries()) {
      const params = new URLSearchParams({ wait: '0' });
      if (batchId) params.set('batch', batchId);
      const result = await send(chunk, `/api/documents?${params.toString()}`, batchId ? '' : name);
      const unsent = chunks.slice(i).reduce((n, c) => n + c.length, 0);
      const part = chunks.length > 1 ? `（第 ${i + 1}/${chunks.length} 组，${chunk.length} 个文件）` : '';
      if (result.status === 0) {
        if (!batchId) replace(head, title(), ' ', badge('上传失败', 'error'));
        replace(notice, message('error', `上传失败${part}：网络连接中断或服务器不可用，${unsent} 个文件未上传，请重试。`));
        if (last) draw(last);
        return;
      }
      if (result.status === 401) {
        location.href = `/login?next=${encodeURIComponent(location.pathname)}`;
        return;
      }
      const response = result.response;
      if (result.status >= 400 || !response?.batch) {
        if (!batchId && response?.documents?.length && i < chunks.length - 1) {
          // every file of this request refused: they are shown, the rest of the drop still goes
          refusedByServer.push(...response.documents);
          continue;
        }
        if (!batchId) {
          replace(head, title(), ' ', badge('未被接受', 'error'));
          replace(notice, message('error', response?.error?.message ?? `上传失败（HTTP ${result.status}）`));
          if (response?.documents?.length || refusedByServer.length) {
            table.update([...refusedByServer, ...(response?.documents ?? [])], false);
            replace(uploadPart, table.table);
          }
          return;
        }
        allSent = true;
        replace(notice, message('error', `${unsent} 个文件未上传${part}：${response?.error?.message ?? `HTTP ${result.status}`}`));
        if (last) draw(last);
        return;
      }
      batchId = response.batchId ?? response.batch.batchId;
      sentFiles += chunk.length;
      allSent = i === chunks.length - 1;
      if (allSent) replace(uploadPart);
      follow(response.batch);
    }
  };
  uploading++;
  void sendAll().finally(() => uploading--);
  return job;
}

type Row = { p: Picked; row: HTMLTableRowElement; fill: HTMLElement; pct: HTMLElement };

interface UploadResponse {
  batchId?: string;
  batch?: BatchStatus;
  error?: { message: string };
  documents?: BatchDocument[];
}

/** One upload request of a drop: its files' progress drawn as the bytes go; status 0 when the network failed. */
function send(chunk: Row[], url: string, name: string): Promise<{ status: number; response: UploadResponse | null }> {
  const form = new FormData();
  if (name) form.append('name', name);
  for (const { p } of chunk) form.append('file', p.file, p.path);
  // parts go out in order: each file's share of the bytes sent so far is its progress
  const overhead = 200;
  let offset = 0;
  const spans = chunk.map((r) => {
    const span = { start: offset + overhead, size: r.p.file.size };
    offset += r.p.file.size + overhead + new TextEncoder().encode(r.p.path).length;
    return span;
  });
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'json';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      const scale = e.lengthComputable && e.total ? offset / e.total : 1;
      chunk.forEach((r, i) => {
        const s = spans[i]!;
        const sent = Math.min(1, Math.max(0, (e.loaded * scale - s.start) / Math.max(1, s.size)));
        r.fill.style.width = `${sent * 100}%`;
        replace(r.pct, `${Math.round(sent * 100)}%`);
      });
    });
    xhr.upload.addEventListener('load', () => {
      for (const r of chunk) {
        r.fill.style.width = '100%';
        replace(r.pct, '100%');
      }
    });
    xhr.addEventListener('error', () => resolve({ status: 0, response: null }));
    xhr.addEventListener('load', () => resolve({ status: xhr.status, response: xhr.response as UploadResponse | null }));
    xhr.send(form);
  });
}
