/** Real Chinese reports for the archive tests: the fixture reports and a few planted-error copies, checked. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDocument } from '../../src/pipeline.js';
import type { Report } from '../../src/report/schema.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPORTS = path.join(ROOT, 'fixtures', 'reports');

export interface Doc {
  report: Report;
  text: string;
}

const FIXTURES = [
  'budget-street-2026.txt',
  'final-school-2025.txt',
  'mixed-media-center-2025.txt',
  'perf-agri-dept-2025.txt',
  'perf-cdc-project-2025.txt',
  'sangong-market-2025.txt',
  'xss-archives-2025.txt',
];
/** Planted copies with error findings (and one with a warning only). */
const PLANTED = ['agri-summary-part-changed', 'school-basic-restated', 'cdc-execution-rate', 'agri-project-spend-restated'];

export async function check(file: string, text: string): Promise<Doc> {
  const report = await checkDocument(Buffer.from(text), { file });
  delete report.timingsMs;
  return { report, text };
}

let cached: Promise<Doc[]> | undefined;

export function corpus(): Promise<Doc[]> {
  cached ??= (async () => {
    const docs: Doc[] = [];
    for (const name of FIXTURES) docs.push(await check(`fixtures/reports/${name}`, readFileSync(path.join(REPORTS, name), 'utf8')));
    const planted = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'planted.json'), 'utf8')) as { id: string; base: string; find: string; replace: string }[];
    for (const id of PLANTED) {
      const p = planted.find((x) => x.id === id)!;
      const base = readFileSync(path.join(ROOT, 'fixtures', p.base), 'utf8');
      docs.push(await check(`planted/${id}.txt`, base.replace(p.find, p.replace)));
    }
    return docs;
  })();
  return cached;
}

/** The same report under another identity (for tests that change it). */
export function variant(report: Report, tag: string, changes: Partial<Report> = {}): Report {
  const sha256 = createHash('sha256').update(`${tag}\u0000${report.sha256}`).digest('hex');
  return { ...structuredClone(report), sha256, file: `variants/${tag}.txt`, ...changes };
}

export function bumpPacks(report: Report): Report['packs'] {
  return report.packs.map((p) => (p.id === 'core' ? { ...p, version: '9.0.0' } : p));
}
