import { describe, expect, it } from 'vitest';
import { check } from './support.js';

describe('core/listed-parts-sum', () => {
  it('passes when the listed parts add up to the total', async () => {
    const { findings, report } = await check('listed-parts-sum', '某所本年支出合计120.50万元，具体为：设备购置40.20万元，维修经费30万元，培训费50.30万元。');
    expect(findings).toEqual([]);
    expect(report.checks).toMatchObject({ run: 1, passed: 1, failed: 0 });
  });

  it('flags a total that its parts do not add up to, citing total and parts with the calculation', async () => {
    const { findings, cites } = await check('listed-parts-sum', '某所本年支出合计120.50万元，具体为：设备购置40.20万元，维修经费33万元，培训费50.30万元。');
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.messageId).toBe('sumMismatch');
    expect(f.severity).toBe('error');
    expect(cites(f)).toEqual(['120.50万元', '40.20万元', '33万元', '50.30万元']);
    expect(f.calculation).toBe('40.20 + 33 + 50.30 = 123.50 ≠ 120.50');
    expect([f.expected, f.actual]).toEqual(['123.50', '120.50']);
    expect(f.message).toContain('差3.00万元');
  });

  it('does not flag parts in 元 that round to the 万元 total (12,345 + 23,456 元 = 3.58万元)', async () => {
    const { findings, report } = await check('listed-parts-sum', '某所本年支出合计3.58万元，具体为：设备购置12,345元，维修经费23,456元。');
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });

  it('restates parts in 元 in the total\'s unit in the calculation', async () => {
    const { findings } = await check('listed-parts-sum', '某所本年支出合计3.58万元，具体为：设备购置12,345元，维修经费33,456元。');
    expect(findings[0]?.calculation).toBe('1.2345 + 3.3456 = 4.58 ≠ 3.58');
  });

  it('reports a slip that only holds at printed precision as uncertain info, not an error', async () => {
    const { findings } = await check('listed-parts-sum', '某所本年支出合计176.75万元，具体为：设备购置9.4万元，维修经费30万元，培训费45.85万元，差旅费91.9万元。');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'uncertain', severity: 'info', calculation: '9.4 + 30 + 45.85 + 91.9 = 177.15 ≠ 176.75' });
  });

  it('flags a single 其中 part larger than its total, and accepts a smaller one', async () => {
    const bad = await check('listed-parts-sum', '政府采购总额40万元，其中：货物支出45万元。');
    expect(bad.findings).toHaveLength(1);
    expect(bad.findings[0]!.messageId).toBe('partExceedsTotal');
    expect(bad.cites(bad.findings[0]!)).toEqual(['40万元', '45万元']);
    expect(bad.findings[0]!.expected).toBe('≤ 40');
    const ok = await check('listed-parts-sum', '政府采购总额40万元，其中：货物支出35万元。');
    expect(ok.findings).toEqual([]);
  });
});

describe('core/named-sum', () => {
  it('passes 总支出 = 基本支出 + 项目支出', async () => {
    const { findings, report } = await check('named-sum', '2024年决算总支出150.60万元，基本支出100.25万元，项目支出50.35万元。');
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(1);
  });

  it('flags a named total that its named parts do not add up to', async () => {
    const { findings, cites } = await check('named-sum', '2024年决算总支出150.60万元，基本支出100.25万元，项目支出52.35万元。');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.messageId).toBe('sumMismatch');
    expect(cites(findings[0]!)).toEqual(['150.60万元', '100.25万元', '52.35万元']);
    expect(findings[0]!.calculation).toBe('100.25 + 52.35 = 152.60 ≠ 150.60');
  });

  it('checks 收入合计 = 财政拨款收入 + 其他收入 as well', async () => {
    const { findings, cites } = await check('named-sum', '本年收入合计80万元，财政拨款收入70万元，其他收入12万元。');
    expect(findings.map((f) => f.messageId)).toEqual(['sumMismatch']);
    expect(cites(findings[0]!)).toEqual(['80万元', '70万元', '12万元']);
    expect(findings[0]!.calculation).toBe('70 + 12 = 82 ≠ 80');
  });

  it('does not flag parts rounded from 元 (100,249 + 50,349 元 = 15.06万元)', async () => {
    const { findings, report } = await check('named-sum', '2024年决算总支出15.06万元，基本支出100,249元，项目支出50,349元。');
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });
});

