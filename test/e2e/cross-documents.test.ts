/**
 * Cross-document checking through the real CLI: an invented unit's document set (fixtures/cross) checked in one
 * run, then with one figure changed in one file at a time. The changed file gets a cross/… finding citing the
 * changed figure and naming the other file; the others get none; the output does not depend on the order.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.js';
import { assertBuilt, FIXTURES, makeTempDir, parseJsonl, runCli } from './cli.js';

const SET = path.join(FIXTURES, 'cross');

/** One changed figure per case: the file, the text replaced, and the file the finding must name. */
const PLANTED = [
  { file: '2025-final.txt', find: '比2024年增加46.30万元', replace: '比2024年增加43.60万元', cites: '43.60万元', other: '2024-final.txt' },
  { file: '2025-final.txt', find: '上年“三公”经费支出决算为4.20万元', replace: '上年“三公”经费支出决算为4.50万元', cites: '4.50万元', other: '2024-final.txt' },
  { file: '2025-final.txt', find: '比2024年增加2.80万元', replace: '比2024年增加3.80万元', cites: '3.80万元', other: '2024-final.txt' },
  { file: '2025-sangong.txt', find: '公务接待费1.10万元', replace: '公务接待费1.40万元', cites: '1.40万元', other: '2025-final.txt' },
  { file: '2026-budget.txt', find: '基本支出548.00万元', replace: '基本支出584.00万元', cites: '584.00万元', other: '2026-budget-tables.txt' },
  { file: '2026-budget.txt', find: '比2025年增加32.50万元', replace: '比2025年增加35.20万元', cites: '35.20万元', other: '2025-budget.txt' },
  { file: '2025-final.txt', find: '基本支出年初预算525.00万元', replace: '基本支出年初预算552.00万元', cites: '552.00万元', other: '2025-budget.txt' },
];

const crossOf = (r: Report) => r.findings.filter((f) => f.ruleId.startsWith('cross/'));
const cited = (r: Report, ids: readonly string[]) => ids.map((id) => r.figures.find((f) => f.id === id)?.text);

describe('cross-document checking in one check run', () => {
  let files: string[];
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    assertBuilt();
    files = (await readdir(SET)).filter((f) => f.endsWith('.txt')).sort();
    tmp = await makeTempDir('crossfoot-cross-');
  });
  afterAll(() => tmp?.cleanup());

  it('groups the unit’s documents, evaluates the relations between them and finds them consistent', async () => {
    const r = await runCli(['check', '--format', 'jsonl', SET]);
    const reports = parseJsonl(r.stdout);
    expect(reports).toHaveLength(files.length);
    expect(new Set(reports.map((x) => x.identity?.organizationKey))).toEqual(new Set(['青石县水利工程管理站']));
    expect(reports.flatMap(crossOf)).toEqual([]);
    const byName = new Map(reports.map((x) => [path.basename(x.file), x]));
    // the later year restates the earlier, the 决算 the year's 预算; the 三公 说明 restates the 决算; the 说明 its 公开表
    expect(byName.get('2025-final.txt')!.crossChecks).toEqual({ run: 5, passed: 5, failed: 0 });
    expect(byName.get('2025-sangong.txt')!.crossChecks!.run).toBeGreaterThanOrEqual(2);
    expect(byName.get('2026-budget.txt')!.crossChecks!.run).toBeGreaterThanOrEqual(3);
    expect(byName.get('2026-budget-tables.txt')!.identity?.form).toBe('tables');
  });

  for (const plant of PLANTED) {
    it(`finds ${plant.cites} planted in ${plant.file}, naming ${plant.other}`, async () => {
      const dir = path.join(tmp.dir, `${plant.file}-${plant.cites}`);
      await mkdir(dir, { recursive: true });
      for (const f of files) await copyFile(path.join(SET, f), path.join(dir, f));
      const original = await readFile(path.join(SET, plant.file), 'utf8');
      expect(original).toContain(plant.find);
      await writeFile(path.join(dir, plant.file), original.replace(plant.find, plant.replace));
      const reports = parseJsonl((await runCli(['check', '--format', 'jsonl', dir])).stdout);
      const changed = reports.find((x) => path.basename(x.file) === plant.file)!;
      const findings = crossOf(changed);
      expect(findings.length, JSON.stringify(findings)).toBeGreaterThanOrEqual(1);
      const hit = findings.find((f) => cited(changed, f.figures).includes(plant.cites));
      expect(hit, JSON.stringify(findings)).toBeDefined();
      expect(hit!.severity).toBe('warning');
      expect(hit!.related!.map((x) => path.basename(x.file))).toContain(plant.other);
      expect(hit!.message).toContain(plant.other);
      // the other documents are not blamed for the changed one
      expect(reports.filter((x) => x !== changed).flatMap(crossOf)).toEqual([]);
    });
  }

  it('prints the same bytes whatever the order of the files', async () => {
    const forward = await runCli(['check', '--format', 'jsonl', ...files.map((f) => path.join(SET, f))]);
    const backward = await runCli(['check', '--format', 'jsonl', ...[...files].reverse().map((f) => path.join(SET, f))]);
    expect(backward.stdout).toBe(forward.stdout);
  });
});
