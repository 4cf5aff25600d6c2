/**
 * Defect 1 of issue 11: the engine used to drop a finding whenever another rule had already reported the same
 * figures, whatever it claimed and whatever its severity. Findings now merge only when they make the same claim
 * (figures, expected, actual), at the higher severity. Two local rules on one listed breakdown show both halves.
 */
import { describe, expect, it } from 'vitest';
import { buildPackSet } from '../../src/checks/pack-set.js';
import { PackSchema } from '../../src/checks/pack-schema.js';
import type { Severity } from '../../src/model.js';
import { checkDocument } from '../../src/pipeline.js';

type Relation = 'equal' | 'atMost';

const rule = (id: string, severity: Severity, relation: Relation) => ({
  id,
  type: 'sum',
  severity,
  description: `测试规则：“其中”所列分项（${relation}）`,
  options: { select: 'introducer', introducers: [{ pattern: '其中\\s*:?', relation }] },
});

const packOf = (rules: ReturnType<typeof rule>[]) =>
  PackSchema.parse({
    schemaVersion: 1,
    pack: { id: 'local-merge', version: '0.1.0', title: '合并测试', appliesTo: ['all'] },
    rules,
  });

// 60.00 + 50.00 = 110.00 ≠ 100.00: wrong as an equality (expected 110.00) and as an upper bound (expected ≥ 110.00)
const TEXT = '某单位2024年度部门整体支出绩效自评报告\n2024年度总支出100.00万元，其中：基本支出60.00万元，项目支出50.00万元。\n';

const findingsOf = async (rules: ReturnType<typeof rule>[]) => {
  const report = await checkDocument(Buffer.from(TEXT, 'utf8'), { packs: buildPackSet([packOf(rules)]) });
  return report.findings
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, expected: f.expected, actual: f.actual }))
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId));
};

describe('findings on the same figures', () => {
  it('both survive when they claim different things', async () => {
    const findings = await findingsOf([rule('as-equal', 'error', 'equal'), rule('as-bound', 'error', 'atMost')]);
    expect(findings).toEqual([
      { ruleId: 'local-merge/as-bound', severity: 'error', expected: '≥ 110.00', actual: '100.00' },
      { ruleId: 'local-merge/as-equal', severity: 'error', expected: '110.00', actual: '100.00' },
    ]);
  });

  it('merge when they claim the same thing, and an info reported first does not hide the error', async () => {
    const findings = await findingsOf([rule('quiet', 'info', 'equal'), rule('loud', 'error', 'equal')]);
    expect(findings).toEqual([{ ruleId: 'local-merge/loud', severity: 'error', expected: '110.00', actual: '100.00' }]);
  });
});
