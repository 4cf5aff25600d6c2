/**
 * Finding text a reviewer trusts (issue 16, item 8): one line, one way of writing numbers, the stated value with
 * the sign the message gives it, and no calculation that proves nothing.
 */
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';
import { findingText, oneLine } from '../../src/report/finding-text.js';

const check = async (text: string) => (await checkDocument(Buffer.from(text, 'utf8'), { file: 't.txt' })).findings;

describe('finding text', () => {
  it('puts a PDF cell\'s tab and line breaks on one line, with no gap before the unit', () => {
    expect(oneLine('一般公共预算财政拨款支出307.82 \t万元')).toBe('一般公共预算财政拨款支出307.82万元');
    expect(oneLine('1160000.\n00 + 5')).toBe('1160000. 00 + 5');
  });

  it('groups the computed numbers in thousands when the document groups its own, in the message and the calculation', () => {
    const { message, calculation } = findingText(
      '支出预算总表科目20406司法“项目支出”列64,840,547.00与所含2项之和129681094.00不一致：64840547.00 + 64840547 = 129681094.00',
      '64840547.00 + 64840547 = 129681094.00 ≠ 64840547.00',
    );
    expect(message).toBe('支出预算总表科目20406司法“项目支出”列64,840,547.00与所含2项之和129,681,094.00不一致：64,840,547.00 + 64,840,547 = 129,681,094.00');
    expect(calculation).toBe('64,840,547.00 + 64,840,547 = 129,681,094.00 ≠ 64,840,547.00');
    // a document that does not group keeps its numbers as printed
    expect(findingText('合计2940.05万元与分项2106.66万元不一致：2106.66 ≠ 2940.05', '2106.66 ≠ 2940.05')).toEqual({ message: '合计2940.05万元与分项2106.66万元不一致：2106.66 ≠ 2940.05', calculation: '2106.66 ≠ 2940.05' });
  });

  it('shows a stated decrease with its sign in the calculation, as the message does', async () => {
    const findings = await check('某区司法局2026年度部门预算说明\n2025年当年预算执行数为57.43万元，2026年预算安排57.8万元，比2025年预算执行数减少2.27%。\n');
    const growth = findings.find((f) => f.ruleId === 'core/growth-rate');
    expect(growth?.message).toContain('文中为-2.27%');
    expect(growth?.calculation).toMatch(/≠ -2\.27%$/);
  });

  it('says what a single part is compared with, never "135.00 = 135.00"', async () => {
    const findings = await check('某单位2024年度部门整体支出绩效自评报告\n2024年度总支出100.00万元，其中：基本支出135.00万元。\n');
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.calculation ?? '').not.toMatch(/^(\S+) = \1\b/);
      expect(f.message).not.toMatch(/(\d+(?:\.\d+)?) = \1(?!\d)/);
    }
  });
});
