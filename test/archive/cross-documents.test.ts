/**
 * Cross-document checks through the archive, on both backends: two invented reports of one invented organization,
 * 2024 and 2025, where the 2025 report restates some of 2024's figures — one wrongly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveRepository } from '../../src/archive/index.js';
import { VERSIONS_PER_DOCUMENT } from '../../src/archive/repository.js';
import { buildPackSet, builtinPacks } from '../../src/checks/pack-set.js';
import { storeReports } from '../../src/cli/archive.js';
import { regroup, storeWithUnit } from '../../src/cross/archive.js';
import type { Report } from '../../src/report/schema.js';
import { BACKENDS, type Scratch } from './backends.js';
import { check, corpus, type Doc, FORESTRY_2024 as REPORT_2024, FORESTRY_2025 as REPORT_2025 } from './corpus.js';

const PRIOR_YEAR_RULE = 'cross/prior-year';
const packs = buildPackSet(builtinPacks());
const crossOf = (r: Report) => r.findings.filter((f) => f.ruleId.startsWith('cross/'));

describe.each(BACKENDS)('cross-document checks on $name', ({ scratch }) => {
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
    const { report } = await storeWithUnit(archive, y2025.report, y2025.text, packs);
    expect(crossOf(report)).toEqual([]);
    expect(report.crossChecks).toBeUndefined();
  });

  it('warns where a stated prior-year figure differs from last year’s report, naming it; the earlier-stored report is updated', async () => {
    const { report: stored2024, updated } = await storeWithUnit(archive, y2024.report, y2024.text, packs);
    expect(crossOf(stored2024)).toEqual([]);
    // 2025 arrived first: 2024's arrival changes 2025's findings, so 2025 is stored again
    expect(updated.map((u) => u.report.file)).toEqual(['forestry/2025.txt']);
    const [again] = await archive.reports([y2025.report.sha256]);
    const findings = crossOf(again!);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    const cited = y2025.report.figures.find((x) => x.id === f!.figures[0])!;
    expect(cited.text).toBe('6.50万元');
    expect(f).toMatchObject({ ruleId: PRIOR_YEAR_RULE, severity: 'warning', expected: '6.30', actual: '6.50', loc: cited.loc });
    expect(f!.related).toEqual([{ file: 'forestry/2024.txt', sha256: y2024.report.sha256, figures: [expect.stringMatching(/^f\d+$/)] }]);
    expect(y2024.report.figures.find((x) => x.id === f!.related![0]!.figures[0])!.text).toBe('6.30万元');
    expect(f!.message).toBe('本报告所述上年“三公”经费支出决算6.50万元与上年报告《2024.txt》所载6.30万元不一致');
    expect(again!.crossChecks).toMatchObject({ failed: 1, updatedBy: { file: 'forestry/2024.txt', sha256: y2024.report.sha256 } });
    // the report that arrived is not marked: it was checked, not updated
    expect(stored2024.crossChecks?.updatedBy).toBeUndefined();
    expect(again!.crossChecks!.run).toBeGreaterThanOrEqual(3);
  });

  it('checks a prior value derived from a change (current − increase)', async () => {
    const wrong = await check('forestry/2025b.txt', REPORT_2025.replace('比2024年增加10.00万元', '比2024年增加12.00万元'));
    const { report } = await storeWithUnit(archive, wrong.report, wrong.text, packs);
    const derived = crossOf(report).find((f) => f.calculation)!;
    expect(derived).toMatchObject({ expected: '120.00', actual: '118.00', calculation: '130.00 − 12.00 = 118.00' });
    expect(derived.message).toBe('本报告所述上年机关运行经费支出决算118.00万元（130.00 − 12.00 = 118.00）与上年报告《2024.txt》所载120.00万元不一致');
    expect(derived.figures.map((id) => wrong.report.figures.find((x) => x.id === id)!.text)).toEqual(['130.00万元', '12.00万元']);
  });

  it('stores the finding with the report when both years are archived together, whatever their order', async () => {
    for (const order of [[y2025, y2024], [y2024, y2025]]) {
      const fresh = await scratch();
      try {
        const db = fresh.db.startsWith('postgres') ? { databaseUrl: fresh.db } : { db: fresh.db };
        await storeReports(order.map((d) => d.report), new Map(order.map((d) => [d.report.file, d.text])), packs, db);
        const other = await fresh.open();
        try {
          const [stored] = await other.reports([y2025.report.sha256]);
          expect(stored!.findings.filter((f) => f.ruleId === PRIOR_YEAR_RULE)).toHaveLength(1);
          expect((await other.search({ rule: PRIOR_YEAR_RULE })).hits.map((h) => [h.file, h.warnings])).toEqual([['forestry/2025.txt', 1]]);
          // every cross-document finding at once, by the pack's prefix
          expect((await other.search({ rule: 'cross/*' })).hits.map((h) => h.file)).toEqual(['forestry/2025.txt']);
          expect((await other.search({ rule: 'cross_*' })).hits).toEqual([]);
        } finally {
          await other.close();
        }
      } finally {
        await fresh.dispose();
      }
    }
  });

  it('raises nothing on the consistent fixture reports', async () => {
    const fresh = await scratch();
    const other = await fresh.open();
    try {
      for (const d of await corpus()) expect(crossOf((await storeWithUnit(other, d.report, d.text, packs)).report)).toEqual([]);
      const stored = await other.reports((await corpus()).map((d) => d.report.sha256));
      expect(stored.flatMap(crossOf)).toEqual([]);
    } finally {
      await other.close();
      await fresh.dispose();
    }
  });

  it('a reviewer links documents the names did not group, unlinks them, and the correction outlives a re-check', async () => {
    const fresh = await scratch();
    const db = await fresh.open();
    try {
      // last year's report under the unit's longer name: read as another unit, so nothing is compared
      const renamed = await check('forestry/2024-renamed.txt', REPORT_2024.replace('某县林业局', '某县林业和草原局'));
      await storeWithUnit(db, renamed.report, renamed.text, packs);
      expect(crossOf((await storeWithUnit(db, y2025.report, y2025.text, packs)).report)).toEqual([]);
      const linked = await regroup(db, y2025.report.sha256, { with: renamed.report.sha256 }, packs);
      expect(linked!.identity).toMatchObject({ organizationKey: '某县林业和草原局', grouping: 'manual' });
      expect(crossOf(linked!).map((f) => f.related?.[0]?.file)).toEqual(['forestry/2024-renamed.txt']);
      // a re-check of the same document keeps the reviewer's grouping
      const again = await storeWithUnit(db, y2025.report, y2025.text, packs);
      expect(again.report.identity?.grouping).toBe('manual');
      expect(crossOf(again.report)).toHaveLength(1);
      const alone = await regroup(db, y2025.report.sha256, { alone: true }, packs);
      expect(crossOf(alone!)).toEqual([]);
      expect(alone!.crossChecks).toBeUndefined();
      const auto = await regroup(db, y2025.report.sha256, { auto: true }, packs);
      expect(auto!.identity).toMatchObject({ organizationKey: '某县林业局' });
      expect(auto!.identity?.grouping).toBeUndefined();
      expect(await db.unitOverride(y2025.report.sha256)).toBeNull();
      expect(await regroup(db, 'f'.repeat(64), { alone: true }, packs)).toBeNull();
    } finally {
      await db.close();
      await fresh.dispose();
    }
  });

  it('reads at most the newest versions of each document of a unit, whatever how often it was re-submitted', async () => {
    const fresh = await scratch();
    const db = await fresh.open();
    try {
      for (let i = 0; i < VERSIONS_PER_DOCUMENT + 3; i++) {
        const copy = await check(`forestry/2024-v${i}.txt`, `${REPORT_2024}\n（报送序号：${i}）`);
        await db.addReport(copy.report, copy.text);
      }
      const unit = await db.unitReports('某县林业局', 2024, 2024);
      expect(unit).toHaveLength(VERSIONS_PER_DOCUMENT);
      expect(new Set(unit.map((r) => r.sha256)).size).toBe(VERSIONS_PER_DOCUMENT);
    } finally {
      await db.close();
      await fresh.dispose();
    }
  });
});