describe('core/share-of-total', () => {
  it('passes shares that match and total 100%', async () => {
    const { findings, report } = await check('share-of-total', '本年支出合计200.00万元，基本支出150.00万元，占75.00%；项目支出50.00万元，占25.00%。');
    expect(findings).toEqual([]);
    expect(report.checks).toMatchObject({ run: 3, failed: 0 });
  });

  it('flags a wrong share and the group that no longer totals 100%', async () => {
    const { findings, cites } = await check('share-of-total', '本年支出合计200.00万元，基本支出150.00万元，占70.00%；项目支出50.00万元，占25.00%。');
    expect(findings.map((f) => f.messageId)).toEqual(['shareMismatch', 'sharesNot100']);
    const [share, group] = findings as [typeof findings[0], typeof findings[0]];
    expect(cites(share)).toEqual(['70.00%', '150.00万元', '200.00万元']);
    expect(share.calculation).toBe('150.00万元 ÷ 200.00万元 = 75.00% ≠ 70.00%');
    expect(share.expected).toBe('75.00');
    expect(group.calculation).toBe('70.00 + 25.00 = 95.00 ≠ 100');
  });

  it('76.11 of 276.10 is 27.57% (passes through rounding) and 27.67% is flagged', async () => {
    const ok = await check('share-of-total', '本年支出合计276.10万元，其中办公经费76.11万元，占27.57%。');
    expect(ok.findings).toEqual([]);
    expect(ok.report.checks.roundingOnly).toBe(1);
    const bad = await check('share-of-total', '本年支出合计276.10万元，其中办公经费76.11万元，占27.67%。');
    expect(bad.findings.map((f) => f.messageId)).toEqual(['shareMismatch']);
    expect(bad.cites(bad.findings[0]!)).toEqual(['27.67%', '76.11万元', '276.10万元']);
  });

  it('does not flag shares forced to 100.00% where one is off by 0.01 within rounding', async () => {
    const { findings } = await check(
      'share-of-total',
      '本年支出合计300.00万元，基本支出100.00万元，占33.33%；项目支出100.00万元，占33.33%；其他支出100.00万元，占33.34%。',
    );
    expect(findings).toEqual([]);
  });

  it('flags shares that are off by more than rounding (33.35% for 1/3)', async () => {
    const { findings } = await check('share-of-total', '本年支出合计300.00万元，基本支出100.00万元，占33.35%；项目支出200.00万元，占66.65%。');
    expect(findings.map((f) => [f.messageId, f.expected, f.actual])).toEqual([
      ['shareMismatch', '33.33', '33.35'],
      ['shareMismatch', '66.67', '66.65'],
    ]);
  });

  it('uses an explicit base named in 占…的 and stated earlier', async () => {
    const bad = await check('share-of-total', '政府采购支出总额40万元，授予中小企业合同金额30万元，占政府采购支出总额的80%。');
    expect(bad.findings).toHaveLength(1);
    expect(bad.cites(bad.findings[0]!)).toEqual(['80%', '30万元', '40万元']);
    const ok = await check('share-of-total', '政府采购支出总额40万元，授予中小企业合同金额30万元，占政府采购支出总额的75%。');
    expect(ok.findings).toEqual([]);
  });

  it('checks a share whose base amount is stated inside 占…的', async () => {
    const ok = await check('share-of-total', '授予中小企业合同金额30万元，占政府采购支出总额40万元的75%。');
    expect(ok.findings).toEqual([]);
    expect(ok.report.checks.run).toBe(1);
    const bad = await check('share-of-total', '授予中小企业合同金额30万元，占政府采购支出总额40万元的80%。');
    expect(bad.findings.map((f) => f.messageId)).toEqual(['shareMismatch']);
    expect(bad.cites(bad.findings[0]!)).toEqual(['80%', '30万元', '40万元']);
  });
});
