import { describe, expect, it } from 'vitest';
import { buildPackSet, builtinPacks } from '../../src/checks/pack-set.js';
import { checkDocument } from '../../src/pipeline.js';
import { check } from './support.js';

const run = async (text: string, config: Parameters<typeof buildPackSet>[1] = { rules: {} }) =>
  checkDocument(Buffer.from(text, 'utf8'), { packs: buildPackSet(builtinPacks(), config) });

describe('尾差: a share or rate one unit off in its last decimal', () => {
  // 1270.44 / 11980.32 = 10.6044% → 10.60; stated 10.61 (the shares forced to add to 100%)
  const tail = '本年支出合计11980.32万元，其中：基本支出10709.88万元，占89.40%；预留经费1270.44万元，占10.61%。';

  it('is info with the word 尾差 and the arithmetic, never an error', async () => {
    const { findings } = await check('share-of-total', tail);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', messageId: 'shareTail', expected: '10.60', actual: '10.61' });
    expect(findings[0]!.message).toContain('尾差');
  });

  it('is a finding at the rule severity under rounding: strict', async () => {
    const report = await run(tail, { rules: {}, rounding: 'strict' });
    const shares = report.findings.filter((f) => f.ruleId === 'core/share-of-total');
    expect(shares.map((f) => [f.severity, f.messageId])).toEqual([['error', 'shareMismatch']]);
  });

  it('is not stretched to two units, nor to whole-number percentages', async () => {
    // 1270.44 / 11980.32 = 10.60%, stated 10.62: two units
    const two = await check('share-of-total', tail.replace('10.61%', '10.62%').replace('89.40%', '89.38%'));
    expect(two.findings.map((f) => f.severity)).toContain('error');
    // +878.93 on 3015.16 = 29.15% → 29%; "30%" is wrong, a whole number has no tail
    const whole = await check('growth-rate', '住房保障支出3894.09万元，比上年增加878.93万元，增长30%。');
    expect(whole.findings.map((f) => [f.severity, f.messageId])).toEqual([['error', 'growthMismatch']]);
  });

  it('applies to growth and execution rates alike', async () => {
    // 101.48 / 6005.51 = 1.6898% → 1.69: 1.68 is a tail, 1.66 a slip
    const tailGrowth = await check('growth-rate', '行政运行支出6106.99万元，比上年增加101.48万元，增长1.68%。');
    expect(tailGrowth.findings.map((f) => [f.severity, f.messageId])).toEqual([['info', 'growthTail']]);
    const slip = await check('growth-rate', '行政运行支出6106.99万元，比上年增加101.48万元，增长1.66%。');
    expect(slip.findings.map((f) => f.severity)).toEqual(['error']);
    // 9746.50 / 10210.34 = 95.457% → 95.46; 95.45 is a truncation
    const exec = await check('budget-execution-rate', '年初预算为10210.34万元，决算为9746.50万元，完成年初预算的95.45%。');
    expect(exec.findings.map((f) => [f.severity, f.messageId])).toEqual([['info', 'executionTail']]);
  });
});

describe('evidence grades', () => {
  it('a total with its introduced list is structure and may be an error', async () => {
    const { findings } = await check('listed-parts-sum', '项目支出合计100万元，其中：培训费30万元，会议费50万元，差旅费30万元。');
    expect(findings.map((f) => [f.severity, f.evidence])).toEqual([['error', 'structure']]);
  });

  it('a base found by its label is at most a warning, whatever the rule severity', async () => {
    // the base of 占…的 is named, not stated beside the share: a label pairing
    const { findings } = await check('share-of-total', '政府采购支出总额200万元。授予小微企业合同金额80万元，占政府采购支出总额的50%。');
    expect(findings.map((f) => [f.severity, f.evidence])).toEqual([['warning', 'label']]);
  });

  it('a year slip is structure when the fiscal year comes from the title, a warning when only the body implies it', async () => {
    const titled = await run('2024年度某县档案馆整体支出绩效评价报告\n本馆2023年决算收入合计120万元。');
    expect(titled.findings.filter((f) => f.ruleId === 'core/report-year').map((f) => [f.severity, f.evidence])).toEqual([['error', 'structure']]);
    const excerpt = await run('一、收支情况\n本馆2024年度总收入120万元，2024年度总支出118万元，2024年度决算结余2万元，本馆2023年决算收入合计120万元。');
    expect(excerpt.fiscalYear).toBe(2024);
    expect(excerpt.findings.filter((f) => f.ruleId === 'core/report-year').map((f) => [f.severity, f.evidence])).toEqual([['warning', 'label']]);
  });
});

describe('one problem per set of figures (issue 11, defect 1)', () => {
  // both core/listed-parts-sum (其中 list: structure) and core/named-sum (labels) find these figures wrong
  const text = '决算总支出276.10万元，其中：基本支出76.41万元，项目支出199.99万元。';
  const sums = (r: Awaited<ReturnType<typeof run>>) =>
    r.findings.filter((f) => f.ruleId.endsWith('-sum')).map((f) => [f.ruleId, f.severity]);

  it('reports the figures once, at the higher severity', async () => {
    expect(sums(await run(text))).toEqual([['core/listed-parts-sum', 'error']]);
  });

  it('does not let a rule lowered to info hide the other rule’s finding on the same figures', async () => {
    expect(sums(await run(text, { rules: { 'core/listed-parts-sum': 'info' } }))).toEqual([['core/named-sum', 'warning']]);
  });
});
