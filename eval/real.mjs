#!/usr/bin/env node
// The real-report ledger (issue 10): runs the checker once over every real document in ../shared (seed/*.txt,
// corpus/*.txt, fixtures-real/*.pdf, corpus-pdf/*.pdf), keeps every finding of severity error or warning, and
// compares them with the reviewed verdicts in eval/ledger.yaml.
//
// usage: node eval/real.mjs [--shared DIR] [--ledger FILE] [--json FILE] [--record] [--verbose]
//   --shared DIR   the shared folder (default: ../shared relative to the project root)
//   --ledger FILE  the ledger (default: eval/ledger.yaml)
//   --json FILE    write the details (every finding with its verdict, the audited slips found or missed)
//   --record       append the findings the ledger does not hold, with `verdict: unreviewed` (a human decides)
//   --verbose      also print every finding with its verdict and every audited slip the checker misses
//
// A finding is keyed by file basename, ruleId and the texts of the figures it cites (report.figures[].text via
// finding.figures, whitespace removed), the primary (first) figure first and the others in any order; never by its
// message or id, so rewording a message keeps its verdict. Printed: one line per unreviewed finding and per `slip`
// entry whose finding disappeared, then as the last line
//   real documents N, findings F, slips S, rounding R, false X, unreviewed U, audited slips found A/B
// Exit code: 0; 1 when U > 0, a slip disappeared or a document failed to check; 2 when the shared folder, the
// ledger or the checker itself fails.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const flag = (name) => args.includes(name);
const fail = (msg) => { console.error(msg); process.exit(2); };

const shared = opt('--shared') ? resolve(opt('--shared')) : resolve(root, '../shared');
const ledgerPath = opt('--ledger') ? resolve(opt('--ledger')) : join(root, 'eval/ledger.yaml');
const jsonOut = opt('--json');
const record = flag('--record');
const verbose = flag('--verbose') || flag('-v');

if (!existsSync(shared)) fail(`eval:real: the shared folder ${shared} is missing (the real documents live there; pass --shared DIR)`);

// ---- the documents ----
const SETS = [['seed', '.txt'], ['corpus', '.txt'], ['fixtures-real', '.pdf'], ['corpus-pdf', '.pdf']];
const files = [];
for (const [dir, ext] of SETS) {
  const d = join(shared, dir);
  if (!existsSync(d)) fail(`eval:real: ${d} is missing`);
  for (const f of readdirSync(d).sort()) if (f.endsWith(ext)) files.push(join(d, f));
}
const names = files.map((f) => basename(f));
if (new Set(names).size !== names.length) fail('eval:real: two documents share a basename; the ledger keys on basenames');

// ---- the ledger ----
const VERDICTS = ['slip', 'rounding', 'false', 'unreviewed'];
const ledgerText = existsSync(ledgerPath) ? readFileSync(ledgerPath, 'utf8') : 'findings: []\naudited: []\n';
let ledgerDoc;
try { ledgerDoc = YAML.parseDocument(ledgerText); } catch (e) { fail(`eval:real: ${ledgerPath}: ${e.message}`); }
if (ledgerDoc.errors.length) fail(`eval:real: ${ledgerPath}: ${ledgerDoc.errors[0].message}`);
const ledger = ledgerDoc.toJS() ?? {};
const entries = ledger.findings ?? [];
const audited = ledger.audited ?? [];
entries.forEach((e, i) => {
  if (e && e.verdict === false) e.verdict = 'false'; // an unquoted `verdict: false` is a YAML boolean
  const where = `${ledgerPath}: findings[${i}]`;
  if (!e || typeof e.file !== 'string' || typeof e.ruleId !== 'string' || !Array.isArray(e.cites) || !e.cites.length) fail(`${where}: needs file, ruleId and cites`);
  if (e.cites.some((c) => typeof c !== 'string')) fail(`${where}: quote the cites ("2,961.68", not 2961.68)`);
  if (!VERDICTS.includes(e.verdict)) fail(`${where}: verdict must be one of ${VERDICTS.join(', ')} (got ${e.verdict})`);
});
audited.forEach((a, i) => {
  if (!a || typeof a.file !== 'string' || !Array.isArray(a.cites) || !a.cites.length) fail(`${ledgerPath}: audited[${i}]: needs file and cites`);
  if (a.cites.some((c) => typeof c !== 'string')) fail(`${ledgerPath}: audited[${i}]: quote the cites ("64840547.00", not 64840547.00)`);
});

