/**
 * Cross-year check through the archive, on both backends: two invented reports of one invented organization,
 * 2024 and 2025, where the 2025 report restates some of 2024's figures — one wrongly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveRepository } from '../../src/archive/index.js';
import { PRIOR_YEAR_RULE, priorYearFindings } from '../../src/archive/prior-year.js';
import { storeReports } from '../../src/cli/archive.js';
import { BACKENDS, type Scratch } from './backends.js';
import { check, corpus, type Doc, FORESTRY_2024 as REPORT_2024, FORESTRY_2025 as REPORT_2025 } from './corpus.js';

describe.each(BACKENDS)('prior-year check on $name', ({ scratch }) => {
  let s: Scratch;
  let archive: ArchiveRepository;
  let y2024: Doc;
  let y2025: Doc;

  beforeAll(async () => {
    y2024 = await check('forestry/2024.txt', REPORT_2024);
    y2025 = await check('forestry/2025.txt', REPORT_2025);
    s = await scratch();
    archive = await s.open();
  });
  afterAll(async () => {
    await archive?.close();
    await s?.dispose();
  });

  it('finds nothing while last year is not archived', async () => {
    expect(await priorYearFindings(y2025.report, archive)).toEqual([]);
  });

  it('warns where a stated prior-year figure differs from last year’s report, citing both documents', async () => {
    await archive.addReport(y2024.report, y2024.text);
    const findings = await priorYearFindings(y2025.report, archive);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    const cited = y2025.report.figures.find((x) => x.id === f!.figures[0])!;
    expect(cited.text).toBe('6.50万元');
    expect(f).toMatchObject({ ruleId: PRIOR_YEAR_RULE, severity: 'warning', expected: '6.30', actual: '6.50', loc: cited.loc });
    expect(f!.message).toContain('forestry/2024.txt');
    expect(f!.message).toBe('本报告所述上年“三公”经费支出决算6.50万元与上年报告（forestry/2024.txt）所载6.30万元不一致');
  });

  it('checks a prior value derived from a change (current − increase)', async () => {
    const wrong = await check('forestry/2025b.txt', REPORT_2025.replace('比2024年增加10.00万元', '比2024年增加12.00万元'));
    const findings = await priorYearFindings(wrong.report, archive);
    const derived = findings.find((f) => f.calculation)!;
    expect(derived).toMatchObject({ expected: '120.00', actual: '118.00', calculation: '130.00 − 12.00 = 118.00' });
    expect(derived.message).toBe('本报告所述上年机关运行经费支出决算118.00万元（130.00 − 12.00 = 118.00）与上年报告（forestry/2024.txt）所载120.00万元不一致');
    expect(derived.figures.map((id) => wrong.report.figures.find((x) => x.id === id)!.text)).toEqual(['130.00万元', '12.00万元']);
  });

  it('stores the finding with the report when both years are archived together, whatever their order', async () => {
    const fresh = await scratch();
    try {
      const db = fresh.db.startsWith('postgres') ? { databaseUrl: fresh.db } : { db: fresh.db };
      await storeReports([y2025.report, y2024.report], new Map([[y2025.report.file, y2025.text], [y2024.report.file, y2024.text]]), db);
      const other = await fresh.open();
      try {
        const [stored] = await other.reports([y2025.report.sha256]);
        expect(stored!.findings.filter((f) => f.ruleId === PRIOR_YEAR_RULE)).toHaveLength(1);
        expect((await other.search({ rule: PRIOR_YEAR_RULE })).hits.map((h) => [h.file, h.warnings])).toEqual([['forestry/2025.txt', 1]]);
      } finally {
        await other.close();
      }
    } finally {
      await fresh.dispose();
    }
  });

  it('raises nothing on the consistent fixture reports', async () => {
    for (const d of await corpus()) await archive.addReport(d.report, d.text);
    for (const d of await corpus()) expect(await priorYearFindings(d.report, archive)).toEqual([]);
  });
});
