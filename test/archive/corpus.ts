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

/** Two invented reports of one invented organization, 2024 and 2025 (the cross-year check's cases). */
export const FORESTRY_2024 = `某县林业局2024年度部门决算说明
一、收入支出决算总体情况
2024年度收入、支出决算总计1190.20万元，其中：基本支出800.00万元，项目支出390.20万元。
二、“三公”经费支出决算情况
2024年度“三公”经费支出决算6.30万元，全部为公务接待费。
三、机关运行经费
2024年度机关运行经费支出决算120.00万元。`;

/** Restates 2024's total (right), its 三公 spending (6.50, not 6.30), and its running costs as 130 − 10 (right). */
export const FORESTRY_2025 = `某县林业局2025年度部门决算说明
一、收入支出决算总体情况
2025年度收入、支出决算总计1286.40万元，较2024年度的1190.20万元增加96.20万元，增长8.08%。
二、“三公”经费支出决算情况
2025年度“三公”经费支出决算5.80万元，全部为公务接待费。上年“三公”经费支出决算为6.50万元。
三、机关运行经费
2025年度机关运行经费支出决算130.00万元，比2024年增加10.00万元。`;
