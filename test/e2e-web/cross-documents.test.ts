/**
 * Cross-document findings in the web app, in real headless Chromium against the real server (in-process checking,
 * a temporary SQLite archive): an invented unit's set (fixtures/cross) with one planted prior-year figure is
 * uploaded; the finding's card links to last year's document, which opens with the figure it was held against
 * marked; the API lists the finding under rule cross/*; the reviewer takes the document out of its unit and puts
 * it back, and the finding goes and returns.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { FIXTURES } from '../e2e/cli.js';
import { formOf, startServer, type Served, type UploadFile } from '../server/harness.js';

const CHROMIUM = process.env.CROSSFOOT_CHROMIUM ?? '/usr/bin/chromium';

let server: Served;
let browser: Browser;
let page: Page;
const shas = new Map<string, string>();
const errors: string[] = [];

const getJson = async <T>(url: string): Promise<T> => (await (await fetch(`${server.url}${url}`)).json()) as T;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  const dir = path.join(FIXTURES, 'cross');
  const files: UploadFile[] = [];
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort()) {
    let text = await readFile(path.join(dir, name), 'utf8');
    if (name === '2025-final.txt') text = text.replace('上年“三公”经费支出决算为4.20万元', '上年“三公”经费支出决算为4.50万元');
    files.push({ name, bytes: new TextEncoder().encode(text) });
  }
  server = await startServer();
  const upload = await fetch(`${server.url}/api/documents`, { method: 'POST', body: formOf(files) });
  expect(upload.ok).toBe(true);
  const { batchId } = (await upload.json()) as { batchId: string };
  for (;;) {
    const status = await getJson<{ completed: boolean; documents: { name: string; sha256: string; status: string }[] }>(`/api/batches/${batchId}`);
    if (status.completed) {
      for (const d of status.documents) shas.set(d.name, d.sha256);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'] });
  page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })).newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => errors.push(error.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('cross-document findings in the web app', { timeout: 120_000 }, () => {
  it('the API lists the finding under cross/*, naming the other document', async () => {
    const listed = await getJson<{ documents: { file: string }[] }>(`/api/documents?rule=${encodeURIComponent('cross/*')}`);
    expect(listed.documents.map((d) => d.file)).toEqual(['2025-final.txt']);
    const report = await getJson<Report>(`/api/documents/${shas.get('2025-final.txt')}`);
    const cross = report.findings.filter((f) => f.ruleId.startsWith('cross/'));
    expect(cross.map((f) => [f.ruleId, f.related?.[0]?.file])).toEqual([['cross/prior-year', '2024-final.txt']]);
  });

  it('links from the finding to last year’s document, with the figure marked there', async () => {
    await page.goto(`${server.url}/documents/${shas.get('2025-final.txt')}`);
    const card = page.locator('article.card', { hasText: '上年报告' });
    await card.waitFor();
    expect(await page.locator('#unit summary').textContent()).toContain('青石县水利工程管理站');
    const link = card.locator('p.related a');
    expect(await link.textContent()).toBe('2024-final.txt');
    await link.click();
    await page.waitForURL(new RegExp(`/documents/${shas.get('2024-final.txt')}#figure-`));
    const marked = page.locator('mark.linked');
    await marked.waitFor();
    expect(await marked.textContent()).toBe('4.20万元');
    expect(errors).toEqual([]);
  });

  it('takes the document out of its unit and puts it back, the finding going and returning', async () => {
    const sha = shas.get('2025-final.txt')!;
    await page.goto(`${server.url}/documents/${sha}`);
    await page.locator('#unit summary').click();
    await Promise.all([page.waitForEvent('load'), page.locator('#unit button[data-action="alone"]').click()]);
    await page.locator('#unit summary', { hasText: '单独成组（人工）' }).waitFor();
    expect(await page.locator('article.card', { hasText: '上年报告' }).count()).toBe(0);
    await page.locator('#unit summary').click();
    await Promise.all([page.waitForEvent('load'), page.locator('#unit button[data-action="auto"]').click()]);
    await page.locator('article.card', { hasText: '上年报告' }).waitFor();
    expect(await page.locator('#unit summary').textContent()).not.toContain('人工');
    // the 三公 说明, held against this 决算, was re-checked by the move and says so, naming the document that moved
    await page.goto(`${server.url}/documents/${shas.get('2025-sangong.txt')}`);
    const note = page.locator('.unit-updated');
    expect(await note.textContent()).toBe('跨文件检查结果已因同单位文件 2025-final.txt 入库而更新（本文件未重新提交）');
    expect(await note.locator('a').getAttribute('href')).toBe(`/documents/${sha}`);
    // a bad request says why, in Chinese, without leaving the page
    const bad = await fetch(`${server.url}/api/documents/${sha}/unit`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ with: sha }) });
    expect(bad.status).toBe(400);
    expect(errors).toEqual([]);
  });
});
