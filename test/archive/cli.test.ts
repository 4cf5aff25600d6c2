/**
 * The archive CLI end to end on both backends (`--db` takes the SQLite file or the postgres:// URL): add, list,
 * show, search and export, with the exit codes of the CLI contract. Until `crossfoot archive|search` are wired
 * into main.ts, the commands are called directly with captured output.
 */
import { buildPackSet, builtinPacks } from '../../src/checks/pack-set.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord, SearchHit } from '../../src/archive/repository.js';
import { archiveCommand, type Io, searchCommand, storeReports } from '../../src/cli/archive.js';
import { ReportSchema } from '../../src/report/schema.js';
import { runCli } from '../e2e/cli.js';
import { marked } from '../helpers/snippet.js';
import { BACKENDS, type Scratch } from './backends.js';
import { corpus, REPORTS } from './corpus.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: typeof archiveCommand, args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
  const code = await command(args, io);
  return { code, stdout, stderr };
}

const archive = (...args: string[]) => run(archiveCommand, args);
/** `archive add` runs its checks in the pool's worker threads, which load the built files: the built CLI. */
const add = (...args: string[]) => runCli(['archive', 'add', ...args, '-j', '2']);
const search = (...args: string[]) => run(searchCommand, args);

describe.each(BACKENDS)('archive CLI on $name', ({ scratch }) => {
  let s: Scratch;
  let out: string;
  const fixtures = ['budget-street-2026.txt', 'final-school-2025.txt', 'perf-cdc-project-2025.txt', 'sangong-market-2025.txt'].map((f) => path.join(REPORTS, f));

  beforeAll(async () => {
    s = await scratch();
    out = mkdtempSync(path.join(tmpdir(), 'crossfoot-export-'));
  });
  afterAll(async () => {
    await s?.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  it('add checks and stores each file, one line per file; adding again changes nothing', async () => {
    const first = await add(...fixtures, '--db', s.db);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(fixtures.length);
    for (const line of lines) expect(line).toMatch(/^added +[0-9a-f]{12} {2}\S+\.txt {2}\d+ error\(s\), \d+ warning\(s\)$/);
    const again = await add(REPORTS, '--db', s.db);
    expect(again.code).toBe(0);
    const statuses = again.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(statuses.filter((x) => x === 'unchanged')).toHaveLength(fixtures.length);
    expect(statuses.filter((x) => x === 'added')).toHaveLength(7 - fixtures.length);
  });

  it('list --format json prints one array of document records', async () => {
    const r = await archive('list', '--format', 'json', '--db', s.db);
    expect(r.code).toBe(0);
    const records = JSON.parse(r.stdout) as DocumentRecord[];
    expect(records).toHaveLength(7);
    for (const rec of records) {
      expect(Object.keys(rec)).toEqual(expect.arrayContaining(['sha256', 'file', 'title', 'organization', 'fiscalYear', 'documentType', 'status', 'errors', 'warnings', 'fields']));
      expect(rec).not.toHaveProperty('snippet');
    }
    expect(records.map((x) => x.fiscalYear)).toEqual([2026, 2025, 2025, 2025, 2025, 2025, 2025]);
    const filtered = JSON.parse((await archive('list', '-f', 'json', '--type', 'sangong', '--db', s.db)).stdout) as DocumentRecord[];
    expect(filtered.map((x) => x.organization)).toEqual(['某县市场监督管理局']);
  });

  it('list prints a table by default', async () => {
    const r = await archive('list', '--db', s.db, '--limit', '2');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^sha256 +year +type +E\/W +organization +title \/ file$/);
    expect(lines[1]).toContain('某区某街道办事处');
    expect(lines.at(-1)).toBe('7 document(s) (2 shown)');
  });

  it('search prints hits with score and marked snippet (json) and honours filters', async () => {
    const r = await search('冷链', '--format', 'json', '--db', s.db);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as SearchHit[];
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ organization: '某县疾病预防控制中心重大传染病防控', fiscalYear: 2025, errors: 0, warnings: 0 });
    expect(marked(hits[0]!)).toContain('<mark>冷链</mark>');
    expect(typeof hits[0]!.score).toBe('number');

    const filtered = JSON.parse((await search('三公经费', '--year', '2025', '--field', 'threePublic.total<50000', '-f', 'json', '--db', s.db)).stdout) as SearchHit[];
    expect(filtered.map((h) => h.organization)).toEqual(['某市第二中学']);
    const table = await search('三公经费', '--db', s.db, '--sort', 'org');
    expect(table.stdout).toContain('【三公”经费】');
    expect((await search('量子计算', '-f', 'json', '--db', s.db)).stdout.trim()).toBe('[]');
  });

  it('show prints the stored report in the check contract, by sha256 prefix or file', async () => {
    const [school] = (await corpus()).filter((d) => d.report.file.endsWith('final-school-2025.txt'));
    const bySha = await archive('show', school!.report.sha256.slice(0, 12), '--db', s.db);
    expect(bySha.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(bySha.stdout));
    expect({ ...report, file: '' }).toEqual({ ...school!.report, file: '', timingsMs: report.timingsMs });
    const byFile = await archive('show', fixtures[1]!, '-f', 'stylish', '--db', s.db);
    expect(byFile).toMatchObject({ code: 0 });
    expect(byFile.stdout).toContain('错误 0 条');
    // readable on a terminal: the document named first, then its findings and a Chinese summary line
    expect(byFile.stdout.split('\n')[0]).toBe('某市第二中学 · 某市第二中学2025年度单位决算说明');
    expect(byFile.stdout).toMatch(/^2025 年度 · 决算 · TXT · 核对 \d+ 项，不一致 \d+ 项$/m);
    expect(await archive('show', 'fixtures/none.txt', '--db', s.db)).toMatchObject({ code: 1, stderr: 'crossfoot: fixtures/none.txt is not in the archive\n' });
  });

  it('exports csv and jsonl, with filters', async () => {
    const csv = await archive('export', '-f', 'csv', '--year', '2026', '--db', s.db);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('某区某街道办事处');
    const jsonl = path.join(out, 'all.jsonl');
    expect((await archive('export', '-o', jsonl, '--query', '公务接待', '--db', s.db)).code).toBe(0);
    const reports = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => ReportSchema.parse(JSON.parse(l)));
    expect(reports.length).toBeGreaterThan(1);
  });

  it('add reports unreadable files and exits 1, storing the rest (a corrupt document as failed)', async () => {
    const corrupt = path.join(out, 'broken.docx');
    writeFileSync(corrupt, 'PK\u0003\u0004 not really a zip');
    const r = await add(path.join(out, 'missing.txt'), corrupt, fixtures[0]!, '--db', s.db);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.txt: 无法读取：文件不存在');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('broken.docx'))).toMatch(/^added .* failed E_CORRUPT: /);
    expect(lines.find((l) => l.includes(fixtures[0]!))).toMatch(/^unchanged/);
    const failed = JSON.parse((await archive('list', '--status', 'failed', '-f', 'json', '--db', s.db)).stdout) as DocumentRecord[];
    expect(failed.map((d) => [d.file, d.error?.code])).toEqual([[corrupt, 'E_CORRUPT']]);
  });

  it('storeReports stores what check produced (check --archive)', async () => {
    const docs = (await corpus()).filter((d) => d.report.file.startsWith('planted/'));
    await storeReports(
      docs.map((d) => d.report),
      new Map(docs.map((d) => [d.report.file, d.text])),
      buildPackSet(builtinPacks()),
      s.db.startsWith('postgres') ? { databaseUrl: s.db } : { db: s.db },
    );
    const errors = JSON.parse((await search('--has', 'error', '--unreviewed', '-f', 'json', '--db', s.db)).stdout) as SearchHit[];
    expect(errors.map((h) => h.file).sort()).toEqual(docs.filter((d) => d.report.findings.some((f) => f.severity === 'error')).map((d) => d.report.file).sort());
  });

  it('exports xlsx as a working paper: 文档, 发现 and 字段 sheets, Chinese headers and labels, date and number cells, links, the review trail', async () => {
    const repo = await s.open();
    const [reviewed] = await repo.findings([(await repo.search({ has: 'error', limit: 1 })).hits[0]!.sha256]);
    const at = new Date('2026-12-01T08:30:00Z');
    await repo.addReview({ sha256: reviewed!.sha256, fingerprint: reviewed!.fingerprint, decision: 'false-positive', reviewer: '王审计', comment: '表内口径不同，非错误', at });
    await repo.close();
    const file = path.join(out, 'archive.xlsx');
    const r = await archive('export', '--format', 'xlsx', '-o', file, '--link-base', 'http://review.local:8080/', '--db', s.db);
    expect(r).toMatchObject({ code: 0, stderr: expect.stringMatching(/^exported \d+ document\(s\) to /) });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((w) => w.name)).toEqual(['文档', '发现', '字段']);
    const docs = book.getWorksheet('文档')!;
    const header = (docs.getRow(1).values as unknown[]).slice(1) as string[];
    expect(header).toEqual(expect.arrayContaining(['单位', '标题', '文件', '年度', '文档类型', '结果', '错误', '检查时间（UTC）', '支出合计（元）', '“三公”经费合计（元）', '报告', 'sha256']));
    expect(header.some((h) => /^[a-z]+\.[a-z]/i.test(h)), 'no field key as a header').toBe(false);
    const listed = JSON.parse((await archive('list', '--limit', '0', '-f', 'json', '--db', s.db)).stdout) as DocumentRecord[];
    expect(docs.rowCount).toBe(listed.length + 1);
    expect(docs.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(docs.autoFilter).toBeTruthy();
    const cell = (row: ExcelJS.Row, name: string) => row.getCell(header.indexOf(name) + 1);
    const school = [...Array(listed.length).keys()].map((i) => docs.getRow(i + 2)).find((row) => cell(row, '单位').value === '某市第二中学')!;
    expect(cell(school, '“三公”经费合计（元）').value).toBe(18600);
    expect(cell(school, '年度').value).toBe(2025);
    expect(cell(school, '文档类型').value).toBe('决算');
    expect(cell(school, '检查时间（UTC）').value).toBeInstanceOf(Date);
    expect(cell(school, '报告').value).toEqual({ text: '打开报告', hyperlink: expect.stringMatching(/^http:\/\/review\.local:8080\/documents\/[0-9a-f]{64}$/) });

    const findings = book.getWorksheet('发现')!;
    const fHeader = (findings.getRow(1).values as unknown[]).slice(1) as string[];
    expect(fHeader).toEqual(expect.arrayContaining(['单位', '严重程度', '规则', '说明', '计算', '原文', '审核结论', '审核人', '审核时间（UTC）', '审核意见', '报告']));
    expect(findings.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(findings.autoFilter).toBeTruthy();
    const fCell = (row: ExcelJS.Row, name: string) => row.getCell(fHeader.indexOf(name) + 1);
    const rows = [...Array(findings.rowCount - 1).keys()].map((i) => findings.getRow(i + 2));
    const decided = rows.find((row) => fCell(row, '指纹').value === reviewed!.fingerprint)!;
    expect(fCell(decided, '审核结论').value).toBe('误报');
    expect(fCell(decided, '审核人').value).toBe('王审计');
    expect(fCell(decided, '审核意见').value).toBe('表内口径不同，非错误');
    expect((fCell(decided, '审核时间（UTC）').value as Date).toISOString()).toBe(at.toISOString());
    expect(fCell(decided, '严重程度').value).toBe('错误');
    expect(typeof fCell(decided, '行').value).toBe('number');
    expect((fCell(decided, '报告').value as { hyperlink: string }).hyperlink).toMatch(new RegExp(`/documents/${reviewed!.sha256}#${reviewed!.fingerprint}$`));
    expect(rows.filter((row) => row !== decided).every((row) => fCell(row, '审核结论').value === '未审核')).toBe(true);

    const fields = book.getWorksheet('字段')!;
    const values = fields.getSheetValues().slice(2) as unknown[][];
    // 单位, 年度, 文件, 字段, 数值, 计量单位, 字段代码
    expect(values.find((v) => v[1] === '某市第二中学' && v[7] === 'threePublic.total')).toEqual(expect.arrayContaining(['“三公”经费合计', 18600, '元']));
  });

  it('exits 2 with a message on usage errors', async () => {
    for (const args of [[], ['frobnicate'], ['add'], ['show'], ['export', '-f', 'pdf'], ['export', '-f', 'xlsx'], ['list', '--year', 'last'], ['list', '--bogus']]) {
      const r = await archive(...args, '--db', s.db);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^crossfoot: /);
    }
    for (const args of [[], ['x', '--field', 'expenditure.total>>1'], ['x', '--has', 'fatal'], ['x', '--sort', 'size'], ['x', '-f', 'xml']]) {
      const r = await search(...args, '--db', s.db);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^crossfoot: /);
    }
  });
});

describe('archive CLI without a database', () => {
  it('says clearly when PostgreSQL cannot be reached (exit 2)', async () => {
    const r = await archive('list', '--db', 'postgres://postgres:secret@127.0.0.1:1/none');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^crossfoot: cannot use the PostgreSQL archive at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/);
  });

  it('says clearly when the SQLite file cannot be opened (exit 2)', async () => {
    const r = await archive('list', '--db', '/nonexistent-dir/x.db');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^crossfoot: cannot open the SQLite archive \/nonexistent-dir\/x\.db: /);
  });
});
