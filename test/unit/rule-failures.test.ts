/**
 * A broken rule is crossfoot's fault, never the document's: a pattern that does not compile is refused when the
 * pack loads, and a rule type that throws on a document is recorded as E_RULE while the other rules still run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPackSet, builtinPacks } from '../../src/checks/pack-set.js';
import { PackSchema, type Pack } from '../../src/checks/pack-schema.js';
import { checkDocument } from '../../src/pipeline.js';
import { ReportSchema } from '../../src/report/schema.js';
import { runCli } from '../e2e/cli.js';

const BAD_PATTERN = '培训费(';

const packWith = (total: string) => ({
  schemaVersion: 1,
  pack: { id: 'local-bad', version: '0.1.0', title: '坏的模式（测试）', appliesTo: ['all'] },
  rules: [
    {
      id: 'training-sum',
      type: 'sum',
      severity: 'error',
      description: '测试规则：培训费等于两项之和',
      options: { select: 'concepts', sums: [{ total, parts: ['^讲课费$', '^场地费$'] }] },
    },
  ],
});

const TEXT = '某单位2024年度部门整体支出绩效自评报告\n2024年度总支出100.00万元，其中：基本支出60.00万元，项目支出30.00万元。\n';

describe('rule failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossfoot-rule-failures-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a pattern option that does not compile is refused at load, naming the option', () => {
    const parsed = PackSchema.safeParse(packWith(BAD_PATTERN));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['rules.0.options.sums.0.total']);
    expect(PackSchema.safeParse(packWith('培训费$')).success).toBe(true);
  });

  it('the CLI exits 2 on such a pack, before reading any document', async () => {
    const packDir = join(dir, 'pack');
    rmSync(packDir, { recursive: true, force: true });
    mkdirSync(packDir);
    writeFileSync(join(packDir, 'pack.yaml'), JSON.stringify(packWith(BAD_PATTERN)));
    writeFileSync(join(dir, 'report.txt'), TEXT);
    const listed = await runCli(['rules', 'list', '--rules', packDir]);
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('rules[0].options.sums[0].total');
    const checked = await runCli(['check', '--format', 'jsonl', '--rules', packDir, join(dir, 'report.txt')]);
    expect(checked.code).toBe(2);
    expect(checked.stdout).toBe('');
  });

  it('a rule type that throws on a document is E_RULE naming the rule; the document is checked and other rules still report', async () => {
    // bypasses load-time validation, as a rule type with a bug would: the sum type throws compiling this pattern
    const valid: Pack = PackSchema.parse(packWith('培训费$'));
    const broken = { ...valid, rules: valid.rules.map((r) => ({ ...r, options: packWith(BAD_PATTERN).rules[0]!.options })) } as Pack;
    const packs = buildPackSet([...builtinPacks(), broken]);
    const report = ReportSchema.parse(await checkDocument(Buffer.from(TEXT, 'utf8'), { packs }));
    expect(report.status).toBe('ok');
    expect(report.ruleErrors).toEqual([{ code: 'E_RULE', ruleId: 'local-bad/training-sum', message: expect.stringContaining('Invalid regular expression') }]);
    expect(report.findings.map((f) => f.ruleId)).toContain('core/listed-parts-sum');
  });
});
