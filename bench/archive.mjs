#!/usr/bin/env node
/**
 * Archive benchmark (`npm run bench:archive`): generates N synthetic reports (default 10,000) whose text is made
 * of the fixture reports' sentences with varied numbers, stores them in SQLite and PostgreSQL, then runs mixed
 * queries (words, filters, both, sorting, paging). Prints ingest docs/s, query p50/p95/max and database size.
 *
 *   node bench/archive.mjs [--docs 10000] [--queries 200] [--backends sqlite,postgres] [--json FILE]
 *
 * --json FILE writes { docs, ingestPerSec (the slower backend's), ingestPerSecByBackend, queryP95Ms: { sqlite, postgres }, loadavg }.
 *
 * Needs the compiled sources (`npm run build`). PostgreSQL: DATABASE_URL's server, or 127.0.0.1:5432/test; a
 * scratch database is created and dropped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(ROOT, 'dist/archive/index.js'))) {
  console.error('bench/archive.mjs needs the compiled sources: run "npm run build" first');
  process.exit(2);
}
const { openArchive } = await import('../dist/archive/index.js');
const pg = (await import('pg')).default;

const { values } = parseArgs({ options: { docs: { type: 'string', default: '10000' }, queries: { type: 'string', default: '200' }, backends: { type: 'string', default: 'sqlite,postgres' }, json: { type: 'string' } } });
const DOCS = Number(values.docs);
const QUERIES = Number(values.queries);
const BATCH = 100;

// ---------------------------------------------------------------- a deterministic corpus

/** A small deterministic generator: report i is the same on every run and for every backend. */
function generator(seed) {
  let state = seed % 2 ** 31 || 1;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return { random, pick: (list) => list[Math.floor(random() * list.length)], int: (lo, hi) => lo + Math.floor(random() * (hi - lo + 1)) };
}

const fixtureDir = path.join(ROOT, 'fixtures/reports');
const sentences = readdirSync(fixtureDir)
  .flatMap((f) => readFileSync(path.join(fixtureDir, f), 'utf8').split('\n').slice(1))
  .filter((line) => !line.startsWith('|'))
  .flatMap((line) => line.split(/(?<=。)/))
  .map((s) => s.trim())
  .filter((s) => s.length > 8 && !s.includes('<script>'));
/** Rare sentences, so that some words occur in few documents (as real archives have). */
const RARE = [
  '开展毛发检测和禁毒宣传进社区活动，覆盖重点人员两千余人次。',
  '完成林业有害生物防治作业面积1.2万亩，松材线虫病疫情得到有效控制。',
  '建成智慧养老服务平台，为独居老人安装紧急呼叫设备。',
  '推进校园食品安全“互联网+明厨亮灶”建设，覆盖全部食堂。',
  '组织开展河湖“清四乱”专项行动，清理河道垃圾三百余吨。',
];
const varyNumbers = (s, random) => s.replace(/\d+(?:\.\d+)?/g, (n) => (n.length === 4 && /^20\d\d$/.test(n) ? n : (Number(n) * (0.5 + random())).toFixed(n.includes('.') ? n.split('.')[1].length : 0)));

const PLACES = ['某县', '某市', '某区', '某旗', '某自治县', '某新区', '某开发区', '某镇', '某乡', '某街道'];
const UNITS = ['农业农村局', '林业局', '教育局', '卫生健康委员会', '市场监督管理局', '第二中学', '疾病预防控制中心', '融媒体中心', '档案馆', '街道办事处', '交通运输局', '民政局', '水利局', '自然资源局', '文化和旅游局', '司法局', '统计局', '人民医院', '公安局', '审计局'];
const ORGS = PLACES.flatMap((p) => UNITS.map((u) => p + u));
const TYPES = [
  ['perf-eval', '部门整体支出绩效评价报告'],
  ['final-accounts', '单位决算说明'],
  ['budget', '部门预算说明'],
  ['sangong', '“三公”经费决算说明'],
];
const RULES = ['core/listed-parts-sum', 'core/share-of-total', 'core/budget-execution-rate', 'core/growth-rate', 'core/report-year', 'core/summary-vs-detail', 'core/enumerated-count', 'core/same-item-values'];
const LABELS = ['支出合计', '基本支出', '项目支出', '人员经费', '公用经费', '“三公”经费支出决算', '公务接待费', '政府采购支出总额', '财政拨款收入', '事业收入'];
const FIELDS = ['income.total', 'income.fiscal', 'expenditure.total', 'expenditure.basic', 'expenditure.project', 'threePublic.total', 'threePublic.reception', 'procurement.total', 'staff.authorized', 'staff.actual'];

