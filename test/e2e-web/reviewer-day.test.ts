/**
 * The reviewer's day (issue 16), in one headless Chromium session against the real server: a 210-document archive
 * built through the archive API (the planted reports, checked once and stored under many units and years, some of
 * their findings already reviewed), then a real PDF uploaded through the page. Checks the dashboard and its charts,
 * the upload page's keyboard order and an upload left half-way, a review done with the keyboard alone on the real
 * PDF (first finding scrolled to, every figure of a finding reachable, the reviewer's name asked once, decisions
 * by key, the help overlay, the finding in the address), the original page with the cited figure's box, rule
 * names and figure roles, bulk decisions on a batch, and previous/next document.
 *
 * CROSSFOOT_DOCS_SHOTS=1 also writes the screenshots in docs/ (1366 and 1024 px wide).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../src/archive/index.js';
import { checkDocument } from '../../src/pipeline.js';
import type { Report } from '../../src/report/schema.js';
import { FIXTURES, ROOT } from '../e2e/cli.js';
import { applyPlanted } from '../helpers/render.js';
import { type PlantedCase, startServer, type Served } from '../server/harness.js';

const CHROMIUM = process.env.CROSSFOOT_CHROMIUM ?? '/usr/bin/chromium';
const REAL_PDF = path.resolve(ROOT, '../shared/fixtures-real/01_putuo-czj-2024-dept-final.pdf');
/** The real PDFs live beside the project (../shared), not in it: a checkout without them skips that test, loudly. */
const HAVE_REAL_PDF = existsSync(REAL_PDF);
if (!HAVE_REAL_PDF) console.warn(`reviewer-day: ${REAL_PDF} is missing; the page-view test on a real PDF is skipped`);
const DOCS = 210;
const SHOTS = process.env.CROSSFOOT_DOCS_SHOTS === '1';
/** expect.poll waits 1 s by default: too short for a review stored while CI runs other suites. */
const POLL = { timeout: 15_000 };

let server: Served;
let browser: Browser;
let page: Page;
let dir: string;
let yearSha: string;
let pdfSha: string;

/** The archive: every planted report with findings, cloned under other units, years and types. */
async function buildArchive(db: string): Promise<void> {
  const cases = JSON.parse(await readFile(path.join(FIXTURES, 'planted.json'), 'utf8')) as PlantedCase[];
  const bases: { report: Report; text: string; id: string }[] = [];
  for (const c of cases.filter((x) => x.expect.length)) {
    const text = applyPlanted(await readFile(path.join(FIXTURES, c.base), 'utf8'), c.find, c.replace);
    const { text: body, ...report } = await checkDocument(new TextEncoder().encode(text), { file: `${c.id}.txt`, includeText: true });
    bases.push({ report: report as Report, text: body ?? '', id: c.id });
  }
  const archive = await openArchive({ db });
  const types = ['perf-eval', 'final-accounts', 'budget', 'sangong'] as const;
  const items = Array.from({ length: DOCS }, (_, i) => {
    const base = bases[i % bases.length]!;
    const report = structuredClone(base.report);
    report.sha256 = createHash('sha256').update(`reviewer day ${i}`).digest('hex');
    report.organization = `第${(i % 23) + 1}单位${base.report.organization ?? ''}`;
    report.fiscalYear = 2019 + (i % 6);
    report.documentType = types[i % types.length]!;
    report.file = `archive/${i}-${base.id}.txt`;
    return { report, text: base.text, id: base.id };
  });
  await archive.addReports(items);
  yearSha = items.find((x) => x.id === 'agri-income-year')!.report.sha256;
  // reviewers have already rejected every growth-rate finding and confirmed the listed sums
  for (const { report } of items.slice(0, 80)) {
    for (const f of report.findings) {
      if (f.ruleId === 'core/growth-rate') await archive.addReview({ sha256: report.sha256, fingerprint: f.id, decision: 'false-positive', reviewer: '李审' });
      if (f.ruleId === 'core/listed-parts-sum') await archive.addReview({ sha256: report.sha256, fingerprint: f.id, decision: 'accepted', reviewer: '李审' });
    }
  }
  await archive.close();
}

