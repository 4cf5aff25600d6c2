#!/usr/bin/env node
/**
 * The CLI's start-up and its DOCX throughput against mammoth alone (issue 15's first rows), each against a
 * baseline measured in the same run: `npm run bench:cli [-- --docs 200 --runs 7 --corpus DIR --json FILE]`.
 *
 * - start-up: `crossfoot --version`, `--help` and `check` of one small TXT, median of --runs, beside `node -e 0`
 *   (what any Node CLI pays before its first line of code);
 * - `crossfoot check -j 2` over --docs generated DOCX (wall time, start-up included) against
 *   `mammoth.convertToHtml` alone over the same files, one after another in one thread (the loop only).
 *
 * Runs alternate between the measured command and its baseline, so that load drifting during the run affects
 * both; the load average is printed beside every figure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeReport, renderDocx } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { docs: { type: 'string', default: '200' }, runs: { type: 'string', default: '7' }, corpus: { type: 'string' }, json: { type: 'string' }, bin: { type: 'string' } } });
// --bin: another build's launcher (main's, say) for a before/after on the same corpus
const BIN = path.resolve(values.bin ?? path.join(ROOT, 'bin', 'crossfoot.js'));
const DOCS = Number(values.docs);
const RUNS = Number(values.runs);
if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run "npm run build" first');

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function timed(args) {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 }, (error, stdout) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ ms: performance.now() - started, code: error ? error.code : 0, stdout });
    }),
  );
}

const dir = values.corpus ?? (await mkdtemp(path.join(tmpdir(), 'crossfoot-bench-cli-')));
const docxDir = path.join(dir, 'docx');
await mkdir(docxDir, { recursive: true });
if ((await readdir(docxDir)).length !== DOCS) {
  for (let i = 0; i < DOCS; i++) await writeFile(path.join(docxDir, `${String(i).padStart(4, '0')}.docx`), await renderDocx(makeReport(20260101 + i).text));
}
const small = path.join(ROOT, 'fixtures', 'reports', 'sangong-market-2025.txt');

const results = { cores: availableParallelism(), node: process.version, startup: {}, docx: {} };
const commands = { version: [BIN, '--version'], help: [BIN, '--help'], checkTxt: [BIN, 'check', small] };
const samples = { baseline: [], version: [], help: [], checkTxt: [] };
const loadBefore = load();
for (let r = 0; r < RUNS; r++) {
  for (const [name, args] of Object.entries(commands)) {
    samples.baseline.push((await timed(['-e', '0'])).ms);
    samples[name].push((await timed(args)).ms);
  }
}
const base = median(samples.baseline);
for (const name of Object.keys(commands)) {
  results.startup[name] = { medianMs: round(median(samples[name]), 0), overNodeMs: round(median(samples[name]) - base, 0) };
}
results.startup.nodeBaselineMs = round(base, 0);
results.startup.load = `${loadBefore} → ${load()}`;

// mammoth alone: the loop over the files in one thread, without its module load
const mammothScript = `
  import { readdirSync, readFileSync } from 'node:fs';
  const mammoth = (await import('mammoth')).default;
  const files = readdirSync(${JSON.stringify(docxDir)}).sort().map((f) => ${JSON.stringify(docxDir + path.sep)} + f);
  const t0 = performance.now();
  for (const f of files) await mammoth.convertToHtml({ buffer: readFileSync(f) });
  console.log(performance.now() - t0);`;
const docxLoad = load();
const crossfoot = [];
const mammoth = [];
for (let r = 0; r < Math.max(1, Math.ceil(RUNS / 3)); r++) {
  mammoth.push(Number((await timed(['--input-type=module', '-e', mammothScript])).stdout));
  const run = await timed([BIN, 'check', '-j', '2', docxDir, '-f', 'jsonl']);
  if (run.code === 2) throw new Error('crossfoot check failed');
  crossfoot.push(run.ms);
}
results.docx = {
  docs: DOCS,
  crossfootMs: round(median(crossfoot), 0),
  mammothAloneMs: round(median(mammoth), 0),
  ratio: round(median(crossfoot) / median(mammoth)),
  docsPerSec: round((DOCS * 1000) / median(crossfoot), 1),
  load: `${docxLoad} → ${load()}`,
};
if (!values.corpus) await rm(dir, { recursive: true, force: true });

const s = results.startup;
console.log(`start-up, median of ${RUNS} (node -e 0: ${s.nodeBaselineMs} ms; load ${s.load})`);
for (const name of Object.keys(commands)) console.log(`  ${name.padEnd(9)} ${String(s[name].medianMs).padStart(6)} ms  (${s[name].overNodeMs} ms over node)`);
const d = results.docx;
console.log(`check -j 2 over ${d.docs} DOCX: ${d.crossfootMs} ms (${d.docsPerSec} docs/s); mammoth alone, one thread: ${d.mammothAloneMs} ms; ratio ${d.ratio} (load ${d.load})`);
if (values.json) await writeFile(values.json, JSON.stringify(results, null, 2) + '\n');