function makeDoc(i) {
  const { random, pick, int } = generator(i * 7919 + 17);
  for (let warm = 0; warm < 3; warm++) random();
  const organization = pick(ORGS);
  const fiscalYear = int(2018, 2026);
  const [documentType, kind] = pick(TYPES);
  const title = `${organization}${fiscalYear}年度${kind}`;
  const lines = [title];
  while (lines.join('').length < 1500) lines.push(varyNumbers(pick(sentences), random));
  if (random() < 0.02) lines.splice(int(1, lines.length - 1), 0, pick(RARE));
  const text = lines.join('\n');
  const sha256 = createHash('sha256').update(`bench ${i}`).digest('hex');
  const loc = (block) => ({ block, start: 0, end: 6, line: block + 1, column: 1 });
  const figures = Array.from({ length: 40 }, (_, n) => {
    const value = Number((random() * 5000).toFixed(2));
    return { id: `f${n + 1}`, kind: 'amount', text: `${value.toFixed(2)}万元`, value, exact: String(value), decimals: 2, unit: '万元', yuan: Math.round(value * 10000), label: pick(LABELS), loc: loc(n) };
  });
  const fields = Object.fromEntries(FIELDS.filter(() => random() < 0.7).map((k) => [k, k.startsWith('staff') ? int(5, 300) : Math.round(random() * 5e7) / 100]));
  const findings = Array.from({ length: random() < 0.6 ? 0 : int(1, 5) }, (_, n) => {
    const figure = pick(figures);
    return {
      id: createHash('sha256').update(`${sha256}/${n}`).digest('hex').slice(0, 16),
      ruleId: pick(RULES),
      messageId: 'sumMismatch',
      severity: pick(['error', 'error', 'warning', 'info']),
      message: `${figure.label}${figure.text}与所列分项合计不一致`,
      figures: [figure.id],
      expected: '179.75',
      actual: String(figure.value),
      calculation: '9 + 30 + 48.85 + 91.9 = 179.75',
      loc: figure.loc,
      quote: lines[Math.min(lines.length - 1, figure.loc.block)] ?? title,
    };
  });
  const report = {
    schemaVersion: 1,
    file: `bench/${organization}/${fiscalYear}-${i}.txt`,
    sha256,
    status: 'ok',
    format: 'txt',
    title,
    fiscalYear,
    organization,
    documentType,
    packs: [{ id: 'core', version: '1.0.0' }, { id: documentType === 'perf-eval' ? 'perf-eval' : 'final-accounts', version: '1.0.0' }],
    tables: [],
    warnings: [],
    figures,
    fields,
    checks: { run: 30, passed: 30 - findings.length, failed: findings.length, roundingOnly: 3 },
    findings,
  };
  return { report, text };
}

function makeQueries(n) {
  const { random, pick, int } = generator(20240601);
  const words = ['公务接待', '冷链', '政府采购', '三公经费', '中小企业', '绩效自评', '疫病监测', '毛发检测', '松材线虫', '智慧养老', '预防控制', '量子计算'];
  const pairs = [['三公经费', '公务用车'], ['政府采购', '小微企业'], ['毛发检测', '禁毒'], ['冷链', '疫苗']];
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = i % 10;
    if (r < 4) out.push(['words', { text: pick(words) }]);
    else if (r < 6) out.push(['words + filters', { text: pick(words), fiscalYear: int(2018, 2026), ...(random() < 0.5 ? { has: 'error' } : {}) }]);
    else if (r < 7) out.push(['words', { text: pick(pairs).join(' ') }]);
    else if (r < 8) out.push(['filters', { fiscalYear: int(2018, 2026), organization: pick(UNITS) }]);
    else if (r < 9) out.push(['filters', pick([{ has: 'error', unreviewed: true }, { rule: pick(RULES) }, { fields: [{ key: 'expenditure.total', op: '>=', value: '300000' }] }, { fields: [{ key: 'threePublic.total', op: '<', value: '50000' }], fiscalYear: int(2018, 2026) }])]);
    else out.push(['sorted, paged', { ...(random() < 0.5 ? { text: pick(words) } : {}), sort: pick(['year', 'org', 'errors']), offset: int(0, 200) }]);
  }
  return out.map(([kind, q]) => ({ kind, query: { limit: 20, ...q } }));
}

// ---------------------------------------------------------------- backends

const pgAdminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgAdmin(sql) {
  return pgAdminDb(undefined, sql);
}

