#!/usr/bin/env node
// Cross-document recall (issue 13): plants one changed figure at a time in one document of a unit's set and counts
// how often the cross-document rules find it. The documents are the real ones of ../shared (fixtures-real and
// corpus-pdf PDFs, corpus and seed texts) and the project's invented set (fixtures/cross), all checked together as
// one `crossfoot check` run would: documents of one unit are held against each other.
//
// usage: node eval/cross.mjs [--shared DIR] [--verbose]
//
// Every cross-document relation that held (report.relations with a cross/… rule and verdict exact) is a place where
// a typist's slip would be a real mismatch. For each figure of such a relation, the document's text has that
// figure's last integer digit moved up by one (a change far beyond any rounding) and is checked again as a TXT
// (a PDF through its extracted text: the change needs the text's offsets). The copy replaces the document in its
// set. Found: an error or warning cross/… finding on the copy cites the changed figure and names, in `related`,
// another document of the set. A new false alarm: any cross/… finding on the other documents of the set. (A TXT has
// no file properties: a copy whose unit came from its PDF's title property keeps the original's unit.)
// Printed: the relations evaluated and held on the originals, then as the last line
//   mutations N, found M (P %), new false alarms K
// Exit code: 0; 2 when dist/ is missing (run npm run build) or the shared folder is.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const shared = resolve(root, opt('--shared', '../shared'));
const verbose = args.includes('--verbose');
if (!existsSync(join(root, 'dist/pipeline.js')) || !existsSync(shared)) {
  console.error('eval/cross: needs dist/ (npm run build) and the shared folder');
  process.exit(2);
}
const load = (m) => import(pathToFileURL(join(root, 'dist', m)).href);
const { checkDocument } = await load('pipeline.js');
const { crossCheck } = await load('cross/check.js');
const { buildPackSet, builtinPacks } = await load('checks/pack-set.js');
const packs = buildPackSet(builtinPacks());

const listed = (dir, ext) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f)) : []);
const files = [
  ...listed(join(shared, 'fixtures-real'), '.pdf'),
  ...listed(join(shared, 'corpus-pdf'), '.pdf'),
  ...listed(join(shared, 'corpus'), '.txt'),
  ...listed(join(shared, 'seed'), '.txt'),
  ...listed(join(root, 'fixtures/cross'), '.txt'),
];

const check = (bytes, file) => checkDocument(bytes, { file, includeText: true, includeRelations: true });
const originals = [];
for (const file of files) originals.push(await check(readFileSync(file), file));
const checked = crossCheck(originals, packs, [], { includeRelations: true });

const isCross = (id) => id.startsWith('cross/');
const serious = (f) => isCross(f.ruleId) && f.severity !== 'info';
const unitOf = (r) => r.identity?.organizationKey;
const held = checked.flatMap((r) => (r.relations ?? []).filter((x) => isCross(x.ruleId) && x.verdict === 'exact').map((x) => ({ report: r, relation: x })));
const byRule = {};
for (const { relation } of held) byRule[relation.ruleId] = (byRule[relation.ruleId] ?? 0) + 1;
const failedOnOriginals = checked.reduce((n, r) => n + (r.crossChecks?.failed ?? 0), 0);
console.log(`documents ${files.length}, cross-document relations held ${held.length} (${Object.entries(byRule).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}), failed on the originals ${failedOnOriginals}`);

/** The figure's text with its last integer digit moved up by one (9 becomes 0, carrying into the digit before). */
function changed(text) {
  const m = /^(\D*?)([\d,]+)(\.\d+)?(.*)$/su.exec(text);
  if (!m) return undefined;
  const digits = m[2].replace(/,/g, '');
  const bumped = (BigInt(digits) + 1n).toString();
  return `${m[1]}${bumped}${m[3] ?? ''}${m[4]}`;
}

let mutations = 0;
let found = 0;
let alarms = 0;
const seen = new Set();
for (const { report, relation } of held) {
  const original = originals.find((r) => r.sha256 === report.sha256);
  for (const figureId of relation.figures) {
    const figure = original.figures.find((f) => f.id === figureId);
    if (!figure || figure.loc.textStart === undefined) continue;
    const key = `${report.sha256}:${figure.loc.textStart}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = original.text;
    const span = text.slice(figure.loc.textStart, figure.loc.textEnd);
    const replacement = changed(span);
    if (!replacement) continue;
    mutations++;
    const mutatedText = text.slice(0, figure.loc.textStart) + replacement + text.slice(figure.loc.textEnd);
    const copyFile = `${report.file}.planted.txt`;
    const copy = await check(Buffer.from(mutatedText, 'utf8'), copyFile);
    // a TXT carries no file properties: where the PDF's title property named the unit, the copy keeps that unit
    if (copy.identity && !copy.identity.organizationKey && original.identity?.organizationKey) copy.identity.organizationKey = original.identity.organizationKey;
    const set = [...originals.filter((r) => r.sha256 !== report.sha256), copy];
    const result = crossCheck(set, packs);
    const mutated = result.find((r) => r.file === copyFile);
    // the changed figure in the copy: the one stating the new text nearest the place of the change (reading the
    // copy as TXT may move offsets a little: tabs, line ends)
    const nearest = mutated.figures
      .filter((g) => g.text === replacement && g.loc.textStart !== undefined)
      .sort((a, b) => Math.abs(a.loc.textStart - figure.loc.textStart) - Math.abs(b.loc.textStart - figure.loc.textStart))[0];
    const citesChange = (f) => nearest !== undefined && f.figures.includes(nearest.id);
    const hit = mutated.findings.some((f) => serious(f) && citesChange(f) && (f.related ?? []).some((x) => x.sha256 !== copy.sha256));
    if (hit) found++;
    else if (verbose) console.log(`missed: ${basename(report.file)} ${span} → ${replacement} (${relation.ruleId}; the copy: ${unitOf(mutated)} ${mutated.fiscalYear} ${mutated.documentType}, ${JSON.stringify(mutated.crossChecks)}; ${mutated.findings.filter(serious).map((f) => f.message).join(' | ')})`);
    const unit = unitOf(copy);
    for (const other of result.filter((r) => r !== mutated && unitOf(r) === unit)) {
      const extra = other.findings.filter(serious);
      alarms += extra.length;
      if (verbose) for (const f of extra) console.log(`new false alarm on ${basename(other.file)} (${basename(report.file)} ${span} → ${replacement}): ${f.message}`);
    }
  }
}
const pct = mutations ? ((100 * found) / mutations).toFixed(1) : '0.0';
console.log(`mutations ${mutations}, found ${found} (${pct} %), new false alarms ${alarms}`);
