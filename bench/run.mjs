#!/usr/bin/env node
/**
 * crossfoot benchmark (`npm run bench`, after `npm run build`).
 *
 *   node bench/run.mjs [--docs 500] [--seed N] [--concurrency 2] [--keep] [--corpus DIR]
 *
 * 1. Generates a corpus of synthetic, internally consistent reports (bench/corpus.mjs) into a temporary folder:
 *    70 % DOCX (docx package), 30 % PDF (pdfkit), plus a TXT copy of every report.
 * 2. Measures
 *    - end-to-end CLI throughput: `crossfoot check <folder> --format jsonl --concurrency 2` on the DOCX subset
 *      and on the PDF subset (wall time incl. start-up, docs/s; start-up measured separately);
 *    - per-stage ms from the reports' `timingsMs` (sum and mean per document);
 *    - checking speed (text → findings) in MB/s of UTF-8 text on one core: checkDocument on the TXT copies
 *      in a process of its own, minus its read stage;
 *    - peak RSS of one worker-equivalent (a process checking documents one at a time), per format;
 *    - mammoth.convertToHtml alone and pdf-parse getText alone on the same files, one core, alternating with
 *      checkDocument document by document (robust to load drift), and the ratios.
 * 3. Prints a compact table and writes bench/out/results.json.
 *
 * The corpus is deleted afterwards unless --keep (or --corpus DIR, which also reuses an existing corpus there).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeReport, renderDocx, renderPdf } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'crossfoot.js');
const MEASURE = path.join(ROOT, 'bench', 'measure.mjs');
const OUT_DIR = path.join(ROOT, 'bench', 'out');

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '500' },
    seed: { type: 'string', default: '20260101' },
    concurrency: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('node bench/run.mjs [--docs 500] [--seed N] [--concurrency 2] [--keep] [--corpus DIR]');
  process.exit(0);
}
const N = Number(values.docs);
const SEED = Number(values.seed);
const CONCURRENCY = Number(values.concurrency);
if (!Number.isInteger(N) || N < 10) throw new Error('--docs takes a whole number ≥ 10');
if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing, run "npm run build" first');
  process.exit(2);
}

const log = (...args) => console.error('bench:', ...args);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
const MB = 1e6;

function run(cmd, args, options = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 1024 * 1024 * 1024, encoding: 'utf8', ...options }, (error, stdout, stderr) => {
      const ms = performance.now() - started;
      if (error && typeof error.code !== 'number') reject(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve({ code: error ? error.code : 0, stdout, stderr, ms });
    });
  });
}

// ------------------------------------------------------------------------------------------- corpus

async function listFiles(dir) {
  return (await readdir(dir)).sort().map((f) => path.join(dir, f));
}

async function generate(dir) {
  for (const sub of ['docx', 'pdf', 'txt']) await mkdir(path.join(dir, sub), { recursive: true });
  const existing = (await readdir(path.join(dir, 'txt'))).length;
  if (existing === N) {
    log(`reusing the ${N}-report corpus in ${dir}`);
    return { generateMs: 0, reused: true };
  }
  const started = performance.now();
  const types = {};
  for (let i = 0; i < N; i++) {
    const report = makeReport(SEED + i);
    types[report.type] = (types[report.type] ?? 0) + 1;
    const name = `${String(i).padStart(4, '0')}-${report.type}`;
    await writeFile(path.join(dir, 'txt', `${name}.txt`), report.text);
    // 7 in 10 as DOCX, 3 in 10 as PDF, interleaved so both subsets mix all types and sizes
    if (i % 10 < 7) await writeFile(path.join(dir, 'docx', `${name}.docx`), await renderDocx(report.text));
    else await writeFile(path.join(dir, 'pdf', `${name}.pdf`), await renderPdf(report.text));
    if ((i + 1) % 100 === 0) log(`generated ${i + 1}/${N}`);
  }
  return { generateMs: performance.now() - started, types };
}

async function sizes(files) {
  const s = await Promise.all(files.map((f) => stat(f).then((x) => x.size)));
  return { files: files.length, bytes: sum(s), minBytes: Math.min(...s), maxBytes: Math.max(...s) };
}

// ------------------------------------------------------------------------------------------- measurements

/** `crossfoot check DIR --format jsonl --concurrency C -o FILE` under /usr/bin/time -v when available. */
async function cli(dir, outFile) {
  const args = [BIN, 'check', dir, '--format', 'jsonl', '--concurrency', String(CONCURRENCY), '--timings', '-o', outFile];
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const res = timeBin ? await run(timeBin, ['-v', process.execPath, ...args]) : await run(process.execPath, args);
  if (res.code === 2) throw new Error(`crossfoot failed: ${res.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(res.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(res.stderr);
  const cpuMs = user && system ? (Number(user[1]) + Number(system[1])) * 1000 : undefined;
  const reports = (await readFile(outFile, 'utf8')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { wallMs: res.ms, cpuMs, exitCode: res.code, processPeakRssMb: rss ? Number(rss[1]) / 1024 : undefined, reports };
}

async function measure(mode, files, warmup = 5) {
  const list = path.join(OUT_DIR, `list-${mode}-${process.pid}.json`);
  await writeFile(list, JSON.stringify(files));
  try {
    const res = await run(process.execPath, [MEASURE, mode, list, String(warmup)], { cwd: ROOT });
    if (res.code !== 0) throw new Error(`measure ${mode} failed (${res.code}): ${res.stderr}`);
    return JSON.parse(res.stdout);
  } finally {
    await rm(list, { force: true });
  }
}

function summarizeReports(reports) {
  const statuses = {};
  const failures = {};
  const rules = {};
  let withErrors = 0;
  let withWarnings = 0;
  const examples = [];
  for (const r of reports) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === 'failed') failures[r.error?.code] = (failures[r.error?.code] ?? 0) + 1;
    const serious = r.findings.filter((f) => f.severity !== 'info');
    if (r.findings.some((f) => f.severity === 'error')) withErrors++;
    if (r.findings.some((f) => f.severity === 'warning')) withWarnings++;
    for (const f of serious) rules[f.ruleId] = (rules[f.ruleId] ?? 0) + 1;
    if (serious.length && examples.length < 12) {
      examples.push({ file: path.basename(r.file), ruleId: serious[0].ruleId, message: serious[0].message });
    }
  }
  return { statuses, failures, docsWithErrors: withErrors, docsWithWarnings: withWarnings, findingsByRule: rules, examples };
}

function stageStats(reports) {
  const ok = reports.filter((r) => r.timingsMs);
  const stages = {};
  for (const r of ok) for (const [k, v] of Object.entries(r.timingsMs)) stages[k] = (stages[k] ?? 0) + v;
  const out = {};
  for (const [k, v] of Object.entries(stages)) out[k] = { sumMs: round(v), meanMs: round(v / ok.length, 2) };
  const total = sum(Object.values(stages));
  out.total = { sumMs: round(total), meanMs: round(total / ok.length, 2) };
  return out;
}

const perDoc = (m) => sum(m.docs.map((d) => d.ms)) / m.docs.length;
const cpuPerDoc = (m) => sum(m.docs.map((d) => d.cpuMs)) / m.docs.length;
/** Mean ms of one stage of checkDocument (its own timingsMs). */
const stagePerDoc = (m, stage) => sum(m.docs.map((d) => d.timings?.[stage] ?? 0)) / m.docs.length;
function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const spread = (m) => ({ p50Ms: round(quantile(m.docs.map((d) => d.ms), 0.5), 2), p95Ms: round(quantile(m.docs.map((d) => d.ms), 0.95), 2) });

// ------------------------------------------------------------------------------------------- main

const benchStarted = performance.now();
const loadAvgAtStart = loadavg().map((x) => round(x, 2));
if (loadAvgAtStart[0] > 0.5 * availableParallelism()) log(`note: the machine is busy (load ${loadAvgAtStart[0]}); timings will be noisy`);
await mkdir(OUT_DIR, { recursive: true });
const corpusDir = values.corpus ? path.resolve(values.corpus) : await mkdtemp(path.join(tmpdir(), 'crossfoot-bench-'));
const keep = values.keep || !!values.corpus;
try {
  log(`corpus: ${N} reports (seed ${SEED}) in ${corpusDir}`);
  const gen = await generate(corpusDir);
  const docxFiles = await listFiles(path.join(corpusDir, 'docx'));
  const pdfFiles = await listFiles(path.join(corpusDir, 'pdf'));
  const txtFiles = await listFiles(path.join(corpusDir, 'txt'));
  const txtOfDocx = docxFiles.map((f) => path.join(corpusDir, 'txt', path.basename(f, '.docx') + '.txt'));
  const txtOfPdf = pdfFiles.map((f) => path.join(corpusDir, 'txt', path.basename(f, '.pdf') + '.txt'));
  const corpus = {
    reports: N,
    seed: SEED,
    generateMs: round(gen.generateMs),
    types: gen.types,
    docx: await sizes(docxFiles),
    pdf: await sizes(pdfFiles),
    txt: await sizes(txtFiles),
  };
  log(`corpus ready: ${docxFiles.length} DOCX, ${pdfFiles.length} PDF, ${round(corpus.txt.bytes / MB, 2)} MB of text (${round(gen.generateMs / 1000)} s)`);

  // (1) end-to-end CLI, with start-up measured on a single small file
  const startups = [];
  for (let i = 0; i < 3; i++) startups.push(await cli(txtFiles[0], path.join(OUT_DIR, 'startup.jsonl')));
  const startupMs = Math.min(...startups.map((s) => s.wallMs));
  const startupCpuMs = Math.min(...startups.map((s) => s.cpuMs ?? Infinity));
  log(`CLI start-up (one small TXT): ${round(startupMs)} ms`);
  const cliRuns = {};
  for (const [name, dir, count] of [
    ['docx', path.join(corpusDir, 'docx'), docxFiles.length],
    ['pdf', path.join(corpusDir, 'pdf'), pdfFiles.length],
  ]) {
    log(`CLI on the ${name.toUpperCase()} subset (${count} files, --concurrency ${CONCURRENCY}) …`);
    const res = await cli(dir, path.join(OUT_DIR, `cli-${name}.jsonl`));
    cliRuns[name] = {
      docs: count,
      wallMs: round(res.wallMs),
      docsPerSec: round(count / (res.wallMs / 1000), 1),
      docsPerSecExclStartup: round(count / ((res.wallMs - startupMs) / 1000), 1),
      // contention-proof estimate: CPU time spent per document (whole process, start-up excluded), and the
      // throughput that implies when CONCURRENCY cores are free for the run
      cpuMsPerDoc: res.cpuMs === undefined ? undefined : round((res.cpuMs - startupCpuMs) / count, 2),
      docsPerSecIfCoresFree:
        res.cpuMs === undefined ? undefined : round((Math.min(CONCURRENCY, availableParallelism()) * count) / ((res.cpuMs - startupCpuMs) / 1000), 1),
      exitCode: res.exitCode,
      processPeakRssMb: round(res.processPeakRssMb),
      ...summarizeReports(res.reports),
      stages: stageStats(res.reports),
    };
  }

  // (3) checking speed on one core, TXT (read = decoding, subtracted)
  log('checkDocument on the TXT copies, one core …');
  const txt = await measure('check', txtFiles);
  const txtBytes = sum(txt.docs.map((d) => d.bytes));
  const checkMs = sum(txt.docs.map((d) => d.ms - (d.timings.read ?? 0)));
  const stagesOnlyMs = sum(txt.docs.map((d) => sum(Object.entries(d.timings).filter(([k]) => k !== 'read').map(([, v]) => v))));
  const txtReports = txt.docs.map((d) => ({ status: d.status, findings: [], timingsMs: d.timings }));
  const checking = {
    docs: txt.docs.length,
    textMB: round(txtBytes / MB, 3),
    checkMs: round(checkMs),
    mbPerSec: round(txtBytes / MB / (checkMs / 1000), 2),
    // CPU-time based (the read stage, ~0.3 ms, left in): robust to other load on the machine
    mbPerCpuSec: round(txtBytes / MB / (sum(txt.docs.map((d) => d.cpuMs)) / 1000), 2),
    mbPerSecByStageTimings: round(txtBytes / MB / (stagesOnlyMs / 1000), 2),
    msPerDoc: round(checkMs / txt.docs.length, 2),
    ...spread(txt),
    // the median document's speed: robust to the odd GC pause or a busy machine
    medianDocMbPerSec: round(quantile(txt.docs.map((d) => d.bytes / MB / ((d.ms - (d.timings.read ?? 0)) / 1000)), 0.5), 2),
    slowestDocMs: round(Math.max(...txt.docs.map((d) => d.ms)), 1),
    docsWithErrors: txt.docs.filter((d) => d.errors > 0).length,
    docsWithWarnings: txt.docs.filter((d) => d.warnings > 0).length,
    stages: stageStats(txtReports),
    peakRssMb: round(txt.maxRssMb),
  };

  // (4) one worker-equivalent per format (peak RSS, crossfoot alone); (5) against the extraction libraries,
  // alternately per document on the same files, so that load on the machine drifting during the run cancels out
  log('checkDocument on DOCX, one core …');
  const checkDocx = await measure('check', docxFiles);
  log('checkDocument on PDF, one core …');
  const checkPdf = await measure('check', pdfFiles);
  const idle = await measure('idle', []);
  log('mammoth.convertToHtml alone vs checkDocument, alternately per document …');
  const pairDocx = await measure('pair-mammoth', docxFiles);
  log('pdf-parse getText alone vs checkDocument, alternately per document …');
  const pairPdf = await measure('pair-pdfparse', pdfFiles);
  const versus = (check, pair) => {
    const total = (side, key) => sum(pair.docs.map((d) => d[side][key]));
    const n = pair.docs.length;
    return {
      crossfootMsPerDoc: round(perDoc(check), 2),
      crossfootCpuMsPerDoc: round(cpuPerDoc(check), 2),
      crossfoot: spread(check),
      crossfootDocsPerSec: round(1000 / perDoc(check), 1),
      crossfootReadMsPerDoc: round(stagePerDoc(check, 'read'), 2),
      // alternating run: library alone, then checkDocument, document by document
      libraryMsPerDoc: round(total('library', 'ms') / n, 2),
      libraryCpuMsPerDoc: round(total('library', 'cpuMs') / n, 2),
      pairedCrossfootMsPerDoc: round(total('crossfoot', 'ms') / n, 2),
      ratio: round(total('crossfoot', 'ms') / total('library', 'ms'), 2),
      cpuRatio: round(total('crossfoot', 'cpuMs') / total('library', 'cpuMs'), 2),
      // crossfoot's read stage alone (DOCX: zip guard + mammoth + HTML → blocks; PDF: getText + layout/table
      // passes + line joining) against the library alone
      readRatio: round(sum(pair.docs.map((d) => d.crossfoot.read ?? 0)) / total('library', 'ms'), 2),
    };
  };
  const singleCore = {
    docx: { library: 'mammoth.convertToHtml', ...versus(checkDocx, pairDocx) },
    pdf: { library: 'pdf-parse getText (with CMaps)', ...versus(checkPdf, pairPdf) },
    // the same reports as TXT: what the checks cost without a document format
    txtOfSameReports: {
      docxMsPerDoc: round(sum(txt.docs.filter((d) => txtOfDocx.includes(d.file)).map((d) => d.ms)) / txtOfDocx.length, 2),
      pdfMsPerDoc: round(sum(txt.docs.filter((d) => txtOfPdf.includes(d.file)).map((d) => d.ms)) / txtOfPdf.length, 2),
    },
  };
  const rss = {
    idleMb: round(idle.maxRssMb),
    docxWorkerMb: round(checkDocx.maxRssMb),
    pdfWorkerMb: round(checkPdf.maxRssMb),
    txtWorkerMb: round(txt.maxRssMb),
    cliProcessDocxMb: cliRuns.docx.processPeakRssMb,
    cliProcessPdfMb: cliRuns.pdf.processPeakRssMb,
  };

  const worstRss = Math.max(rss.docxWorkerMb, rss.pdfWorkerMb, rss.txtWorkerMb);
  const targets = [
    { target: `DOCX end-to-end ≥ 100 docs/s (--concurrency ${CONCURRENCY})`, value: cliRuns.docx.docsPerSec, unit: 'docs/s', pass: cliRuns.docx.docsPerSec >= 100 },
    { target: 'checking ≥ 10 MB/s of text (one core)', value: checking.mbPerSec, unit: 'MB/s', pass: checking.mbPerSec >= 10 },
    {
      target: 'PDF ≤ 1.2× pdf-parse alone (one core)',
      value: singleCore.pdf.ratio,
      unit: `× (CPU ${singleCore.pdf.cpuRatio}×, read stage alone ${singleCore.pdf.readRatio}×)`,
      pass: singleCore.pdf.ratio <= 1.2,
    },
    { target: 'peak RSS ≤ 300 MB per worker', value: worstRss, unit: 'MB', pass: worstRss <= 300 },
  ];

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version, loadAvgAtStart, loadAvgAtEnd: loadavg().map((x) => round(x, 2)) },
    options: { docs: N, seed: SEED, concurrency: CONCURRENCY },
    corpus,
    cliStartupMs: round(startupMs),
    cli: cliRuns,
    checking,
    singleCore,
    rss,
    targets,
    benchMs: round(performance.now() - benchStarted),
  };
  await writeFile(path.join(OUT_DIR, 'results.json'), JSON.stringify(results, null, 2) + '\n');

  // ----------------------------------------------------------------------------------------- table
  const row = (cells, widths) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  const w = [34, 12, 12, 12];
  const lines = [];
  lines.push(`crossfoot bench — ${N} reports (${docxFiles.length} DOCX, ${pdfFiles.length} PDF), ${round(corpus.txt.bytes / MB, 2)} MB text, ${results.machine.cpus} cores, node ${process.version}, load ${loadAvgAtStart[0]} → ${results.machine.loadAvgAtEnd[0]}`);
  lines.push('');
  lines.push(row(['end-to-end CLI', 'DOCX', 'PDF', ''], w));
  lines.push(row(['  wall (s)', round(cliRuns.docx.wallMs / 1000, 2), round(cliRuns.pdf.wallMs / 1000, 2)], w));
  lines.push(row(['  docs/s', cliRuns.docx.docsPerSec, cliRuns.pdf.docsPerSec], w));
  lines.push(row([`  docs/s excl. start-up (${round(startupMs)} ms)`, cliRuns.docx.docsPerSecExclStartup, cliRuns.pdf.docsPerSecExclStartup], w));
  lines.push(row(['  CPU ms/doc (excl. start-up)', cliRuns.docx.cpuMsPerDoc ?? '-', cliRuns.pdf.cpuMsPerDoc ?? '-'], w));
  lines.push(row([`  docs/s if ${CONCURRENCY} cores were free`, cliRuns.docx.docsPerSecIfCoresFree ?? '-', cliRuns.pdf.docsPerSecIfCoresFree ?? '-'], w));
  lines.push(row(['  process peak RSS (MB)', rss.cliProcessDocxMb ?? '-', rss.cliProcessPdfMb ?? '-'], w));
  lines.push(row(['  failed / with errors / warnings', `${cliRuns.docx.statuses.failed ?? 0}/${cliRuns.docx.docsWithErrors}/${cliRuns.docx.docsWithWarnings}`, `${cliRuns.pdf.statuses.failed ?? 0}/${cliRuns.pdf.docsWithErrors}/${cliRuns.pdf.docsWithWarnings}`], w));
  lines.push('');
  const stageNames = [...new Set([...Object.keys(cliRuns.docx.stages), ...Object.keys(cliRuns.pdf.stages), ...Object.keys(checking.stages)])];
  lines.push(row(['stage, mean ms/doc (sum s)', 'DOCX', 'PDF', 'TXT 1 core'], w));
  for (const s of stageNames) {
    const cell = (st) => (st[s] ? `${st[s].meanMs} (${round(st[s].sumMs / 1000, 1)})` : '-');
    lines.push(row([`  ${s}`, cell(cliRuns.docx.stages), cell(cliRuns.pdf.stages), cell(checking.stages)], w));
  }
  lines.push('');
  lines.push(row(['one core, ms/doc (alternating)', 'crossfoot', 'library', 'ratio (CPU; read stage)'], w));
  lines.push(row(['  DOCX vs mammoth.convertToHtml', singleCore.docx.pairedCrossfootMsPerDoc, singleCore.docx.libraryMsPerDoc, `${singleCore.docx.ratio} (${singleCore.docx.cpuRatio}; ${singleCore.docx.readRatio})`], w));
  lines.push(row(['  PDF vs pdf-parse getText', singleCore.pdf.pairedCrossfootMsPerDoc, singleCore.pdf.libraryMsPerDoc, `${singleCore.pdf.ratio} (${singleCore.pdf.cpuRatio}; ${singleCore.pdf.readRatio})`], w));
  lines.push(row(['  checks on TXT (text → findings)', `${checking.msPerDoc}`, `${checking.mbPerSec} MB/s`, `median ${checking.medianDocMbPerSec}`], w));
  lines.push(row(['    (CPU)', '', `${checking.mbPerCpuSec} MB/s`, ''], w));
  lines.push(row(['  p50 / p95 ms: DOCX, PDF', `${singleCore.docx.crossfoot.p50Ms} / ${singleCore.docx.crossfoot.p95Ms}`, `${singleCore.pdf.crossfoot.p50Ms} / ${singleCore.pdf.crossfoot.p95Ms}`, ''], w));
  lines.push('');
  lines.push(row(['peak RSS (MB)', 'DOCX', 'PDF', 'TXT'], w));
  lines.push(row(['  one worker-equivalent', rss.docxWorkerMb, rss.pdfWorkerMb, rss.txtWorkerMb], w));
  lines.push(row(['  idle (modules loaded)', '', '', rss.idleMb], w));
  lines.push('');
  for (const t of targets) lines.push(`${t.pass ? 'PASS' : 'MISS'}  ${t.target}: ${t.value} ${t.unit}`);
  const fp = { ...cliRuns.docx.findingsByRule };
  for (const [k, v] of Object.entries(cliRuns.pdf.findingsByRule)) fp[k] = (fp[k] ?? 0) + v;
  if (Object.keys(fp).length) {
    lines.push('');
    lines.push(`findings on the (consistent) synthetic corpus: ${Object.entries(fp).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  }
  lines.push('');
  lines.push(`results: ${path.relative(ROOT, path.join(OUT_DIR, 'results.json'))}  (bench ${round(results.benchMs / 1000)} s)`);
  console.log(lines.join('\n'));
} finally {
  if (!keep) await rm(corpusDir, { recursive: true, force: true });
  else log(`corpus kept in ${corpusDir}`);
}