// ---- keys ----
const norm = (t) => String(t ?? '').replace(/\s+/g, '');
const keyOf = (file, ruleId, cites) => {
  const c = cites.map(norm);
  return JSON.stringify([file, ruleId, c[0], c.slice(1).sort()]);
};
const byKey = new Map();
for (const e of entries) {
  const k = keyOf(e.file, e.ruleId, e.cites);
  if (byKey.has(k)) fail(`${ledgerPath}: two entries for ${e.file} ${e.ruleId} [${e.cites.join(', ')}]`);
  byKey.set(k, e);
}

// ---- run the checker once ----
const run = spawnSync(process.execPath, [join(root, 'bin/crossfoot.js'), 'check', '--format', 'jsonl', ...files], {
  cwd: root, encoding: 'utf8', maxBuffer: 1 << 30,
});
if (run.error) fail(`eval:real: could not run the checker: ${run.error.message}`);
if (run.status !== 0 && run.status !== 1) {
  fail(`eval:real: the checker exited with ${run.status ?? run.signal}: ${(run.stderr ?? '').trim().split('\n').slice(-5).join(' | ')}`);
}
const reports = new Map();
for (const line of run.stdout.split('\n')) {
  if (!line.trim().startsWith('{')) continue;
  try { const r = JSON.parse(line); reports.set(resolve(root, r.file ?? ''), r); } catch { /* not a report line */ }
}

