#!/usr/bin/env node
/**
 * Web app benchmark: the review UI's API on a large archive. Checks the fixture reports and the planted-error
 * reports once, stores N copies of them (default 10,000; each with its own hash, organisation and year; the
 * planted ones bring findings, a tenth of which are reviewed) in a SQLite archive, starts the server in-process and
 * times the calls the dashboard, documents, report, search and export pages make — then, in headless Chromium,
 * each page from navigation until it is drawn (target: under 300 ms). --no-browser skips the browser.
 *
 *   node bench/web.mjs [--docs 10000] [--rounds 20] [--no-browser]
 *
 * Needs the compiled sources (`npm run build`). Writes bench/out/web.json.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(ROOT, 'dist/server/index.js'))) {
  console.error('bench/web.mjs needs the compiled sources: run "npm run build" first');
  process.exit(2);
}
const { checkDocument } = await import('../dist/pipeline.js');
const { openArchive } = await import('../dist/archive/index.js');
const { createServer, ServerConfigSchema } = await import('../dist/server/index.js');

const { values } = parseArgs({ options: { docs: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '20' }, 'no-browser': { type: 'boolean', default: false } } });
const DOCS = Number(values.docs);
const ROUNDS = Number(values.rounds);

const dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-bench-web-'));
const db = path.join(dir, 'archive.db');

// ------------------------------------------------------------------ the archive
const fixtureDir = path.join(ROOT, 'fixtures/reports');
const bases = [];
for (const f of readdirSync(fixtureDir).filter((f) => f.endsWith('.txt')).sort()) {
  const report = await checkDocument(readFileSync(path.join(fixtureDir, f)), { file: f, includeText: true });
  const text = report.text;
  delete report.text;
  bases.push({ report, text });
}
// the planted-error reports: the documents with findings that the dashboard and the review counts read
for (const c of JSON.parse(readFileSync(path.join(ROOT, 'fixtures/planted.json'), 'utf8')).filter((c) => c.expect.length)) {
  // each find string occurs once in its base (the planted-case tests hold it to that)
  const source = readFileSync(path.join(ROOT, 'fixtures', c.base), 'utf8').replace(c.find, () => c.replace);
  const report = await checkDocument(new TextEncoder().encode(source), { file: `${c.id}.txt`, includeText: true });
  const text = report.text;
  delete report.text;
  bases.push({ report, text });
}
const PLACES = ['某县', '某市', '某区', '某旗', '某自治县', '某新区', '某开发区', '某镇', '某乡', '某街道'];
const archive = await openArchive({ db });
let t = performance.now();
for (let start = 0; start < DOCS; start += 200) {
  const items = [];
  for (let i = start; i < Math.min(DOCS, start + 200); i++) {
    const base = bases[i % bases.length];
    const report = structuredClone(base.report);
    const place = PLACES[Math.floor(i / bases.length) % PLACES.length];
    report.sha256 = createHash('sha256').update(`bench web ${i}`).digest('hex');
    report.organization = `${place}${report.organization ?? '单位'}${Math.floor(i / 70)}`;
    report.fiscalYear = 2018 + (i % 9);
    report.file = `bench/${report.fiscalYear}/${i}-${report.file}`;
    items.push({ report, text: base.text });
  }
  await archive.addReports(items);
  // a tenth of the findings reviewed, so the dashboard counts decisions and false-positive rates
  for (const { report } of items.filter((_, k) => k % 10 === 0)) {
    for (const [k, f] of report.findings.entries()) await archive.addReview({ sha256: report.sha256, fingerprint: f.id, decision: k % 3 ? 'accepted' : 'false-positive', reviewer: 'bench' });
  }
}
const ingestSeconds = (performance.now() - t) / 1000;
await archive.close();
console.log(`archive: ${DOCS} documents in ${ingestSeconds.toFixed(1)} s (${(statSync(db).size / 1e6).toFixed(0)} MB)`);

// ------------------------------------------------------------------ the server
const config = ServerConfigSchema.parse({ port: 0, db, uploadDir: path.join(dir, 'uploads'), concurrency: 1 });
const server = await createServer(config, { version: 'bench', logger: false });
const url = await server.app.listen({ port: 0, host: '127.0.0.1' });

const CALLS = [
  ['dashboard', '/api/dashboard'],
  ['review progress, 50 documents', null],
  ['documents, page 1', '/api/documents?limit=50'],
  ['documents, page 100', '/api/documents?limit=50&page=100'],
  ['documents, last page', `/api/documents?limit=50&page=${Math.ceil(DOCS / 50)}`],
  ['documents, sort by errors', '/api/documents?limit=50&sort=errors'],
  ['documents, org + year', `/api/documents?limit=50&org=${encodeURIComponent('农业农村局')}&year=2022`],
  ['documents, has error, unreviewed', '/api/documents?limit=50&has=error&unreviewed=1'],
  ['documents, field range', `/api/documents?limit=50&field=${encodeURIComponent('expenditure.total>=20000000')}`],
  ['search, one word', `/api/search?q=${encodeURIComponent('公务接待')}&limit=20`],
  ['search, word + year', `/api/search?q=${encodeURIComponent('档案馆')}&year=2020&limit=20`],
  ['report view', null],
  ['export csv, one year', '/api/export.csv?year=2021'],
  ['export xlsx, one year', '/api/export.xlsx?year=2021'],
];
const firstPage = (await (await fetch(`${url}/api/documents?limit=50&has=error`)).json()).documents.map((d) => d.sha256);
const first = firstPage[0];
const results = {};
for (const [name, rawPath] of CALLS) {
  const p = rawPath ?? (name.startsWith('review progress') ? `/api/reviews/progress?documents=${firstPage.join(',')}` : `/api/documents/${first}/view`);
  const times = [];
  let bytes = 0;
  for (let r = 0; r < (name.startsWith('export') ? Math.min(3, ROUNDS) : ROUNDS); r++) {
    const started = performance.now();
    const response = await fetch(`${url}${p}`);
    const body = await response.arrayBuffer();
    times.push(performance.now() - started);
    bytes = body.byteLength;
    if (!response.ok) throw new Error(`${p}: HTTP ${response.status}`);
  }
  times.sort((a, b) => a - b);
  results[name] = { p50: +times[Math.floor(times.length / 2)].toFixed(1), max: +times[times.length - 1].toFixed(1), bytes };
  console.log(`${name.padEnd(36)} p50 ${results[name].p50.toFixed(1).padStart(7)} ms   max ${results[name].max.toFixed(1).padStart(7)} ms   ${(bytes / 1024).toFixed(0)} KB`);
}

let browser = null;
if (!values['no-browser']) {
  const { chromium } = await import('playwright-core');
  const b = await chromium.launch({ executablePath: process.env.CROSSFOOT_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const page = await b.newPage({ viewport: { width: 1366, height: 768 } });
  // each page from navigation until what a reviewer looks at is drawn
  const PAGES = [
    ['dashboard', () => '/', '#by-rule svg.chart'],
    ['documents list', (r) => `/documents?page=${1 + r * 37}`, '#documents tbody tr'],
    ['documents list, review column', (r) => `/documents?page=${1 + r * 37}`, '#documents td.review-cell .badge'],
    ['report', () => `/documents/${first}`, '.card.active'],
    ['search', () => `/search?q=${encodeURIComponent('公务接待')}`, '#hits li'],
  ];
  browser = {};
  for (const [name, address, drawn] of PAGES) {
    const times = [];
    for (let r = 0; r < 5; r++) {
      const started = performance.now();
      await page.goto(`${url}${address(r)}`);
      await page.locator(drawn).first().waitFor();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    browser[name] = { p50: +times[2].toFixed(1), max: +times[4].toFixed(1) };
    console.log(`page in Chromium: ${name.padEnd(30)} p50 ${browser[name].p50.toFixed(0).padStart(5)} ms   max ${browser[name].max.toFixed(0).padStart(5)} ms   ${browser[name].p50 < 300 ? 'under' : 'OVER'} 300 ms`);
  }
  await b.close();
}

await server.close();
rmSync(dir, { recursive: true, force: true });
mkdirSync(path.join(ROOT, 'bench/out'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/out/web.json'), JSON.stringify({ docs: DOCS, ingestSeconds, calls: results, browser, at: new Date().toISOString() }, null, 2));