/** Whether the element is inside the visible part of its scrolling pane. */
async function inView(selector: string, pane: string): Promise<boolean> {
  const [a, b] = await Promise.all([page.locator(selector).first().boundingBox(), page.locator(pane).boundingBox()]);
  return a !== null && b !== null && a.height > 0 && a.y >= b.y && a.y + a.height <= b.y + b.height;
}

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(ROOT, 'docs', `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-review-day-'));
  const db = path.join(dir, 'archive.db');
  await buildArchive(db);
  server = await startServer({ db });
  // the real PDF is checked while the first tests run (the upload page itself is exercised on the small files)
  if (HAVE_REAL_PDF) {
    const form = new FormData();
    form.append('file', new Blob([await readFile(REAL_PDF)]), path.basename(REAL_PDF));
    pdfSha = createHash('sha256').update(await readFile(REAL_PDF)).digest('hex');
    const sent = await fetch(`${server.url}/api/documents?wait=0`, { method: 'POST', body: form });
    expect(sent.status).toBe(202);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the reviewer's day in Chromium", { timeout: 120_000 }, () => {
  it('opens on the dashboard: counts, findings by rule, unit, year and type, false-positive rates', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('#tiles').waitFor();
    // the archive, and the real PDF once its check (started in beforeAll) is stored
    expect(Number(await page.locator('[data-tile=checked] .tile-value').textContent())).toBeGreaterThanOrEqual(DOCS);
    for (const id of ['by-rule', 'by-unit', 'by-year', 'by-type']) expect(Number(await page.locator(`#${id} svg.chart`).getAttribute('data-rows')), id).toBeGreaterThan(1);
    // six years, each a bar linking to the documents of that year
    expect(await page.locator('#by-year g.chart-row').count()).toBe(6);
    expect(await page.locator('#by-year a').first().getAttribute('href')).toBe('/documents?year=2019');
    // rules by their Chinese names; the stacked bar holds the rejected findings
    const growth = page.locator('#by-rule g.chart-row[data-label="增减幅度"]');
    expect(await growth.locator('rect.b-fp').count()).toBe(1);
    expect(await page.locator('#false-positive-rate tbody tr').first().textContent()).toContain('增减幅度');
    expect(await page.locator('#false-positive-rate tbody tr').first().locator('.fp-rate').textContent()).toBe('100%');
    await shot('dashboard');
  });

  it('upload: no invisible tab stops; leaving half-way warns first and keeps a batch of the files sent', async () => {
    await page.goto(`${server.url}/upload`);
    await page.locator('#dropzone').waitFor();
    const stops: string[] = [];
    await page.locator('#batch-name').focus();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      stops.push((await page.locator(':focus').getAttribute('id')) ?? '');
    }
    expect(stops.slice(0, 3)).toEqual(['pick-folder', 'pick-files', 'dropzone']);
    expect(await page.locator('input[type=file][tabindex="-1"]').count()).toBe(2);

    // the second request of the drop never gets through: the page is left while it is on its way
    let held = 0;
    await page.route(/\/api\/documents\?.*batch=/, () => void held++);
    const cases = JSON.parse(await readFile(path.join(FIXTURES, 'planted.json'), 'utf8')) as PlantedCase[];
    const files = await Promise.all(
      ['agri-basic-share', 'cdc-execution-rate', 'school-growth-rate'].map(async (id) => {
        const c = cases.find((x) => x.id === id)!;
        const file = path.join(dir, `${id}.txt`);
        await writeFile(file, applyPlanted(await readFile(path.join(FIXTURES, c.base), 'utf8'), c.find, c.replace));
        return file;
      }),
    );
    await page.locator('#batch-name').fill('半途离开的上传');
    await page.setInputFiles('#file-input', files);
    await expect.poll(() => held, POLL).toBe(1);
    const warned = await page.evaluate(() => {
      const e = new Event('beforeunload', { cancelable: true });
      (globalThis as unknown as EventTarget).dispatchEvent(e);
      return e.defaultPrevented;
    });
    expect(warned).toBe(true);
    await page.goto(`${server.url}/batches`);
    await page.unroute(/\/api\/documents\?.*batch=/);
    const { batches } = (await (await fetch(`${server.url}/api/batches`)).json()) as { batches: { batchId: string; name: string; total: number }[] };
    const left = batches.find((b) => b.name === '半途离开的上传');
    expect(left?.total).toBe(1);

    // bulk decision over that batch: its one rule's open findings rejected at once
    await page.goto(`${server.url}/batches/${left!.batchId}`);
    await page.locator('#bulk-rule option').first().waitFor({ state: 'attached' });
    await page.locator('#bulk-decision').selectOption('false-positive');
    await page.locator('#bulk-apply').click();
    await page.locator('#reviewer-dialog input').fill('王审');
    await page.keyboard.press('Enter');
    await page.locator('.batch-review .notice', { hasText: '已审核' }).waitFor();
    await expect.poll(() => page.locator('#batch-review-progress').textContent(), POLL).toMatch(/已审核 (\d+)\/\1 条发现/);

    // the batch's own dashboard: its one document, nothing left open, its time
    await page.locator('#batch-dashboard').click();
    await page.locator('#tiles').waitFor();
    expect(await page.locator('[data-tile=checked] .tile-value').textContent()).toBe('1');
    expect(await page.locator('[data-tile=open] .tile-value').textContent()).toBe('0');
    expect(await page.locator('#throughput g.chart-row').count()).toBe(1);
  });

  it.skipIf(!HAVE_REAL_PDF)('reviews a real PDF with the keyboard alone, beside its original page', async () => {
    // a fresh browser profile: the reviewer's name is asked again once
    await page.evaluate(() => (globalThis as unknown as { localStorage: { clear(): void } }).localStorage.clear());
    await expect.poll(async () => (await fetch(`${server.url}/api/documents/${pdfSha}`)).status, { timeout: 60_000 }).toBe(200);
    await page.goto(`${server.url}/documents/${pdfSha}`);
    await page.locator('.card.active').waitFor();
    const report = (await (await fetch(`${server.url}/api/documents/${pdfSha}`)).json()) as Report;
    const n = report.findings.length;
    expect(n).toBeGreaterThanOrEqual(2);

    // the first finding is selected and its first figure scrolled to; 下一条 goes to the second
    const first = report.findings[0]!;
    expect(await page.locator('#finding-position').textContent()).toBe(`第 1 / ${n} 条`);
    expect(await inView(`mark[data-figure="${first.figures[0]}"]`, '#doc-pane')).toBe(true);
    expect(page.url()).toContain(`#finding-${first.id}`);
    await page.keyboard.press('j');
    expect(await page.locator('#finding-position').textContent()).toBe(`第 2 / ${n} 条`);
    await page.keyboard.press('k');

    // a finding citing a text figure and a table cell far below: both reachable, one step each
    const mixed = report.findings.find((f) => f.figures.some((id) => report.figures.find((g) => g.id === id)?.loc.table) && f.figures.some((id) => !report.figures.find((g) => g.id === id)?.loc.table))!;
    expect(mixed).toBeDefined();
    const card = page.locator(`#finding-${mixed.id}`);
    // Enter selects a card that is not selected (on the selected card it shows the next figure)
    if (mixed === first) await page.keyboard.press('j');
    await card.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => card.getAttribute('class'), POLL).toContain('active');
    for (const [i, id] of mixed.figures.entries()) {
      expect(await page.locator('.card.active .fig-pos').textContent()).toBe(`数字 ${i + 1} / ${mixed.figures.length}`);
      expect(await inView(`mark.current[data-figure="${id}"]`, '#doc-pane'), id).toBe(true);
      await page.keyboard.press('n');
    }
    expect(await page.locator('mark.current').getAttribute('data-figure')).toBe(mixed.figures[0]);

    // rule names in Chinese, the id in the tooltip
    const rule = card.locator('.rule');
    expect(await rule.textContent()).toMatch(/^[^a-z]+$/);
    expect(await rule.getAttribute('title')).toContain(mixed.ruleId);

    // the original page: the figure's box drawn on the page image
    await page.keyboard.press('t');
    await page.locator('#page-view img.page-image').waitFor();
    await expect.poll(() => page.locator('#page-view img.page-image').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), POLL).toBeGreaterThan(0);
    const box = page.locator('#page-view .fig-box.current');
    await box.waitFor();
    const figure = report.figures.find((g) => g.id === (mixed.figures[0] as string))!;
    expect(await page.locator('#page-view .page-sheet').getAttribute('data-page')).toBe(String(figure.loc.page));
    const [b, sheet] = [(await box.boundingBox())!, (await page.locator('#page-view .page-sheet').boundingBox())!];
    expect(b.width).toBeGreaterThan(5);
    expect(b.x >= sheet.x && b.y >= sheet.y && b.x + b.width <= sheet.x + sheet.width && b.y + b.height <= sheet.y + sheet.height).toBe(true);
    // the table figure is on another page: stepping to it turns the page
    await page.keyboard.press('n');
    const tableFigure = report.figures.find((g) => g.id === (mixed.figures[1] as string))!;
    await expect.poll(() => page.locator('#page-view .page-sheet').getAttribute('data-page'), POLL).toBe(String(tableFigure.loc.page));
    await page.locator(`#page-view .fig-box.current[data-figure="${tableFigure.id}"]`).waitFor();
    await shot('page-view');
    await page.keyboard.press('t');
    expect(await page.locator('#text-view').isVisible()).toBe(true);

    // decisions by key: the name is asked once, each decision moves on
    await page.keyboard.press('a');
    await page.locator('#reviewer-dialog').waitFor();
    await page.keyboard.type('张审核');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review-progress').textContent(), POLL).toBe(`已审核 1/${n}`);
    const after = (mixed === report.findings[n - 1] ? report.findings[0] : report.findings[report.findings.indexOf(mixed) + 1])!;
    expect(await page.locator('.card.active').getAttribute('data-finding')).toBe(after.id);
    await page.keyboard.press('x');
    await expect.poll(() => page.locator('#review-progress').textContent(), POLL).toBe(`已审核 2/${n}`);
    expect(await page.locator('#reviewer-dialog').count()).toBe(0);
    expect(await page.locator(`#finding-${after.id}`).getAttribute('data-decision')).toBe('false-positive');
    // reopened: undecided again, the earlier verdict kept in the history
    await page.keyboard.press('k');
    expect(await page.locator('.card.active').getAttribute('data-finding')).toBe(after.id);
    await page.keyboard.press('u');
    await expect.poll(() => page.locator('#review-progress').textContent(), POLL).toBe(`已审核 1/${n}`);
    expect(await page.locator(`#finding-${after.id}`).getAttribute('data-decision')).toBe('');
    expect(await page.locator(`#finding-${after.id} .history li`).count()).toBe(2);
    // c: the comment field, Enter stores it
    await page.keyboard.press('c');
    await page.keyboard.type('需与财政核对');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`#finding-${after.id} .history li`).count(), POLL).toBe(3);
    const reviews = (await (await fetch(`${server.url}/api/documents/${pdfSha}/reviews`)).json()) as { reviewer: string; decision: string }[];
    expect(reviews.map((r) => `${r.reviewer}:${r.decision}`)).toEqual(['张审核:accepted', '张审核:false-positive', '张审核:reopened', '张审核:comment']);
    await page.keyboard.press('Escape');

    // the help overlay lists the keys
    await page.keyboard.press('?');
    expect(await page.locator('#key-help').textContent()).toContain('确认并下一条');
    await page.keyboard.press('Escape');
    expect(await page.locator('#key-help').count()).toBe(0);

    // a shared link opens the same finding
    const link = page.url();
    await page.goto(`${server.url}/documents`);
    await page.goto(link);
    await page.locator('.card.active').waitFor();
    expect(await page.locator('.card.active').getAttribute('data-finding')).toBe(link.split('#finding-')[1]);
    await shot('report');
  });

  it("draws a figure by its role in the finding: the year rule's amount is context, not a part", async () => {
    await page.goto(`${server.url}/documents/${yearSha}`);
    await page.locator('.card.active').waitFor();
    const report = (await (await fetch(`${server.url}/api/documents/${yearSha}`)).json()) as Report;
    const year = report.findings.find((f) => f.ruleId === 'core/report-year')!;
    expect(year.figures.length).toBe(2);
    expect(await page.locator(`mark[data-figure="${year.figures[0]}"]`).first().getAttribute('data-role')).toBe('compared');
    expect(await page.locator(`mark[data-figure="${year.figures[1]}"]`).first().getAttribute('data-role')).toBe('context');
    expect(await page.locator(`#finding-${year.id} .rule`).textContent()).toBe('报告年度');
  });

  it('shows review progress in the documents list and steps through it document by document', async () => {
    await page.goto(`${server.url}/documents?sort=org`);
    await page.locator('#documents tbody tr').first().waitFor();
    await expect.poll(() => page.locator('#documents td.review-cell .badge').count(), POLL).toBeGreaterThan(10);
    const rows = await page.locator('#documents tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sha256')));
    await page.locator('#documents tbody tr').nth(1).locator('a.doc-link').click();
    await page.locator('.doc-sequence').waitFor();
    expect(await page.locator('.doc-sequence').textContent()).toContain(`第 2 / ${rows.length} 份`);
    await page.keyboard.press(']');
    await page.waitForURL(`**/documents/${rows[2]}*`);
    await page.locator('.doc-sequence').waitFor();
    await page.keyboard.press('[');
    await page.waitForURL(`**/documents/${rows[1]}*`);
  });
});
