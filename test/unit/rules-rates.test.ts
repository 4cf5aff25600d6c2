import { describe, expect, it } from 'vitest';
import { check } from './support.js';

describe('core/budget-execution-rate', () => {
  it('passes 7.5 of 10 = 75%', async () => {
    const { findings, report } = await check('budget-execution-rate', '会议费预算为10万元，决算为7.5万元，完成预算的75%。');
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(1);
  });

  it('flags a wrong execution rate, citing rate, actual and budget', async () => {
    const { findings, cites } = await check('budget-execution-rate', '会议费预算为10万元，决算为7.5万元，完成预算的80%。');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.messageId).toBe('executionMismatch');
    expect(cites(findings[0]!)).toEqual(['80%', '7.5万元', '10万元']);
    expect(findings[0]!.calculation).toBe('7.5万元 ÷ 10万元 = 75% ≠ 80%');
  });

  it('does not flag a rounded rate (2 of 3 stated as 66.7%)', async () => {
    const { findings, report } = await check('budget-execution-rate', '会议费预算为3万元，决算为2万元，预算执行率为66.7%。');
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });

  it('measures against the whole (adjusted) budget, not its initial part', async () => {
    const text = (rate: string) => `培训费全年预算30万元，其中：年初预算20万元，年中追加10万元。培训费决算24万元，完成预算的${rate}。`;
    expect((await check('budget-execution-rate', text('80%'))).findings).toEqual([]);
    const bad = await check('budget-execution-rate', text('120%'));
    expect(bad.cites(bad.findings[0]!)).toEqual(['120%', '24万元', '30万元']);
  });
});

describe('core/growth-rate', () => {
  it('passes 增加3万元 on 15万元 = 增长20%', async () => {
    const { findings, report } = await check('growth-rate', '印刷费支出18万元，比上年增加3万元，增长20%。');
    expect(findings).toEqual([]);
    expect(report.checks).toMatchObject({ run: 1, failed: 0 });
  });

  it('flags a wrong growth rate with the previous period derived from level and change', async () => {
    const { findings, cites } = await check('growth-rate', '印刷费支出20.00万元，比上年增加3.00万元，增长18.65%。');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.messageId).toBe('growthMismatch');
    expect(cites(findings[0]!)).toEqual(['18.65%', '3.00万元', '20.00万元']);
    expect(findings[0]!.calculation).toBe('3.00 ÷ 17.00 = 17.65% ≠ 18.65%');
  });

  it('does not flag a rounded growth rate (3 / 17 = 17.647… stated as 17.65%)', async () => {
    const { findings, report } = await check('growth-rate', '印刷费支出20.00万元，比上年增加3.00万元，增长17.65%。');
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });

  it('flags 增长 stated for a decrease', async () => {
    const { findings } = await check('growth-rate', '印刷费支出18万元，比上年减少3万元，增长14.29%。');
    expect(findings.map((f) => [f.messageId, f.expected, f.actual])).toEqual([['growthMismatch', '-14.29', '14.29']]);
    expect((await check('growth-rate', '印刷费支出18万元，比上年减少3万元，下降14.29%。')).findings).toEqual([]);
  });

  it('computes growth from stated prior and current levels', async () => {
    const bad = await check('growth-rate', '上年印刷费支出15万元，本年印刷费支出18万元，增长30%。');
    expect(bad.findings[0]?.calculation).toBe('3 ÷ 15 = 20% ≠ 30%');
    expect(bad.cites(bad.findings[0]!)).toEqual(['30%', '18万元', '15万元']);
  });
});

describe('core/change-difference', () => {
  it('passes 31 − 25 = 增加6万元', async () => {
    const { findings, report } = await check('change-difference', '上年培训费支出25万元，本年培训费支出31万元，比上年增加6万元。');
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(1);
  });

  it('flags a stated change that is not the difference', async () => {
    const { findings, cites } = await check('change-difference', '上年培训费支出25万元，本年培训费支出31万元，比上年增加8万元。');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.messageId).toBe('differenceMismatch');
    expect(cites(findings[0]!)).toEqual(['8万元', '31万元', '25万元']);
    expect(findings[0]!.calculation).toBe('31万元 − 25万元 = 6万元 ≠ 8万元');
  });

  it('flags the wrong direction (减少 for an increase) with a signed actual', async () => {
    const { findings } = await check('change-difference', '上年培训费支出25万元，本年培训费支出31万元，比上年减少6万元。');
    expect(findings.map((f) => [f.expected, f.actual])).toEqual([['6', '-6']]);
  });

  it('does not flag a prior level in 元 that rounds to the stated change (31.20 − 25.0449 ≈ 6.16)', async () => {
    const { findings, report } = await check('change-difference', '上年培训费支出250,449元，本年培训费支出31.20万元，比上年增加6.16万元。');
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });
});

describe('core/change-parts', () => {
  const text = (total: string) =>
    `公用经费20.50万元，比上年减少${total}万元。其中：水电费12.50万元，比上年减少3.10万元；邮电费8万元，比上年增加0.80万元。`;

  it('passes a total change equal to the net of its parts (−3.10 + 0.80 = −2.30)', async () => {
    const { findings, report } = await check('change-parts', text('2.30'));
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(1);
  });

  it('flags a total change that is not the net of its parts', async () => {
    const { findings, cites } = await check('change-parts', text('2.80'));
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.messageId).toBe('netMismatch');
    expect(cites(f).slice(0, 3)).toEqual(['2.80万元', '3.10万元', '0.80万元']);
    expect(f.calculation).toBe('-3.10 + 0.80 = -2.30 ≠ -2.80');
    expect([f.expected, f.actual]).toEqual(['-2.30', '-2.80']);
  });

  it('checks a breakdown of a bare change (减少…，其中：…减少…，…增加…)', async () => {
    const ok = await check('change-parts', '公用经费减少2.30万元，其中：水电费减少3.10万元，邮电费增加0.80万元。');
    expect(ok.findings).toEqual([]);
    expect(ok.report.checks.run).toBe(1);
    const bad = await check('change-parts', '公用经费减少2.50万元，其中：水电费减少3.10万元，邮电费增加0.80万元。');
    expect(bad.findings[0]?.calculation).toBe('-3.10 + 0.80 = -2.30 ≠ -2.50');
  });

  it('does not flag part changes that net to the total within rounding', async () => {
    const { findings, report } = await check(
      'change-parts',
      '公用经费20.5万元，比上年减少2.3万元。其中：水电费12.5万元，比上年减少3.14万元；邮电费8万元，比上年增加0.83万元。',
    );
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });

  it('checks a change total that carries its own baseline against the net of its parts', async () => {
    const ok = await check('change-parts', '公用经费比上年减少2.30万元，其中：水电费减少3.10万元，邮电费增加0.80万元。');
    expect(ok.findings).toEqual([]);
    expect(ok.report.checks.run).toBe(1);
    const bad = await check('change-parts', '公用经费比上年减少2.50万元，其中：水电费减少3.10万元，邮电费增加0.80万元。');
    expect(bad.findings.map((f) => f.messageId)).toEqual(['netMismatch']);
    expect(bad.cites(bad.findings[0]!)).toEqual(['2.50万元', '3.10万元', '0.80万元']);
  });
});
