/**
 * The review web app end to end, in real headless Chromium (Debian's `chromium`, driven by playwright-core) against
 * the real server (`crossfoot serve`, in-process checking, a temporary SQLite archive): upload the fixture reports
 * (one with a planted error, one with markup in its text and its file name, one corrupt), wait for the batch, open
 * the planted report, check the highlighted figures and the finding card, mark it 误报, reload, search, export.
 * Screenshots of every main page at 1366×768 go to test/artifacts/ (ignored by git).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_TYPE_LABELS, FIELD_LABELS } from '../../src/report/labels.js';
import type { Report } from '../../src/report/schema.js';
import { ROOT } from '../e2e/cli.js';
import { renderDocx, renderPdfKit } from '../helpers/render.js';
import { configEnv, dropPrefix, redisAnswers, SHARED_REDIS, testConfig } from '../queue/harness.js';
import { fixture, formOf, markupReport, plantedCase, startServer, type Served } from '../server/harness.js';

const CHROMIUM = process.env.CROSSFOOT_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const XSS_NAME = '<img src=x onerror=alert(1)>.txt';

let server: Served;
let browser: Browser;
let page: Page;
let dir: string;
const files: string[] = [];
let plantedSha: string;
let xssSha: string;
const dialogs: string[] = [];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `web-${name}.png`) });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  await mkdir(ARTIFACTS, { recursive: true });
  dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-web-'));
  const write = async (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    files.push(file);
    return bytes;
  };
  const { text: planted } = await plantedCase('agri-evaluated-total-transposed');
  plantedSha = sha256(await write('某县农业农村局2025年度绩效评价报告.docx', await renderDocx(planted)));
  xssSha = sha256(await write(XSS_NAME, new TextEncoder().encode(await fixture('xss-archives-2025.txt'))));
  await write('final-school-2025.txt', new TextEncoder().encode(await fixture('final-school-2025.txt')));
  await write('sangong-market-2025.pdf', await renderPdfKit(await fixture('sangong-market-2025.txt')));
  await write('budget-street-2026.docx', await renderDocx(await fixture('budget-street-2026.txt')));
  await write('损坏的文件.pdf', new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> garbage'));

  // four files per request: the six reports go as two requests that make one batch, as a large folder would
  server = await startServer({ args: ['--max-files', '4'] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => dialogs.push(`page error: ${error.message}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the review web app in Chromium', { timeout: 240_000 }, () => {
  it('uploads the reports and follows the batch to the end', async () => {
    await page.goto(`${server.url}/upload`);
    await page.locator('#dropzone').waitFor();
    await page.setInputFiles('#file-input', files);
    const job = page.locator('section.job').first();
    await job.locator('[data-completed="1"]').first().waitFor({ timeout: 180_000 });
    await expect.poll(() => job.getAttribute('data-completed'), { timeout: 30_000 }).toBe('1');
    const rows = job.locator('table.batch-docs tbody tr');
    expect(await rows.count()).toBe(files.length);
    const batchId = (await job.getAttribute('data-batch'))!;
    const batch = (await (await fetch(`${server.url}/api/batches/${batchId}`)).json()) as { total: number; documents: { name: string }[] };
    expect(batch.total).toBe(files.length);
    expect(new Set(batch.documents.map((d) => d.name)).size).toBe(files.length);
    const broken = job.locator('tr', { hasText: '损坏的文件.pdf' });
    expect(await broken.locator('.badge').textContent()).toBe('无法读取');
    expect(await broken.locator('td.cause').textContent()).toBe('PDF 文件已损坏，无法读取');
    const plantedRow = job.locator('tr', { hasText: '某县农业农村局2025年度绩效评价报告.docx' });
    expect(await plantedRow.locator('.badge').textContent()).toBe('有错误');
    // the file name with markup is shown as text, as a link to its report
    expect(await job.locator('td.name a', { hasText: XSS_NAME }).count()).toBe(1);
    await shot('upload');

    await job.locator('a.batch-link').click();
    await page.locator('.counts [data-completed="1"]').waitFor();
    expect(await page.locator('table.batch-docs tbody tr').count()).toBe(files.length);
    await page.locator('#only-problems').check();
    expect(await page.locator('table.batch-docs tbody tr').count()).toBe(2);
    await shot('batch');
    // no retry for a corrupt file: it would fail the same way again
    expect(await page.locator('#retry').isDisabled()).toBe(true);
    expect(await page.locator('table.batch-docs tr', { hasText: '损坏的文件.pdf' }).locator('.badge').textContent()).toBe('无法读取');
    await page.goto(`${server.url}/batches`);
    await page.locator('table.grid tbody tr').first().waitFor();
    await shot('batches');
  });

  it('takes files dropped on the drop zone, refusing a wrong type with its cause', async () => {
    await page.goto(`${server.url}/upload`);
    const school = await fixture('final-school-2025.txt');
    const data = await page.evaluateHandle((text) => {
      // runs in the page (the test's own types have no DOM library)
      const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: string[], name: string, o?: object) => unknown };
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([text], '拖放的报告.txt', { type: 'text/plain' }));
      dt.items.add(new g.File(['x'], '表格.xlsx'));
      return dt;
    }, `${school}\n（拖放上传）\n`);
    await page.dispatchEvent('#dropzone', 'drop', { dataTransfer: data });
    const job = page.locator('section.job').first();
    await expect.poll(() => job.getAttribute('data-completed'), { timeout: 60_000 }).toBe('1');
    expect(await job.locator('.refused li').textContent()).toContain('表格.xlsx：不支持的文件类型“.xlsx”');
    expect(await job.locator('table.batch-docs tr', { hasText: '拖放的报告.txt' }).locator('.badge').textContent()).toBe('通过');
  });

  it('lists the documents with their counts', async () => {
    await page.goto(`${server.url}/documents`);
    await page.locator('#documents tbody tr').first().waitFor();
    expect(await page.locator('#documents tbody tr').count()).toBe(files.length + 1);
    const row = page.locator(`#documents tr[data-sha256="${plantedSha}"]`);
    expect(await row.locator('td.c-error').textContent()).toBe('1');
    // the type column and the filter lists name the keys as the server's labels do (/api/labels), in their order
    expect(await row.locator('td', { hasText: '绩效评价/自评' }).count()).toBe(1);
    expect(await page.locator('select[name=type] option').allTextContents()).toEqual(['全部', ...Object.values(DOCUMENT_TYPE_LABELS)]);
    expect(await page.locator('select[name=fieldKey] option').allTextContents()).toEqual(['不限', ...Object.values(FIELD_LABELS)]);
    expect(await page.locator('#documents', { hasText: XSS_NAME }).count()).toBe(1);
    await shot('documents');
    await page.selectOption('select[name=has]', 'error');
    await page.locator('form.filters button[type=submit]').click();
    await expect.poll(() => page.locator('#documents tbody tr').count()).toBe(1);
    expect(page.url()).toContain('has=error');
  });

  it('highlights the planted error’s figures, shows the calculation, and keeps a 误报 decision', async () => {
    const view = (await (await fetch(`${server.url}/api/documents/${plantedSha}/view`)).json()) as { report: Report };
    const finding = view.report.findings.find((f) => f.ruleId === 'core/listed-parts-sum')!;
    expect(finding).toBeDefined();
    await page.goto(`${server.url}/documents/${plantedSha}`);
    const card = page.locator(`#findings .card[data-finding="${finding.id}"]`);
    await card.waitFor();
    await card.click();
    const activeIds = await page.locator('#doc-pane mark[data-figure].active').evaluateAll((marks) => [...new Set(marks.map((m) => m.getAttribute('data-figure')))]);
    expect(activeIds.sort()).toEqual([...finding.figures].sort());
    // total and parts in distinct colours: the stated total first, then its parts
    const totalIds = await page.locator('#doc-pane mark.active.active-total').evaluateAll((marks) => [...new Set(marks.map((m) => m.getAttribute('data-figure')))]);
    expect(totalIds).toEqual([finding.figures[0]]);
    const colours = await page.locator('#doc-pane mark.active').evaluateAll((marks) => {
      // runs in the page (the test's own types have no DOM library)
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
      return [...new Set(marks.map((m) => view.getComputedStyle(m).backgroundColor))];
    });
    expect(colours).toHaveLength(2);
    expect(await page.locator(`#doc-pane mark[data-figure="${finding.figures[0]}"]`).first().textContent()).toBe('875.70万元');
    // every highlighted figure is one a finding cites
    const cited = new Set(view.report.findings.flatMap((f) => f.figures));
    const allIds = await page.locator('#doc-pane mark[data-figure]').evaluateAll((marks) => marks.map((m) => m.getAttribute('data-figure')!));
    expect(allIds.length).toBeGreaterThan(0);
    for (const id of allIds) expect(cited.has(id)).toBe(true);
    expect(await card.locator('.calc').textContent()).toBe('612.50 + 148.36 + 96.84 = 857.70 ≠ 875.70');
    // a total with its 其中 list is structure evidence, and the card says so
    expect(await card.locator('.evidence').getAttribute('data-evidence')).toBe('structure');
    expect(await card.locator('.evidence').textContent()).toBe('依据：结构');
    expect(await card.locator('.actual b').textContent()).toBe('875.70');
    expect(await card.locator('.expected b').textContent()).toBe('857.70');
    await shot('report');

    await card.locator('input.comment').fill('分项口径与合计不同，非错误');
    await card.locator('button[data-decision="false-positive"]').click();
    // the first decision in this browser asks for the reviewer's name
    await page.locator('#reviewer-dialog input').fill('测试审核人');
    await page.keyboard.press('Enter');
    await card.locator('.decision-false-positive').waitFor();
    await page.reload();
    const again = page.locator(`#findings .card[data-finding="${finding.id}"]`);
    await again.waitFor();
    expect(await again.getAttribute('data-decision')).toBe('false-positive');
    expect(await again.locator('.decision').textContent()).toBe('审核结论：误报');
    expect(await again.locator('.history').textContent()).toContain('分项口径与合计不同，非错误');
    await again.click();
    await shot('report-reviewed');
  });

  it('shows a report whose text and file name contain markup as text', async () => {
    await page.goto(`${server.url}/documents/${xssSha}`);
    await page.locator('#doc-text p').first().waitFor();
    expect(await page.locator('#doc-text').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('.report-head .file').textContent()).toBe(XSS_NAME);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    await page.goto(`${server.url}/search?q=${encodeURIComponent('检索框')}`);
    await page.locator('#hits li').first().waitFor();
    expect(await page.locator('#hits .snippet').first().textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('#hits mark.hit').first().textContent()).toContain('检索');
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('searches Chinese full text and finds the report', async () => {
    await page.goto(`${server.url}/search`);
    await page.fill('input[name=q]', '农业农村局');
    await page.locator('form.filters button[type=submit]').click();
    await page.locator('#hits li').first().waitFor();
    const shas = await page.locator('#hits li').evaluateAll((items) => items.map((li) => li.getAttribute('data-sha256')));
    expect(shas).toEqual([plantedSha]);
    expect(await page.locator('#hits mark.hit').first().textContent()).toContain('农业农村局');
    expect(page.url()).toContain(`q=${encodeURIComponent('农业农村局')}`);
    await shot('search');
  });

  it('exports the current filter as xlsx that reads back', async () => {
    await page.goto(`${server.url}/export?has=error`);
    await page.locator('.export-summary .notice').waitFor();
    expect(await page.locator('.export-summary').textContent()).toContain('1 份');
    await shot('export');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^crossfoot-\d{8}\.xlsx$/);
    const file = path.join(dir, 'export.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const docs = workbook.getWorksheet('文档')!;
    expect(docs.rowCount).toBe(2);
    const header = (docs.getRow(1).values as unknown[]).slice(1);
    expect(docs.getRow(2).getCell(header.indexOf('sha256') + 1).value).toBe(plantedSha);
    const findings = workbook.getWorksheet('发现')!;
    const fHeader = (findings.getRow(1).values as unknown[]).slice(1);
    const rows = (findings.getSheetValues().slice(2) as unknown[][]).filter(Boolean);
    const row = rows.find((r) => r[fHeader.indexOf('规则') + 1] === 'core/listed-parts-sum')!;
    expect(row[fHeader.indexOf('计算') + 1]).toBe('612.50 + 148.36 + 96.84 = 857.70 ≠ 875.70');
    expect(row[fHeader.indexOf('审核结论') + 1]).toBe('误报');
  });

  // last: it adds a document the tests above do not count
  it('highlights only the search match: a <mark> and a <script> in the text stay text', async () => {
    const up = await fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf([{ name: 'markup.txt', bytes: new TextEncoder().encode(await markupReport()) }]) });
    expect(up.status).toBe(200);
    await page.goto(`${server.url}/search?q=${encodeURIComponent('高亮')}`);
    await page.locator('#hits li').first().waitFor();
    expect(await page.locator('#hits .snippet').first().textContent()).toContain('<mark>x</mark>显示为高亮，并执行<script>alert(2)</script>');
    expect(await page.locator('#hits mark.hit').allTextContents()).toEqual(['高亮']);
    expect(await page.locator('#hits script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});

const REDIS_UP = await redisAnswers(SHARED_REDIS);
if (!REDIS_UP) console.warn(`\n!!! Redis at ${SHARED_REDIS} does not answer: the batches page's reconnection test is SKIPPED\n`);

// queue mode without a worker: the batch stays unfinished, so the page keeps following it
describe.runIf(REDIS_UP)('the batches page when the server goes away', { timeout: 240_000 }, () => {
  it('says the connection is down, keeps trying, and recovers when the server is back', async () => {
    const config = testConfig();
    const env = configEnv(config);
    const first = await startServer({ env });
    let second: Served | undefined;
    try {
      const up = await fetch(`${first.url}/api/documents`, { method: 'POST', body: formOf([{ name: '排队中的报告.txt', bytes: new TextEncoder().encode(await fixture('final-school-2025.txt')) }]) });
      expect(up.status).toBe(202);
      await page.goto(`${first.url}/batches`);
      await page.locator('table.grid tbody tr', { hasText: '检查中' }).waitFor();
      const port = new URL(first.url).port;
      await first.stop();
      const notice = page.locator('#batches-notice .notice');
      await notice.filter({ hasText: '连接中断，正在重试' }).waitFor();
      await shot('batches-offline');
      // the same address again, as after a restart: the notice goes, the page shows what the server says now
      second = await startServer({ env, args: ['--port', port] });
      await notice.waitFor({ state: 'detached' });
      await page.locator('.notice', { hasText: '本服务自启动以来尚未提交过批次' }).waitFor();
    } finally {
      await first.stop();
      await second?.stop();
      await dropPrefix(config);
    }
  });
});
