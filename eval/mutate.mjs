#!/usr/bin/env node
// Mutation recall (issue 10 item 3): plants one slip at a time in the real documents of ../shared and counts how
// many the checker finds. Every relation the checker verified as holding (verdict exact or rounding) on a real
// document is a place where a typist's slip would be a real error; changing one of its figures so that the relation
// breaks at the printed precision (eval/mutations.mjs decides, with exact interval arithmetic) must give an error
// or a warning that cites the changed figure.
//
// usage: node eval/mutate.mjs [--shared DIR | --docs DIR] [--only PREFIX[,PREFIX…]] [--max-per-doc N] [--seed S]
//                             [--formats txt[,docx][,pdf]] [--render-sample K] [--jobs J] [--json FILE] [--verbose]
//   --shared DIR       the shared folder (default: ../shared relative to the project root)
//   --docs DIR         instead, every .txt document of DIR (e.g. fixtures/robust, the invented robustness corpus)
//   --only PREFIXES    only the documents whose file name starts with one of these (e.g. --only 000_)
//   --max-per-doc N    at most N relations per relation type per document are mutated (default 20)
//   --seed S           the seed of every sampling choice (default 1): the same seed plants the same slips
//   --formats LIST     txt always; docx renders each sampled mutated text to DOCX (the `docx` package, the layout
//                      of bench/corpus.mjs), pdf converts those DOCX with LibreOffice (soffice, one call per batch)
//   --render-sample K  how many of the TXT mutations are rendered to DOCX/PDF, spread over the types (default 24)
//   --jobs J           checking threads (default 2)
//   --json FILE        write the details: per type and format, every miss and every new false alarm
//   --verbose          also print every miss and every new false alarm
//
// The documents: seed/*.txt, corpus/*.txt, fixtures-real/*.pdf, corpus-pdf/*.pdf. Each is checked once. A TXT is
// mutated as it is; a PDF through its extracted text (report.text), checked as TXT, since the mutation needs the
// text's offsets. The unmutated source checked as TXT is the baseline (the DOCX/PDF renderings have their own).
// Per relation, one mutation of each kind (eval/mutations.mjs: transposition, digit, larger; a count ±1; a year
// moved to one the rule rejects), each on a figure picked by the seed, the stated result or an operand.
//
// A planted slip is found when an error or warning finding on the mutated copy cites the changed figure (located
// by its offset in the TXT; by its number and the words before it in a DOCX/PDF) and is not one the original
// already had on that figure (same rule, same cited texts with the changed text put back). Any other error or
// warning finding the original did not have (by ruleId and cited texts) is a new false alarm. Printed: one line
// per relation type and format, then as the last line
//   mutations N, found M (P %), new false alarms K
// Exit code: 0; 2 when the shared folder, the checker (dist/, run npm run build) or soffice (for pdf) is missing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pipelineJs = join(root, 'dist/pipeline.js');