// ---- the findings ----
const SERIOUS = new Set(['error', 'warning']);
const digits = (s) => String(s).replace(/[０-９．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/[,，\s]/g, '');
const numbersOf = (t) => t.match(/\d+(?:\.\d+)?/g) ?? [];
// same rule as ../shared/eval/score.mjs: a plain-number cite matches a figure stating exactly that number
const matches = (text, want) => (/^\d+(?:\.\d+)?$/.test(want) ? numbersOf(text).includes(want) : text.includes(want));

const findings = [];
const failed = [];
for (const file of files) {
  const r = reports.get(resolve(file));
  const name = basename(file);
  if (!r) { failed.push({ file: name, code: 'NO_REPORT', message: 'the checker printed no report for it' }); continue; }
  if (r.status !== 'ok') { failed.push({ file: name, code: r.error?.code, message: r.error?.message }); continue; }
  const text = new Map((r.figures ?? []).map((f) => [f.id, f.text ?? '']));
  for (const fd of r.findings ?? []) {
    if (!SERIOUS.has(fd.severity)) continue;
    const cites = (fd.figures ?? []).map((id) => norm(text.get(id) ?? `?${id}`));
    const entry = byKey.get(keyOf(name, fd.ruleId, cites));
    findings.push({
      file: name, ruleId: fd.ruleId, severity: fd.severity, cites, message: fd.message,
      verdict: entry ? entry.verdict : null, reason: entry?.reason ?? null,
      figureDigits: cites.map(digits), entryKey: entry ? keyOf(entry.file, entry.ruleId, entry.cites) : null,
    });
  }
}

const count = (v) => findings.filter((f) => f.verdict === v).length;
const unreviewed = findings.filter((f) => f.verdict === null || f.verdict === 'unreviewed');
const produced = new Set(findings.map((f) => f.entryKey).filter(Boolean));
const gone = entries.filter((e) => !produced.has(keyOf(e.file, e.ruleId, e.cites)));
const goneSlips = gone.filter((e) => e.verdict === 'slip');

const auditedRows = audited.map((a) => {
  const want = digits(a.cites[0]);
  const by = findings.filter((f) => f.file === a.file && f.figureDigits.some((t) => matches(t, want)));
  return { file: a.file, cites: a.cites, note: a.note ?? '', found: by.length > 0, by: by.map((f) => `${f.ruleId}: ${f.message}`) };
});
const auditedFound = auditedRows.filter((a) => a.found).length;

// ---- --record: append what the ledger does not hold, for a human to decide ----
if (record) {
  const fresh = new Map();
  for (const f of findings) {
    if (f.verdict !== null) continue;
    const k = keyOf(f.file, f.ruleId, f.cites);
    if (!fresh.has(k)) fresh.set(k, f);
  }
  if (fresh.size) {
    if (!ledgerDoc.contents || !YAML.isMap(ledgerDoc.contents)) ledgerDoc.contents = ledgerDoc.createNode({});
    let seq = ledgerDoc.get('findings', true);
    if (!YAML.isSeq(seq)) { seq = ledgerDoc.createNode([]); ledgerDoc.set('findings', seq); }
    seq.flow = false; // `findings: []` parses as a flow sequence; entries go one block each
    for (const f of fresh.values()) {
      const node = ledgerDoc.createNode({
        file: f.file, ruleId: f.ruleId, cites: f.cites, verdict: 'unreviewed', reason: '', message: f.message,
      });
      node.get('cites', true).flow = true;
      seq.items.push(node);
    }
    writeFileSync(ledgerPath, ledgerDoc.toString({ lineWidth: 0 }));
  }
  console.error(`eval:real: recorded ${fresh.size} new finding(s) in ${ledgerPath} as unreviewed`);
}

// ---- report ----
const show = (f) => `${f.file} ${f.ruleId} [${f.cites.join(', ')}]`;
for (const f of failed) console.log(`failed: ${f.file} ${f.code ?? ''} ${f.message ?? ''}`.trimEnd());
for (const f of unreviewed) console.log(`unreviewed: ${show(f)} ${f.message}`);
for (const e of goneSlips) console.log(`slip gone: ${e.file} ${e.ruleId} [${e.cites.join(', ')}] (${e.reason ?? ''})`);
if (verbose) {
  for (const f of findings) if (f.verdict && f.verdict !== 'unreviewed') console.log(`${f.verdict}: ${show(f)} ${f.reason ?? ''}`);
  for (const e of gone) if (e.verdict !== 'slip') console.log(`no longer reported (${e.verdict}): ${e.file} ${e.ruleId} [${e.cites.join(', ')}]`);
  for (const a of auditedRows) if (!a.found) console.log(`audited slip missed: ${a.file} ${a.cites[0]} ${a.note}`);
}

const summary = {
  documents: files.length, findings: findings.length, slips: count('slip'), rounding: count('rounding'),
  false: count('false'), unreviewed: unreviewed.length, auditedFound, auditedTotal: auditedRows.length,
  slipsGone: goneSlips.length, failedReports: failed.length, checkerExitCode: run.status,
};
if (jsonOut) {
  writeFileSync(resolve(jsonOut), JSON.stringify({
    summary,
    findings: findings.map(({ figureDigits, entryKey, ...f }) => f),
    unreviewed: unreviewed.map(({ figureDigits, entryKey, ...f }) => f),
    slipsGone: goneSlips,
    noLongerReported: gone.filter((e) => e.verdict !== 'slip'),
    audited: auditedRows,
    failed,
  }, null, 1));
}
console.log(`real documents ${summary.documents}, findings ${summary.findings}, slips ${summary.slips}, rounding ${summary.rounding}, `
  + `false ${summary.false}, unreviewed ${summary.unreviewed}, audited slips found ${auditedFound}/${auditedRows.length}`);
process.exitCode = unreviewed.length > 0 || goneSlips.length > 0 || failed.length > 0 ? 1 : 0;
