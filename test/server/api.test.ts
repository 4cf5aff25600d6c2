/**
 * The REST API through the real server (`crossfoot serve`, in-process checking, SQLite in a temporary folder):
 * uploads of TXT, DOCX, PDF, a zip and a corrupt file, listing and filters, the report contract, reviews, search,
 * exports, batches with server-sent events and retry, and the upload limits.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snippet } from '../../src/archive/highlight.js';
import { BROWSER_LABELS, type BrowserLabels, FIELD_LABELS } from '../../src/report/labels.js';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { parseJsonl, runCli } from '../e2e/cli.js';
import { marked } from '../helpers/snippet.js';
import { fixture, fixtureSet, formOf, plantedCase, startServer, type Served, type UploadFile } from './harness.js';

interface UploadResponse {
  batchId: string;
  mode: string;
  batch: { total: number; completed: boolean; documents: { name: string; sha256: string; state: string; status?: string; errorCode?: string; errorMessage?: string }[] };
  reports?: Report[];
  error?: { code: string; message: string };
}

let server: Served;
const enc = new TextEncoder();

async function upload(files: UploadFile[], query = '', init: RequestInit = {}): Promise<{ status: number; body: UploadResponse }> {
  const response = await fetch(`${server.url}/api/documents${query}`, { method: 'POST', body: formOf(files), ...init });
  return { status: response.status, body: (await response.json()) as UploadResponse };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${url}`);
  return { status: response.status, body: (await response.json()) as T };
}

let first: UploadResponse;
let planted: Report;
let xss: Report;

beforeAll(async () => {
  server = await startServer();
  const set = await fixtureSet();
  const { body, status } = await upload([set.txt!, set.docx!, set.pdf!, set.zip!, set.corrupt!]);
  expect(status).toBe(200);
  first = body;
  const p = await plantedCase('agri-evaluated-total-transposed');
  const xssText = await fixture('xss-archives-2025.txt');
  const more = await upload([
    { name: 'planted-agri.txt', bytes: enc.encode(p.text) },
    { name: '<img src=x onerror=alert(1)>.txt', bytes: enc.encode(xssText) },
  ]);
  expect(more.status).toBe(200);
  planted = more.body.reports![0]!;
  xss = more.body.reports![1]!;
});

afterAll(async () => {
  await server?.stop();
});

describe('POST /api/documents', () => {
  it('answers every uploaded file exactly once, zip members by their path, with reports in the CLI contract', () => {
    const names = first.reports!.map((r) => r.file);
    expect(names).toEqual([
      'perf-agri-dept-2025.txt',
      '第二中学决算说明.docx',
      'sangong-market-2025.pdf',
      '批量报送.zip/2025/perf-cdc-project-2025.txt',
      '批量报送.zip/2025/budget-street-2026.docx',
      '批量报送.zip/mixed-media-center-2025.txt',
      'broken.docx',
    ]);
    for (const r of first.reports!) ReportSchema.parse(r);
    expect(first.batch.documents.map((d) => d.name)).toEqual(names);
    expect(first.batch.completed).toBe(true);
    const ok = first.reports!.filter((r) => r.status === 'ok');
    expect(ok.map((r) => r.format)).toEqual(['txt', 'docx', 'pdf', 'txt', 'docx', 'txt']);
    for (const r of ok) expect(r.findings.filter((f) => f.severity === 'error'), `${r.file}: ${JSON.stringify(r.findings)}`).toEqual([]);
  });

  it('gives the corrupt file a failed report with its code and cause', () => {
    const broken = first.reports!.find((r) => r.file === 'broken.docx')!;
    expect(broken.status).toBe('failed');
    expect(broken.error?.code).toBe('E_CORRUPT');
    expect(broken.error?.message).toBeTruthy();
    const doc = first.batch.documents.find((d) => d.name === 'broken.docx')!;
    expect(doc).toMatchObject({ state: 'done', status: 'failed', errorCode: 'E_CORRUPT' });
  });

  it('finds the planted error', () => {
    const sum = planted.findings.filter((f) => f.ruleId === 'core/listed-parts-sum');
    expect(sum).toHaveLength(1);
    expect(sum[0]!.calculation).toBe('612.50 + 148.36 + 96.84 = 857.70 ≠ 875.70');
  });

  it('stores uploads under server-chosen names only', () => {
    const stored = readdirSync(server.uploadDir);
    for (const name of stored) expect(name).toMatch(/^[0-9a-f]{64}\.(docx|pdf|txt)$/);
    expect(stored).toContain(`${planted.sha256}.txt`);
  });

  it('refuses a request without files, or not multipart', async () => {
    const none = await fetch(`${server.url}/api/documents`, { method: 'POST', body: new FormData() });
    expect(none.status).toBe(400);
    const json = await fetch(`${server.url}/api/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(((await json.json()) as UploadResponse).error?.message).toContain('multipart');
  });

  it('refuses a file of the wrong type, naming the file and the cause', async () => {
    const { status, body } = await upload([{ name: 'setup.exe', bytes: Uint8Array.from([0x4d, 0x5a, 1, 2, 3]) }]);
    expect(status).toBe(415);
    expect(body.error?.message).toContain('setup.exe');
    expect(body.error?.message).toContain('不支持的文件类型');
    expect(body.reports).toHaveLength(1);
    expect(body.reports![0]).toMatchObject({ file: 'setup.exe', status: 'failed', error: { code: 'E_UNSUPPORTED' } });
  });

  it('lists a refused file beside the accepted ones, each once', async () => {
    const { status, body } = await upload([{ name: 'notes.md', bytes: enc.encode('# hi') }, { name: 'again.txt', bytes: enc.encode(await fixture('final-school-2025.txt')) }]);
    expect(status).toBe(200);
    expect(body.reports!.map((r) => [r.file, r.status, r.error?.code])).toEqual([
      ['notes.md', 'failed', 'E_UNSUPPORTED'],
      ['again.txt', 'ok', undefined],
    ]);
  });

  it('never lets a file name choose where the file goes', async () => {
    const text = `${await fixture('final-school-2025.txt')}\n（路径测试）\n`;
    const { status, body } = await upload([{ name: '../../../escape-attempt.txt', bytes: enc.encode(text) }]);
    expect(status).toBe(200);
    expect(body.reports![0]!.file).toBe('escape-attempt.txt');
    expect(body.reports![0]!.status).toBe('ok');
    for (const dir of [server.dir, path.dirname(server.dir), server.uploadDir, path.resolve(server.uploadDir, '../..')]) {
      expect(existsSync(path.join(dir, 'escape-attempt.txt'))).toBe(false);
    }
    expect(existsSync(path.join(server.uploadDir, `${body.reports![0]!.sha256}.txt`))).toBe(true);
  });

  it('refuses zip members with unsafe paths and nested zips, and keeps the safe ones', async () => {
    const zip = zipSync({
      '../outside.txt': enc.encode('上一级目录'),
      '/etc/absolute.txt': enc.encode('绝对路径'),
      'inner.zip': zipSync({ 'a.txt': enc.encode('嵌套') }),
      'ok/report.txt': enc.encode(await fixture('sangong-market-2025.txt')),
    });
    const { status, body } = await upload([{ name: 'mixed.zip', bytes: zip }]);
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.reports!.map((r) => [r.file, r]));
    expect(Object.keys(byName)).toHaveLength(4);
    expect(byName['mixed.zip/outside.txt']).toMatchObject({ status: 'failed', error: { code: 'E_UNSUPPORTED' } });
    expect(byName['mixed.zip/outside.txt']!.error!.message).toContain('路径不安全');
    expect(byName['mixed.zip/etc/absolute.txt']!.error!.message).toContain('路径不安全');
    expect(byName['mixed.zip/inner.zip']!.error!.message).toContain('嵌套');
    expect(byName['mixed.zip/ok/report.txt']!.status).toBe('ok');
    expect(existsSync(path.resolve(server.uploadDir, '..', 'outside.txt'))).toBe(false);
  });

  it('reads GBK member names of zips made on Chinese Windows', async () => {
    // 测试报告.txt in GBK: 8 bytes + .txt; written under an ASCII placeholder of the same length, then patched
    const gbk = Uint8Array.from([0xb2, 0xe2, 0xca, 0xd4, 0xb1, 0xa8, 0xb8, 0xe6, 0x2e, 0x74, 0x78, 0x74]);
    const placeholder = enc.encode('abcdefgh.txt');
    // the same bytes as the first upload's zip member: no new document in the archive
    const zip = zipSync({ 'abcdefgh.txt': enc.encode(await fixture('mixed-media-center-2025.txt')) });
    for (let i = 0; i + placeholder.length <= zip.length; i++) {
      if (placeholder.every((b, k) => zip[i + k] === b)) zip.set(gbk, i);
    }
    const { body } = await upload([{ name: 'windows.zip', bytes: zip }]);
    expect(body.reports!.map((r) => [r.file, r.status])).toEqual([['windows.zip/测试报告.txt', 'ok']]);
  });

  it('reports a corrupt zip as one failed file', async () => {
    const { status, body } = await upload([{ name: 'damaged.zip', bytes: enc.encode('PK\u0003\u0004 truncated') }]);
    expect(status).toBe(400);
    expect(body.reports).toHaveLength(1);
    expect(body.reports![0]).toMatchObject({ file: 'damaged.zip', status: 'failed', error: { code: 'E_CORRUPT' } });
  });
});

describe('GET /api/documents', () => {
  interface Listing {
    total: number;
    page: number;
    pages: number;
    documents: { sha256: string; file: string; fiscalYear: number | null; documentType: string | null; errors: number; status: string }[];
  }

  it('pages on the server', async () => {
    const all = await getJson<Listing>('/api/documents?limit=500');
    expect(all.status).toBe(200);
    const total = all.body.total;
    expect(total).toBe(all.body.documents.length);
    expect(total).toBeGreaterThanOrEqual(10);
    const p1 = await getJson<Listing>('/api/documents?limit=3&page=1&sort=org');
    const p2 = await getJson<Listing>('/api/documents?limit=3&page=2&sort=org');
    expect(p1.body.documents).toHaveLength(3);
    expect(p1.body.pages).toBe(Math.ceil(total / 3));
    const seen = new Set([...p1.body.documents, ...p2.body.documents].map((d) => d.sha256));
    expect(seen.size).toBe(6);
  });

  it('filters by year, type, status and findings, and sorts by errors', async () => {
    const budget = await getJson<Listing>('/api/documents?type=budget');
    expect(budget.body.documents.map((d) => d.fiscalYear)).toEqual([2026]);
    const y2026 = await getJson<Listing>('/api/documents?year=2026');
    expect(y2026.body.total).toBe(1);
    const failed = await getJson<Listing>('/api/documents?status=failed');
    expect(failed.body.documents.map((d) => d.file)).toContain('broken.docx');
    const withErrors = await getJson<Listing>('/api/documents?has=error');
    expect(withErrors.body.documents.map((d) => d.sha256)).toContain(planted.sha256);
    const sorted = await getJson<Listing>('/api/documents?sort=errors&limit=1');
    expect(sorted.body.documents[0]!.sha256).toBe(planted.sha256);
    const org = await getJson<Listing>(`/api/documents?org=${encodeURIComponent('农业农村局')}`);
    expect(org.body.total).toBe(2);
    const field = await getJson<Listing>(`/api/documents?field=${encodeURIComponent('expenditure.total>=20000000')}&field=${encodeURIComponent('staff.actual<46')}`);
    expect(field.body.documents.length).toBeGreaterThan(0);
  });

  it('lists a document with no amount and no known title as 未识别为报告 (status not-a-report), never as passed', async () => {
    const { body } = await upload([{ name: 'notes.txt', bytes: enc.encode('hello world\n') }]);
    expect(body.reports![0]!.notAReport).toBe(true);
    expect(body.batch.documents[0]).toMatchObject({ name: 'notes.txt', status: 'ok', notAReport: true });
    const notes = await getJson<Listing>('/api/documents?status=not-a-report');
    expect(notes.body.documents.map((d) => [d.file, (d as { notAReport?: boolean }).notAReport])).toEqual([['notes.txt', true]]);
    const ok = await getJson<Listing>('/api/documents?status=ok&limit=500');
    expect(ok.body.documents.map((d) => d.file)).not.toContain('notes.txt');
    expect(ok.body.documents.every((d) => !(d as { notAReport?: boolean }).notAReport)).toBe(true);
  });

  it('answers a bad filter with 400 and a Chinese message', async () => {
    for (const q of ['year=二〇二五', 'type=novel', 'limit=100000', 'field=expenditure.total~5', 'colour=red']) {
      const r = await getJson<{ error: { code: string; message: string } }>(`/api/documents?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('E_INPUT');
      expect(r.body.error.message).toMatch(/不正确/);
    }
  });
});

describe('validation messages', () => {
  const ENGLISH = /Invalid|expected|received|Too (small|big)|Unrecognized|must match/;

  it('name the parameter and the reason in Chinese, with no zod English', async () => {
    const cases: [string, string][] = [
      ['/api/documents?page=abc', '参数 page 无效：应为数字'],
      ['/api/documents?page=0', '参数 page 无效：不能小于 1'],
      ['/api/documents?limit=100000', '参数 limit 无效：不能大于 500'],
      ['/api/documents?page=1.5', '参数 page 无效：应为整数'],
      ['/api/documents?status=broken', '参数 status 无效：应为 ok、failed、not-a-report 之一'],
      ['/api/documents?colour=red', '不支持的参数：colour'],
      ['/api/documents?year=二〇二五', '参数 year 无效：应为数字'],
      ['/api/documents/abc', '参数 文档编号 无效：应为 64 位十六进制 sha256'],
    ];
    for (const [url, text] of cases) {
      const r = await getJson<{ error: { code: string; message: string } }>(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error.message, url).toContain(text);
      expect(r.body.error.message, url).not.toMatch(ENGLISH);
    }
  });

  it('say the same for a review body, and for a body that is not JSON', async () => {
    const finding = planted.findings[0]!;
    const post = (body: string) => fetch(`${server.url}/api/findings/${finding.id}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bad = (await (await post(JSON.stringify({ sha256: planted.sha256, decision: 'maybe', comment: 'x'.repeat(3000) }))).json()) as { error: { message: string } };
    expect(bad.error.message).toContain('参数 decision 无效：应为 accepted、false-positive、comment、reopened 之一');
    expect(bad.error.message).toContain('参数 comment 无效：最多 2000 个字符');
    expect(bad.error.message).not.toMatch(ENGLISH);
    const missing = (await (await post(JSON.stringify({ decision: 'accepted' }))).json()) as { error: { message: string } };
    expect(missing.error.message).toContain('参数 sha256 无效：缺少此项');
    const broken = await post('{"sha256": ');
    expect(broken.status).toBe(400);
    const body = (await broken.json()) as { error: { message: string } };
    expect(body.error.message).toBe('请求体不是有效的 JSON');
  });
});

describe('GET /api/documents/:sha256', () => {
  it('returns the report in the CLI contract, the same findings the CLI gives', async () => {
    const { status, body } = await getJson<Report>(`/api/documents/${planted.sha256}`);
    expect(status).toBe(200);
    const report = ReportSchema.parse(body);
    const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-cli-'));
    try {
      const file = path.join(dir, 'planted-agri.txt');
      await writeFile(file, (await plantedCase('agri-evaluated-total-transposed')).text);
      const cli = parseJsonl((await runCli(['check', '-f', 'jsonl', file])).stdout)[0]!;
      expect(report.sha256).toBe(cli.sha256);
      expect(report.findings).toEqual(cli.findings);
      expect(report.fields).toEqual(cli.fields);
      expect(report.figures.map((f) => f.id)).toEqual(cli.figures.map((f) => f.id));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives the viewer the text the figure offsets index', async () => {
    const { body } = await getJson<{ report: Report; text: string; reviews: unknown[] }>(`/api/documents/${planted.sha256}/view`);
    const finding = body.report.findings.find((f) => f.ruleId === 'core/listed-parts-sum')!;
    const total = body.report.figures.find((f) => f.id === finding.figures[0])!;
    expect(body.text.slice(total.loc.textStart!, total.loc.textEnd!)).toBe('875.70万元');
    const text = await fetch(`${server.url}/api/documents/${planted.sha256}/text`);
    expect(text.headers.get('content-type')).toContain('text/plain');
    expect(await text.text()).toBe(body.text);
  });

  it('answers 404 for an unknown document and 400 for a malformed id', async () => {
    expect((await getJson(`/api/documents/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await getJson('/api/documents/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    expect((await getJson('/api/documents/abc')).status).toBe(400);
  });
});

describe('reviews', () => {
  const post = (id: string, body: unknown) =>
    fetch(`${server.url}/api/findings/${id}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('stores a decision by fingerprint and returns it with the document', async () => {
    const finding = planted.findings.find((f) => f.ruleId === 'core/listed-parts-sum')!;
    const r = await post(finding.id, { sha256: planted.sha256, decision: 'false-positive', comment: '分项口径不同', reviewer: '王审核' });
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ fingerprint: finding.id, decision: 'false-positive', comment: '分项口径不同', reviewer: '王审核', orphaned: false });
    const view = await getJson<{ reviews: { fingerprint: string; decision: string }[] }>(`/api/documents/${planted.sha256}/view`);
    expect(view.body.reviews).toEqual([expect.objectContaining({ fingerprint: finding.id, decision: 'false-positive' })]);
    const reviews = await getJson<unknown[]>(`/api/documents/${planted.sha256}/reviews`);
    expect(reviews.body).toHaveLength(1);
    // the archive's filters see it: the document has no unreviewed error left
    const open = await getJson<{ documents: { sha256: string }[] }>('/api/documents?has=error&unreviewed=1');
    expect(open.body.documents.map((d) => d.sha256)).not.toContain(planted.sha256);
  });

  it('validates the body and the finding', async () => {
    const finding = planted.findings[0]!;
    expect((await post(finding.id, { sha256: planted.sha256, decision: 'maybe' })).status).toBe(400);
    expect((await post(finding.id, { sha256: planted.sha256, decision: 'comment' })).status).toBe(400);
    expect((await post(finding.id, { sha256: 'xyz', decision: 'accepted' })).status).toBe(400);
    expect((await post(finding.id, { sha256: planted.sha256, decision: 'accepted', extra: 1 })).status).toBe(400);
    expect((await post('deadbeefdeadbeef', { sha256: planted.sha256, decision: 'accepted' })).status).toBe(404);
    expect((await post(finding.id, { sha256: xss.sha256, decision: 'accepted' })).status).toBe(404);
  });
});

describe('search', () => {
  interface Hits {
    total: number;
    hits: { sha256: string; snippet: Snippet | null; title: string | null }[];
  }

  it('finds reports by a Chinese word, the match marked in the snippet', async () => {
    const { status, body } = await getJson<Hits>(`/api/search?q=${encodeURIComponent('档案馆')}`);
    expect(status).toBe(200);
    expect(body.hits.map((h) => h.sha256)).toEqual([xss.sha256]);
    expect(marked(body.hits[0]!)).toContain('<mark>档案馆</mark>');
    const zip = await getJson<Hits>(`/api/search?q=${encodeURIComponent('疾病预防控制')}`);
    expect(zip.body.total).toBeGreaterThan(0);
  });

  it('combines words with filters, and needs words', async () => {
    const none = await getJson<Hits>(`/api/search?q=${encodeURIComponent('档案馆')}&year=2026`);
    expect(none.body.total).toBe(0);
    expect((await getJson('/api/search')).status).toBe(400);
  });
});

describe('export', () => {
  it('writes the current filter as xlsx: documents and findings sheets', async () => {
    const response = await fetch(`${server.url}/api/export.xlsx?has=error`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="crossfoot-\d{8}\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['文档', '发现', '字段']);
    const docs = workbook.getWorksheet('文档')!;
    const findings = workbook.getWorksheet('发现')!;
    const header = (docs.getRow(1).values as unknown[]).slice(1);
    const shaCol = header.indexOf('sha256') + 1;
    const shas = docs.getColumn(shaCol).values.slice(2);
    expect(shas).toContain(planted.sha256);
    expect(shas).not.toContain(xss.sha256);
    // each document links to its report on this server
    const linkCol = header.indexOf('报告') + 1;
    expect(docs.getColumn(linkCol).values.slice(2)).toContainEqual({ text: '打开报告', hyperlink: `${server.url}/documents/${planted.sha256}` });
    const fHeader = (findings.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => fHeader.indexOf(name) + 1;
    const rows = findings.getSheetValues().slice(2) as unknown[][];
    const row = rows.find((r) => r[col('计算')] === '612.50 + 148.36 + 96.84 = 857.70 ≠ 875.70');
    expect(row).toBeDefined();
    // the review trail: decision, reviewer, time (a date cell) and comment
    expect([row![col('审核结论')], row![col('审核人')], row![col('审核意见')]]).toEqual(['误报', '王审核', '分项口径不同']);
    expect(row![col('审核时间（UTC）')]).toBeInstanceOf(Date);
    expect(row![col('严重程度')]).toBe('错误');
  });

  it('writes csv with a byte-order mark for Excel', async () => {
    const response = await fetch(`${server.url}/api/export.csv?year=2026`);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\ufeff?单位,标题,文件,年度,文档类型/);
    expect(lines[1]).toContain(',预算,');
  });
});

describe('batches', () => {
  it('streams progress as server-sent events until the batch completes', async () => {
    const text = `${await fixture('perf-cdc-project-2025.txt')}\n（事件流测试）\n`;
    const { status, body } = await upload([{ name: 'sse.txt', bytes: enc.encode(text) }, { name: 'empty.txt', bytes: new Uint8Array() }], '?wait=0');
    expect(status).toBe(202);
    expect(body.reports).toBeUndefined();
    const response = await fetch(`${server.url}/api/batches/${body.batchId}/events`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const stream = await response.text(); // the server ends the stream after the batch completed
    const events = stream.split('\n\n').filter((e) => e.startsWith('event: '));
    expect(events.at(-1)).toContain('event: end');
    const statuses = events.filter((e) => e.startsWith('event: status')).map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)) as UploadResponse['batch']);
    const last = statuses.at(-1)!;
    expect(last.completed).toBe(true);
    expect(last.documents.map((d) => [d.name, d.status])).toEqual([
      ['sse.txt', 'ok'],
      ['empty.txt', 'failed'],
    ]);
    const listed = await getJson<{ batches: { batchId: string }[] }>('/api/batches');
    expect(listed.body.batches.map((b) => b.batchId)).toContain(body.batchId);
  });

  it('says which files of an upload were checked before, and names a batch with its time', async () => {
    const again = await upload([{ name: '再次上传.txt', bytes: enc.encode(await fixture('perf-agri-dept-2025.txt')) }, { name: 'new.txt', bytes: enc.encode('新的说明：2025年度支出合计12.00万元。\n') }]);
    expect(again.status).toBe(200);
    expect((again.body as unknown as { alreadyChecked: string[] }).alreadyChecked).toEqual(['再次上传.txt']);
    expect(again.body.batch.documents.map((d) => [d.name, (d as { duplicate?: boolean }).duplicate ?? false])).toEqual([['再次上传.txt', true], ['new.txt', false]]);
    expect((again.body.batch as unknown as { name: string }).name).toMatch(/^2 个文件（\d\d-\d\d \d\d:\d\d）$/);
  });

  it('offers a retry for a time-out in-process, and checks the file again', async () => {
    // the built classes the server runs (the pool's threads load the built checker), with a 1 ms time limit
    const [{ LocalBatches }, { CheckPool }, { openArchive }, { buildPackSet, builtinPacks }, { DEFAULT_READ_LIMITS }] = await Promise.all([
      import('../../dist/server/batches.js'),
      import('../../dist/pool/pool.js'),
      import('../../dist/archive/index.js'),
      import('../../dist/checks/pack-set.js'),
      import('../../dist/readers/types.js'),
    ]);
    const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-timeout-'));
    const pool = new CheckPool({ concurrency: 1, timeoutMs: 1, limits: DEFAULT_READ_LIMITS, packs: buildPackSet(builtinPacks()) });
    const archive = await openArchive({ db: path.join(dir, 'a.db') });
    try {
      const batches = new LocalBatches({ pool, archive, packs: buildPackSet(builtinPacks()), inFlight: 1, maxBatches: 2 });
      const file = path.join(dir, 'slow.txt');
      await writeFile(file, await fixture('perf-agri-dept-2025.txt'));
      const { batchId } = await batches.submit([{ kind: 'accepted', name: 'slow.txt', sha256: 'a'.repeat(64), path: file, bytes: 1, fresh: true }]);
      const timedOut = (await batches.settled(batchId))!;
      expect(timedOut.documents[0]).toMatchObject({ errorCode: 'E_TIMEOUT', retryable: true });
      expect(timedOut.retryable).toBe(1);
      const again = (await batches.retry(batchId))!;
      expect(again.documents[0]!.state).toMatch(/waiting|active/);
      expect((await batches.settled(batchId))!.documents[0]).toMatchObject({ state: 'done', errorCode: 'E_TIMEOUT' });
      await batches.close();
    } finally {
      await pool.close();
      await archive.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('offers no retry for files that would fail the same way again (empty, corrupt, unsupported)', async () => {
    const { body } = await upload([
      { name: 'empty-again.txt', bytes: new Uint8Array() },
      { name: 'broken-again.docx', bytes: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) },
      { name: 'fine.txt', bytes: enc.encode(await fixture('mixed-media-center-2025.txt')) },
    ]);
    const batch = body.batch as unknown as { retryable: number; documents: { retryable?: boolean }[] };
    expect(batch.retryable).toBe(0);
    expect(batch.documents.map((d) => d.retryable ?? false)).toEqual([false, false, false]);
    const retried = await fetch(`${server.url}/api/batches/${body.batchId}/retry`, { method: 'POST' });
    expect(retried.status).toBe(409);
    expect(((await retried.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'E_RETRY', message: expect.stringContaining('重试也会同样失败') });
    expect((await getJson('/api/batches/no-such-batch')).status).toBe(404);
  });
});

describe('pages', () => {
  it('serves the app shell with a strict content security policy', async () => {
    for (const page of ['/upload', '/batches', '/documents', `/documents/${planted.sha256}`, '/search', '/export']) {
      const r = await fetch(`${server.url}${page}`);
      expect(r.status, page).toBe(200);
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await r.text()).toMatch(/\/assets\/js\/v-\w+\/app\.js/);
    }
    expect((await fetch(`${server.url}/assets/js/app.js`)).status).toBe(200);
    // a module under the build's version is cached for good; nothing outside the compiled modules is served there
    const versioned = await fetch(`${server.url}/assets/js/v-1/pages/report.js`);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/assets/js/v-1/..%2F..%2Fpackage.json`)).status).toBe(404);
    // the original page exists for PDFs only
    const notPdf = await fetch(`${server.url}/api/documents/${planted.sha256}/pages/1.png`);
    expect(notPdf.status).toBe(404);
    expect(((await notPdf.json()) as { error: { message: string } }).error.message).toContain('不是 PDF');
    // a bulk decision names its reviewer
    const bulk = await fetch(`${server.url}/api/reviews/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documents: [planted.sha256], ruleId: 'core/listed-parts-sum', decision: 'accepted', reviewer: '' }) });
    expect(bulk.status).toBe(400);
    expect(((await bulk.json()) as { error: { message: string } }).error.message).toContain('请填写审核人');
    expect((await fetch(`${server.url}/assets/app.css`)).status).toBe(200);
    expect((await fetch(`${server.url}/assets/../package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/nope`)).status).toBe(404);
  });
  it('serves the browser the labels the exports use, one copy of them (src/report/labels.ts)', async () => {
    const { status, body } = await getJson<BrowserLabels>('/api/labels');
    expect(status).toBe(200);
    expect(body).toEqual(BROWSER_LABELS);
    // in their order, which the filter lists show
    expect(Object.keys(body.fields)).toEqual(Object.keys(FIELD_LABELS));
    expect([body.documentTypes['final-accounts'], body.severities.error, body.decisions.reopened, body.fields['staff.actual']]).toEqual(['决算', '错误', '重新打开', '实有人数']);
  });
});