async function pgAdminDb(database, sql) {
  const url = new URL(pgAdminUrl);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const BACKENDS = {
  async sqlite() {
    const dir = mkdtempSync(path.join(tmpdir(), 'crossfoot-bench-'));
    const db = path.join(dir, 'bench.db');
    return {
      open: () => openArchive({ db }),
      size: async () => ['', '-wal', '-shm'].reduce((n, s) => n + (existsSync(db + s) ? statSync(db + s).size : 0), 0),
      note: 'one writer, batches of 100 reports per transaction',
      concurrency: 1,
      // the archive runs in this process: its CPU time is what an idle core would need
      inProcess: true,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  async postgres() {
    const name = `crossfoot_bench_${randomBytes(5).toString('hex')}`;
    await pgAdmin(`CREATE DATABASE ${name}`);
    const url = new URL(pgAdminUrl);
    url.pathname = `/${name}`;
    return {
      open: () => openArchive({ databaseUrl: url.toString() }),
      size: async () => Number((await pgAdmin(`SELECT pg_database_size('${name}') AS n`)).rows[0].n),
      note: '4 writers in flight (as several workers would), batches of 100',
      concurrency: 4,
      // steady state: autovacuum analyzes a table after bulk changes; the bench does not wait a minute for it
      settle: () => pgAdminDb(name, 'ANALYZE'),
      dispose: () => pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  },
};

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function bench(name, queries) {
  let backend;
  try {
    backend = await BACKENDS[name]();
  } catch (error) {
    console.log(`\n${name}: SKIPPED (${error.message})`);
    return;
  }
  try {
    const archive = await backend.open();
    const cpu = process.cpuUsage();
    const started = performance.now();
    // reports are made batch by batch (100,000 of them do not fit in memory at once); making them is timed and
    // taken off the CPU figure, which is the archive's alone
    let next = 0;
    let makingMs = 0;
    const worker = async () => {
      while (next < DOCS) {
        const from = next;
        next = Math.min(DOCS, next + BATCH);
        const t = performance.now();
        const batch = Array.from({ length: next - from }, (_, k) => makeDoc(from + k));
        makingMs += performance.now() - t;
        await archive.addReports(batch);
      }
    };
    await Promise.all(Array.from({ length: backend.concurrency }, worker));
    const ingestS = (performance.now() - started - (backend.inProcess ? makingMs : 0)) / 1000;
    const cpuUsed = process.cpuUsage(cpu);
    const cpuS = (cpuUsed.user + cpuUsed.system) / 1e6 - makingMs / 1000;
    await backend.settle?.();
    // warm-up: the first query of each kind loads jieba and prepares statements
    for (const { query } of queries.slice(0, 10)) await archive.search(query);
    const times = [];
    const byKind = new Map();
    let hits = 0;
    for (const { kind, query } of queries) {
      const t = performance.now();
      const result = await archive.search(query);
      const ms = performance.now() - t;
      times.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
      hits += result.total;
    }
    times.sort((a, b) => a - b);
    await archive.close();
    const size = await backend.size();
    console.log(`\n${name} (${backend.note}), ${DOCS} reports:`);
    const cpuRate = backend.inProcess ? `; ${(DOCS / cpuS).toFixed(0)} reports per CPU-second (${((cpuS / DOCS) * 1000).toFixed(2)} ms each)` : '';
    console.log(`  ingest   ${(DOCS / ingestS).toFixed(0)} reports/s wall (${ingestS.toFixed(1)} s)${cpuRate}`);
    console.log(`  queries  ${queries.length}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms  (mean matches ${(hits / queries.length).toFixed(0)})`);
    for (const [kind, list] of byKind) {
      list.sort((a, b) => a - b);
      console.log(`           ${kind.padEnd(16)} ${String(list.length).padStart(3)}: p50 ${percentile(list, 50).toFixed(1)} ms, p95 ${percentile(list, 95).toFixed(1)} ms`);
    }
    console.log(`  db size  ${mb(size)}  (${(size / DOCS / 1024).toFixed(1)} KB/report)`);
    return { ingestPerSec: DOCS / ingestS, queryP95Ms: percentile(times, 95) };
  } finally {
    await backend.dispose();
  }
}

console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores (wall-clock figures depend on it)`);
const sample = Array.from({ length: 200 }, (_, i) => makeDoc(i));
const textKb = sample.reduce((n, d) => n + Buffer.byteLength(d.text), 0) / sample.length / 1024;
const jsonKb = sample.reduce((n, d) => n + JSON.stringify(d.report).length, 0) / sample.length / 1024;
console.log(`${DOCS} synthetic reports: ${textKb.toFixed(1)} KB of Chinese text and ${jsonKb.toFixed(1)} KB of report JSON each (40 figures, 0–5 findings)`);
const queries = makeQueries(QUERIES);
const loadBefore = loadavg();
const measured = {};
for (const name of values.backends.split(',')) {
  const result = await bench(name.trim(), queries);
  if (result) measured[name.trim()] = result;
}
if (values.json) {
  const rates = Object.values(measured).map((m) => Math.round(m.ingestPerSec));
  const summary = {
    docs: DOCS,
    // the slowest backend's: what an archive of either kind ingests at least
    ingestPerSec: rates.length ? Math.min(...rates) : null,
    ingestPerSecByBackend: Object.fromEntries(Object.entries(measured).map(([k, m]) => [k, Math.round(m.ingestPerSec)])),
    queryP95Ms: Object.fromEntries(Object.entries(measured).map(([k, m]) => [k, Math.round(m.queryP95Ms * 10) / 10])),
    loadavg: { before: loadBefore.map((l) => Math.round(l * 100) / 100), after: loadavg().map((l) => Math.round(l * 100) / 100) },
  };
  writeFileSync(values.json, JSON.stringify(summary, null, 2) + '\n');
}