if (!isMainThread) {
  // a checking thread: each message is one document; the answer keeps what the evaluation reads
  const { checkDocument } = await import(pathToFileURL(pipelineJs).href);
  parentPort.on('message', async ({ id, bytes, file }) => {
    try {
      const r = await checkDocument(bytes, { includeRelations: true, includeText: true, file });
      parentPort.postMessage({
        id,
        report: {
          status: r.status, error: r.error, fiscalYear: r.fiscalYear, documentType: r.documentType, title: r.title,
          text: r.text,
          figures: r.figures.map((f) => ({
            id: f.id, kind: f.kind, text: f.text, exact: f.exact, decimals: f.decimals, unit: f.unit,
            direction: f.direction, bound: f.bound, start: f.loc.textStart, end: f.loc.textEnd,
          })),
          findings: r.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, figures: f.figures, message: f.message })),
          relations: r.relations ?? [],
        },
      });
    } catch (e) {
      parentPort.postMessage({ id, error: String(e?.stack ?? e) });
    }
  });
} else {
  await main();
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
  const flag = (name) => args.includes(name);
  const fail = (msg) => { console.error(msg); process.exit(2); };
  const log = (...a) => console.error('eval:mutate:', ...a);
  const whole = (name, dflt, min) => {
    const v = Number(opt(name, dflt));
    if (!Number.isInteger(v) || v < min) fail(`eval:mutate: ${name} must be a whole number ≥ ${min}`);
    return v;
  };

  const shared = opt('--shared') ? resolve(opt('--shared')) : resolve(root, '../shared');
  // --docs DIR: the .txt documents of one folder instead of the real documents of ../shared (fixtures/robust)
  const docsDir = opt('--docs') ? resolve(opt('--docs')) : undefined;
  const only = opt('--only') ? opt('--only').split(',').filter(Boolean) : [];
  const maxPerDoc = whole('--max-per-doc', '20', 1);
  const seed = whole('--seed', '1', 0);
  const renderSample = whole('--render-sample', '24', 0);
  const jobs = whole('--jobs', '2', 1);
  const formats = (opt('--formats', 'txt')).split(',').filter(Boolean);
  const jsonOut = opt('--json');
  const verbose = flag('--verbose') || flag('-v');
  if (formats.some((f) => !['txt', 'docx', 'pdf'].includes(f))) fail('eval:mutate: --formats takes txt, docx, pdf');
  if (!formats.includes('txt')) formats.unshift('txt');

  if (docsDir ? !existsSync(docsDir) : !existsSync(shared)) fail(docsDir ? `eval:mutate: ${docsDir} is missing` : `eval:mutate: the shared folder ${shared} is missing (the real documents live there; pass --shared DIR)`);
  if (!existsSync(pipelineJs)) fail(`eval:mutate: ${pipelineJs} is missing, run "npm run build" first`);
  if (formats.includes('pdf')) {
    try {
      await promisify(execFile)('soffice', ['--version'], { timeout: 60_000 });
    } catch {
      fail('eval:mutate: --formats pdf needs LibreOffice (soffice) on the PATH');
    }
  }

  const { KINDS, breaksRelation, mutateCount, mutateNumber, numberIn, parseNumber, exactAt, formatLike } = await import('./mutations.mjs');
  const { makeRng, renderDocx } = await import('../bench/corpus.mjs');
  // the packs alone: the main thread only plans and judges, the checking threads load the checker
  const { builtinPacks } = await import(pathToFileURL(join(root, 'dist/checks/pack-set.js')).href);

  // ---- the rules: which relation type each ruleId is, and whether a break of it can be an error or a warning ----
  const TYPE_OF_FORM = { execution: 'execution', growth: 'growth', difference: 'difference' };
  const TYPE_OF = { change: 'change-parts' };
  const rules = new Map();
  for (const pack of builtinPacks()) {
    for (const spec of pack.rules) {
      const type = spec.type === 'rate' ? TYPE_OF_FORM[spec.options.form] : TYPE_OF[spec.type] ?? spec.type;
      rules.set(`${pack.pack.id}/${spec.id}`, { type, severity: spec.severity });
    }
  }

  // why holding relations were not mutated, by type: printed on stderr and written to the JSON
  const skipped = {};
  const skip = (type, reason) => { const k = `${type}: ${reason}`; skipped[k] = (skipped[k] ?? 0) + 1; };
  const typeOf = (rel, fs) => {
    const type = rules.get(rel.ruleId)?.type ?? rel.ruleId;
    return type === 'share' && fs[1]?.kind === 'percent' ? 'share-total' : type;
  };

  // ---- the documents ----
  const SETS = docsDir ? [['', '.txt']] : [['seed', '.txt'], ['corpus', '.txt'], ['fixtures-real', '.pdf'], ['corpus-pdf', '.pdf']];
  const files = [];
  for (const [dir, ext] of SETS) {
    const d = join(docsDir ?? shared, dir);
    if (!existsSync(d)) fail(`eval:mutate: ${d} is missing`);
    for (const f of readdirSync(d).sort()) if (f.endsWith(ext) && (!only.length || only.some((p) => f.startsWith(p)))) files.push(join(d, f));
  }
  if (!files.length) fail(`eval:mutate: no document in ${shared} matches --only ${only.join(',')}`);

  // ---- checking threads ----
  const pool = makePool(Math.min(jobs, 8));
  const utf8 = (s) => new TextEncoder().encode(s);
  const started = Date.now();

  // ---- baselines: the extracted text of each document, checked as TXT ----
  const docs = (await Promise.all(files.map(async (file) => {
    const name = basename(file);
    const bytes = new Uint8Array(readFileSync(file));
    const first = await pool.check(new Uint8Array(bytes), name);
    if (first.status !== 'ok') { log(`${name}: could not be read (${first.error?.code ?? first.status}), skipped`); return null; }
    // the relations among a PDF's table cells cannot be planted through its text, which leaves the tables out
    const cells = new Map(first.figures.map((f) => [f.id, f]));
    for (const rel of first.relations) {
      const fs = rel.figures.map((id) => cells.get(id));
      if ((rel.verdict === 'exact' || rel.verdict === 'rounding') && fs.some((f) => f.start == null)) skip(typeOf(rel, fs), 'a PDF table cell (no text offsets)');
    }
    // a TXT is mutated as it is; a PDF (or a TXT in another encoding) through its extracted text
    let text = first.text;
    if (name.endsWith('.txt')) try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { /* GB18030 or UTF-16: use the text read */ }
    const same = name.endsWith('.txt') && Buffer.from(utf8(text)).equals(Buffer.from(bytes));
    const base = same ? first : await pool.check(utf8(text), `${name}.txt`);
    if (base.status !== 'ok') { log(`${name}: its text could not be checked as TXT, skipped`); return null; }
    placeFigures(text, base);
    return { name, text, base };
  }))).filter(Boolean);
  log(`${docs.length} documents read in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // ---- the mutations ----
  const hash = (s) => { let h = 0x811c9dc5; for (const ch of s) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; return h; };
  const rngFor = (...parts) => makeRng(hash([seed, ...parts].join('\u0001')));
  // hard-wrapped lines are re-joined by the reader, so a line break ends no sentence here
  const SENTENCE_END = /[。！？!?]/;
  const sentenceAround = (text, at) => {
    let a = at; while (a > 0 && !SENTENCE_END.test(text[a - 1])) a--;
    let b = at; while (b < text.length && !SENTENCE_END.test(text[b])) b++;
    return text.slice(a, b);
  };

  const mutations = [];
  const planted = new Set();
  for (const doc of docs) {
    const { text, base } = doc;
    const figs = new Map(base.figures.map((f) => [f.id, f]));
    const titleAt = base.title ? text.indexOf(base.title) : -1;
    const inTitle = (f) => titleAt >= 0 && f.at < titleAt + base.title.length && f.atEnd > titleAt;
    const byType = new Map();
    for (const rel of base.relations) {
      if (rel.verdict !== 'exact' && rel.verdict !== 'rounding') continue;
      const rule = rules.get(rel.ruleId);
      const fs = rel.figures.map((id) => figs.get(id));
      const type = typeOf(rel, fs);
      if (!rule || rule.severity === 'info') { skip(type, 'the rule reports at info severity'); continue; }
      if (fs.some((f) => !f || f.start == null)) { skip(type, 'a figure without text offsets'); continue; }
      if (fs.some((f) => f.at == null)) { skip(type, 'a figure the reader\'s text does not map back to the source'); continue; }
      if (fs.some((f) => f.bound)) { skip(type, 'a bounded figure (以上, 以下, 约)'); continue; }
      if (!byType.has(type)) byType.set(type, []);
      byType.get(type).push({ rel, fs });
    }
    for (const [type, rels] of byType) {
      let taken = 0;
      for (const { rel, fs } of rngFor(doc.name, type).sample(rels, rels.length)) {
        if (taken >= maxPerDoc) break;
        const made = mutationsOf(doc, type, rel, fs, inTitle);
        if (made === null) continue;
        const fresh = made.filter((m) => !planted.has(`${doc.name}|${m.start}|${m.to}`));
        for (const m of fresh) { planted.add(`${doc.name}|${m.start}|${m.to}`); mutations.push(m); }
        if (fresh.length) taken++;
      }
    }
  }

  /** The mutations of one relation (one per kind, on a figure the seed picks), or null with the reason counted. */
  function mutationsOf(doc, type, rel, fs, inTitle) {
    const { text, base } = doc;
    const nums = fs.map((f) => numberIn(text, f.at, f.atEnd));
    if (nums.some((n, i) => !n || exactAt(fs[i].exact, n.decimals) !== n.mantissa)) { skip(type, 'a printed number that is not its value (10万人, 二〇二四)'); return null; }
    const rng = rngFor(doc.name, rel.ruleId, rel.figures.join(','));
    const make = (i, kind, to) => {
      const f = fs[i];
      const n = nums[i];
      return {
        doc: doc.name, type, ruleId: rel.ruleId, kind, role: i === 0 ? 'result' : 'operand', figure: f.text,
        from: n.token, to, start: n.start, end: n.end,
        mutatedFigure: text.slice(f.at, n.start) + to + text.slice(n.end, f.atEnd),
        relation: fs.map((x) => x.text),
        context: `${text.slice(Math.max(0, n.start - 40), n.start)}⟦${n.token}→${to}⟧${text.slice(n.end, n.end + 20)}`.replace(/\s+/g, ' '),
      };
    };
    if (type === 'year') {
      const y = Number(nums[0].mantissa);
      const fy = base.fiscalYear;
      if (inTitle(fs[0])) { skip(type, 'the year of the title (it sets the fiscal year)'); return null; }
      // a budget may name last year as its own period (it quotes last year's execution): move it the other way
      const to = y === fy ? (base.documentType === 'budget' ? fy + 1 : fy - 1) : y === fy - 1 ? fy - 2 : null;
      if (to === null) { skip(type, 'a year the rule accepted for a reason not modelled'); return null; }
      const token = formatLike(nums[0], BigInt(to));
      const mutated = text.slice(0, nums[0].start) + token + text.slice(nums[0].end);
      // a second comparison base beside last year's (比上年…，比2022年…) is no slip
      if (to === fy - 2 && new RegExp(`(?:比|较|与|同比|对比|相比)\\s*(?:上年|上一年|${fy - 1}\\s*年)`, 'u').test(sentenceAround(mutated, nums[0].start))) {
        skip(type, 'another comparison base names last year');
        return null;
      }
      return [make(0, 'year', token)];
    }
    if (type === 'count') {
      // 行政单位1家，事业单位2家，具体包括：… holds by the sum of the counts: one count alone then is no slip
      const sentence = sentenceAround(text, nums[0].start);
      const counts = base.figures.filter((f) => f.kind === 'count' && f.unit === fs[0].unit && f.id !== fs[0].id && f.at != null
        && sentenceAround(text, f.at) === sentence);
      if (counts.length) { skip(type, 'other counts of the same classifier in the sentence'); return null; }
      return [1, -1].map((d) => [d, mutateCount(nums[0], d)]).filter(([, to]) => to).map(([d, to]) => make(0, d > 0 ? 'count+1' : 'count-1', to));
    }
    const operands = fs.map((f, i) => ({ kind: f.kind, unit: f.unit, direction: f.direction, mantissa: nums[i].mantissa, decimals: nums[i].decimals }));
    const out = [];
    for (const kind of KINDS) {
      for (const i of rng.sample(fs.map((_, k) => k), fs.length)) {
        const to = mutateNumber(nums[i], kind, rng);
        if (to === null) continue;
        const verdict = breaksRelation(type, operands, i, parseNumber(to).mantissa);
        if (verdict === 'unmodelled') {
          skip(type, 'the relation as listed does not hold in the model (not mutated)');
          if (verbose) log(`unmodelled: ${doc.name} ${rel.ruleId} ${rel.verdict} [${fs.map((f) => `${f.text}${f.direction ? `(${f.direction})` : ''}`).join(', ')}]`);
          return null;
        }
        if (verdict === 'breaks') { out.push(make(i, kind, to)); break; }
      }
    }
    if (!out.length) skip(type, 'no mutation breaks it beyond rounding');
    return out;
  }

  log(`${mutations.length} mutated copies (max ${maxPerDoc} relations per type per document, seed ${seed})`);

  // ---- evaluation ----
  const SERIOUS = new Set(['error', 'warning']);
  const norm = (t) => String(t ?? '').replace(/\s+/g, '');
  const keyOf = (ruleId, cites) => JSON.stringify([ruleId, cites[0], cites.slice(1).sort()]);
  const textsOf = (report, ids) => { const m = new Map(report.figures.map((f) => [f.id, f.text])); return ids.map((id) => norm(m.get(id) ?? `?${id}`)); };
  const baselineKeys = (report) => {
    const keys = new Map();
    for (const f of report.findings) if (SERIOUS.has(f.severity)) { const k = keyOf(f.ruleId, textsOf(report, f.figures)); keys.set(k, (keys.get(k) ?? 0) + 1); }
    return keys;
  };

  const results = [];
  /**
   * Judges one mutated copy against the baseline of its format (`base`: its report and finding keys); `changed`
   * are the ids of the changed figure in the copy, `original` those of the same figure in the baseline.
   */
  function judgeCopy(m, format, base, report, changed, original) {
    const row = { ...m, format };
    if (report.status !== 'ok') return { ...row, outcome: 'failed', error: report.error };
    if (report.fiscalYear !== base.report.fiscalYear) return { ...row, outcome: 'fiscal-year-moved' };
    const ids = new Set(changed);
    const before = new Set(original);
    // a finding the original already had on this figure (same rule, same figures, the changed text put back) is no
    // evidence of the slip; a new finding of the same rule on it (the shares now total 110%) is
    const hadAlready = new Set(base.report.findings.filter((f) => SERIOUS.has(f.severity) && f.figures.some((id) => before.has(id)))
      .map((f) => keyOf(f.ruleId, textsOf(base.report, f.figures))));
    const restored = (f) => keyOf(f.ruleId, f.figures.map((id, i) => (ids.has(id) ? norm(m.figure) : textsOf(report, f.figures)[i])));
    const left = new Map(base.keys);
    const alarms = [];
    let found = null;
    const citing = [];
    for (const f of report.findings) {
      const cites = textsOf(report, f.figures);
      const citesChanged = f.figures.some((id) => ids.has(id));
      if (citesChanged) citing.push({ ruleId: f.ruleId, severity: f.severity, cites, message: f.message });
      if (!SERIOUS.has(f.severity)) continue;
      if (citesChanged) {
        if (!hadAlready.has(restored(f))) found ??= { ruleId: f.ruleId, severity: f.severity, message: f.message };
        continue;
      }
      const k = keyOf(f.ruleId, cites);
      if (left.get(k) > 0) left.set(k, left.get(k) - 1);
      else alarms.push({ ruleId: f.ruleId, severity: f.severity, cites, message: f.message });
    }
    const relations = report.relations.filter((r) => r.figures.some((id) => ids.has(id)))
      .map((r) => ({ ruleId: r.ruleId, verdict: r.verdict, cites: textsOf(report, r.figures) }));
    return { ...row, outcome: found ? 'found' : changed.length ? 'missed' : 'unlocated', foundBy: found, citing, relations, alarms };
  }
  const overlapping = (report, start, end) => report.figures.filter((f) => f.at != null && f.at < end && f.atEnd > start).map((f) => f.id);

  // TXT: the changed figure is the one at the mutated offset (results kept in planting order, so the seed alone
  // decides the DOCX/PDF sample)
  results.push(...await Promise.all(mutations.map(async (m) => {
    const doc = docs.find((d) => d.name === m.doc);
    const mutated = doc.text.slice(0, m.start) + m.to + doc.text.slice(m.end);
    const report = await pool.check(utf8(mutated), `${m.doc}.txt`);
    placeFigures(mutated, report);
    doc.baseline ??= { report: doc.base, keys: baselineKeys(doc.base) };
    return judgeCopy(m, 'txt', doc.baseline, report, overlapping(report, m.start, m.start + m.to.length), overlapping(doc.base, m.start, m.end));
  })));
  log(`TXT checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // ---- DOCX and PDF: a sample, spread over the types ----
  const rendered = formats.filter((f) => f !== 'txt');
  if (rendered.length && renderSample > 0) {
    const valid = results.filter((r) => r.outcome === 'found' || r.outcome === 'missed');
    const byType = new Map();
    for (const r of rngFor('render').sample(valid, valid.length)) { if (!byType.has(r.type)) byType.set(r.type, []); byType.get(r.type).push(r); }
    const sample = [];
    for (let i = 0; sample.length < renderSample && sample.length < valid.length; i++) {
      for (const list of byType.values()) if (list[i] && sample.length < renderSample) sample.push(list[i]);
    }
    const work = mkdtempSync(join(tmpdir(), 'crossfoot-mutate-'));
    try {
      const sampleDocs = [...new Set(sample.map((r) => r.doc))];
      const jobsOf = [
        ...sampleDocs.map((name, i) => ({ key: `o${i}`, name, text: docs.find((d) => d.name === name).text })),
        ...sample.map((r, i) => {
          const doc = docs.find((d) => d.name === r.doc);
          return { key: `m${i}`, name: r.doc, text: doc.text.slice(0, r.start) + r.to + doc.text.slice(r.end), mutation: r };
        }),
      ];
      for (const j of jobsOf) {
        j.docx = await renderDocx(j.text);
        writeFileSync(join(work, `${j.key}.docx`), j.docx);
      }
      log(`${jobsOf.length} DOCX rendered (${sampleDocs.length} originals, ${sample.length} mutations)`);
      if (rendered.includes('pdf')) {
        const profile = pathToFileURL(join(work, 'profile')).href;
        for (let i = 0; i < jobsOf.length; i += 25) {
          const batch = jobsOf.slice(i, i + 25).map((j) => join(work, `${j.key}.docx`));
          await promisify(execFile)('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', join(work, 'pdf'), ...batch], {
            timeout: 600_000, maxBuffer: 16 * 1024 * 1024,
          });
        }
        for (const j of jobsOf) {
          const pdf = join(work, 'pdf', `${j.key}.pdf`);
          if (existsSync(pdf)) j.pdf = new Uint8Array(readFileSync(pdf));
        }
        log(`${jobsOf.filter((j) => j.pdf).length} PDF converted by LibreOffice`);
      }
      for (const format of rendered) {
        const reports = await Promise.all(jobsOf.map((j) => (j[format] ? pool.check(new Uint8Array(j[format]), `${j.key}.${format}`) : null)));
        const bases = new Map();
        jobsOf.forEach((j, i) => { if (!j.mutation && reports[i]?.status === 'ok') bases.set(j.name, { report: reports[i], keys: baselineKeys(reports[i]), text: j.text }); });
        jobsOf.forEach((j, i) => {
          if (!j.mutation) return;
          const b = bases.get(j.name);
          const report = reports[i];
          const m = j.mutation;
          if (!b || !report) { results.push({ ...m, format, outcome: 'failed', error: { message: `the ${format} rendering could not be read` } }); return; }
          results.push(judgeCopy(m, format, b, report, locate(report, j.text, m.start, m.to), locate(b.report, b.text, m.start, m.from)));
        });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  await pool.close();

  /**
   * The changed figure in a rendered copy: the mutated number with the words before it (and after it, when that
   * is needed to make it unique), searched with whitespace removed, since rendering re-wraps and re-spaces the text.
   */
  function locate(report, source, start, token) {
    const stripped = [];
    const at = [];
    for (let i = 0; i < report.text.length; i++) if (!/\s/.test(report.text[i])) { stripped.push(report.text[i]); at.push(i); }
    const hay = stripped.join('');
    const before = norm(source.slice(Math.max(0, start - 40), start));
    const after = norm(source.slice(start + token.length, start + token.length + 20));
    const number = norm(token);
    for (const [b, a] of [[12, 0], [12, 4], [24, 8], [6, 4], [40, 20]]) {
      const prefix = before.slice(-b);
      const needle = prefix + number + after.slice(0, a);
      const first = hay.indexOf(needle);
      if (first < 0 || hay.indexOf(needle, first + 1) >= 0) continue;
      const from = at[first + prefix.length];
      const to = at[first + prefix.length + number.length - 1] + 1;
      return report.figures.filter((f) => f.start != null && f.start < to && f.end > from).map((f) => f.id);
    }
    return [];
  }

  // ---- report ----
  const valid = results.filter((r) => ['found', 'missed', 'unlocated'].includes(r.outcome));
  for (const r of results.filter((x) => x.outcome === 'fiscal-year-moved' && x.format === 'txt')) skip(r.type, 'the mutation moved the fiscal year the checker reads');
  const failedCopies = results.filter((r) => r.outcome === 'failed');
  const tally = (rows) => ({ planted: rows.length, found: rows.filter((r) => r.outcome === 'found').length });
  const typeOrder = ['sum', 'share', 'share-total', 'execution', 'growth', 'difference', 'change-parts', 'count', 'year', 'consistent', 'compare'];
  const types = [...new Set(valid.map((r) => r.type))].sort((a, b) => (typeOrder.indexOf(a) + 1 || 99) - (typeOrder.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) : '-');
  const alarms = valid.flatMap((r) => r.alarms.map((a) => ({
    doc: r.doc, format: r.format, mutation: `${r.figure} → ${r.mutatedFigure}`, type: r.type, kind: r.kind, context: r.context, ...a,
  })));
  const misses = valid.filter((r) => r.outcome !== 'found').map(({ alarms: _a, foundBy: _f, ...r }) => r);

  if (verbose) {
    for (const r of misses) {
      const now = (r.relations ?? []).map((x) => `${x.ruleId}=${x.verdict}`).join(' ') || 'none';
      console.log(`missed: ${r.format} ${r.doc} ${r.type} ${r.kind} ${r.figure} → ${r.mutatedFigure} …${r.context}… relations now: ${now}`);
    }
    for (const a of alarms) console.log(`false alarm: ${a.format} ${a.doc} after ${a.mutation}: ${a.ruleId} [${a.cites.join(', ')}] ${a.message}`);
  }
  for (const [k, n] of Object.entries(skipped).sort()) log(`not planted: ${k} (${n})`);
  for (const r of failedCopies) log(`failed copy: ${r.format} ${r.doc} ${r.error?.code ?? ''} ${r.error?.message ?? ''}`);
  const byType = {};
  const byFormat = {};
  for (const format of formats) {
    const inFormat = valid.filter((r) => r.format === format);
    byFormat[format] = tally(inFormat);
    for (const type of types) {
      const rows = inFormat.filter((r) => r.type === type);
      if (format === 'txt') byType[type] = tally(rows);
      if (!rows.length) continue;
      const t = tally(rows);
      console.log(`${format.padEnd(4)} ${type.padEnd(13)} planted ${String(t.planted).padStart(4)}  found ${String(t.found).padStart(4)}  (${pct(t.found, t.planted)} %)`);
    }
  }
  const found = valid.filter((r) => r.outcome === 'found').length;
  if (jsonOut) {
    writeFileSync(resolve(jsonOut), JSON.stringify({
      options: { shared, only, maxPerDoc, seed, formats, renderSample }, documents: docs.length,
      byType, byFormat,
      byTypeAndFormat: Object.fromEntries(formats.map((f) => [f, Object.fromEntries(types.map((t) => [t, tally(valid.filter((r) => r.format === f && r.type === t))]))])),
      byKind: Object.fromEntries([...new Set(valid.map((r) => r.kind))].map((k) => [k, tally(valid.filter((r) => r.kind === k && r.format === 'txt'))])),
      byRole: Object.fromEntries(['result', 'operand'].map((k) => [k, tally(valid.filter((r) => r.role === k && r.format === 'txt'))])),
      foundByRule: Object.fromEntries(formats.map((f) => [f, Object.fromEntries(types.map((t) => {
        const by = {};
        for (const r of valid) if (r.format === f && r.type === t && r.foundBy) by[r.foundBy.ruleId] = (by[r.foundBy.ruleId] ?? 0) + 1;
        return [t, by];
      }))])),
      newFalseAlarms: alarms.length, misses, falseAlarms: alarms, notPlanted: skipped, failedCopies,
      seconds: Math.round((Date.now() - started) / 1000),
    }, null, 1));
  }
  console.log(`mutations ${valid.length}, found ${found} (${pct(found, valid.length)} %), new false alarms ${alarms.length}`);

  /**
   * The TXT reader's text is the source with some characters dropped (blank lines, the line breaks of re-joined
   * paragraphs, lone table rules): each figure's offsets in report.text are mapped back to the source text it was
   * read from, as `at`/`atEnd`, when its span there holds the same characters (whitespace aside).
   */
  function placeFigures(source, report) {
    const out = report.text;
    const map = new Int32Array(out.length).fill(-1);
    for (let i = 0, j = 0; j < out.length; j++) {
      while (i < source.length && source[i] !== out[j]) i++;
      if (i >= source.length) break;
      map[j] = i++;
    }
    for (const f of report.figures) {
      if (f.start == null || f.end <= f.start || map[f.start] < 0 || map[f.end - 1] < 0) continue;
      const at = map[f.start];
      const atEnd = map[f.end - 1] + 1;
      // a figure whose line break was dropped (19.66⏎万元) still maps: the same characters but for whitespace
      if (source.slice(at, atEnd).replace(/\s+/g, '') === out.slice(f.start, f.end).replace(/\s+/g, '')) Object.assign(f, { at, atEnd });
    }
  }

  /** Worker threads checking documents; check() resolves with the compact report. */
  function makePool(size) {
    const pending = new Map();
    const queue = [];
    const idle = [];
    let next = 0;
    const workers = Array.from({ length: size }, () => {
      const w = new Worker(fileURLToPath(import.meta.url));
      w.on('message', ({ id, report, error }) => {
        const p = pending.get(id);
        pending.delete(id);
        if (error) p.reject(new Error(error)); else p.resolve(report);
        const job = queue.shift();
        if (job) w.postMessage(job.msg, [job.msg.bytes.buffer]); else idle.push(w);
      });
      w.on('error', (e) => fail(`eval:mutate: a checking thread failed: ${e.stack ?? e}`));
      idle.push(w);
      return w;
    });
    return {
      check(bytes, file) {
        return new Promise((resolveCheck, reject) => {
          const id = next++;
          pending.set(id, { resolve: resolveCheck, reject });
          const msg = { id, bytes, file };
          const w = idle.pop();
          if (w) w.postMessage(msg, [bytes.buffer]); else queue.push({ msg });
        });
      },
      close: () => Promise.all(workers.map((w) => w.terminate())),
    };
  }
}
