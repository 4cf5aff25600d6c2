import { describe, expect, it } from 'vitest';
import { check } from './support.js';

describe('core/enumerated-count', () => {
  it('passes a stated count that matches the list', async () => {
    const { findings, report } = await check('enumerated-count', '本中心设科室3个，分别是：综合科、业务科、财务科。');
    expect(findings).toEqual([]);
    expect(report.checks).toMatchObject({ run: 1, failed: 0 });
  });

  it('flags a stated count that the list contradicts', async () => {
    const { findings, cites } = await check('enumerated-count', '本中心设科室4个，分别是：综合科、业务科、财务科。');
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f.messageId).toBe('countMismatch');
    expect(cites(f)).toEqual(['4个']);
    expect(f.calculation).toBe('列举3项 ≠ 4个');
    expect([f.expected, f.actual]).toEqual(['3', '4']);
  });

  it('counts listed amounts as items and cites them', async () => {
    const { findings, cites } = await check('enumerated-count', '共实施2个项目，具体为：道路维修15万元，绿化养护8万元，路灯更换3万元。');
    expect(cites(findings[0]!)).toEqual(['2个', '15万元', '8万元', '3万元']);
  });

  it('keeps a parenthesised sub-list as one item and honours 以上', async () => {
    expect((await check('enumerated-count', '本中心设科室3个，分别是：综合科（含档案、机要）、业务科、财务科。')).findings).toEqual([]);
    expect((await check('enumerated-count', '本中心设科室3个以上，分别是：综合科、业务科、财务科、后勤科。')).findings).toEqual([]);
  });
});

describe('core/report-year', () => {
  const TITLE = '2024年度某站整体支出绩效评价报告';

  it('passes own-year figures and a previous-year baseline', async () => {
    const { findings, report } = await check('report-year', `${TITLE}\n某站2024年决算收入合计60万元，比2023年增加5万元。`);
    expect(report.fiscalYear).toBe(2024);
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(2);
  });

  it('flags a period year that is not the report year, citing the year and its amount', async () => {
    const { findings, cites } = await check('report-year', `${TITLE}\n某站2023年决算收入合计60万元。`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.messageId).toBe('periodYear');
    expect(cites(findings[0]!)).toEqual(['2023年', '60万元']);
    expect([findings[0]!.expected, findings[0]!.actual]).toEqual(['2024', '2023']);
  });

  it('flags a baseline that is not the previous year', async () => {
    const { findings, cites } = await check('report-year', `${TITLE}\n某站2024年决算收入合计60万元，比2022年决算增加5万元。`);
    expect(findings.map((f) => f.messageId)).toEqual(['baselineYear']);
    expect(cites(findings[0]!)).toEqual(['2022年', '5万元']);
    expect(findings[0]!.expected).toBe('2023');
  });

  it('exempts carry-overs and cut-off dates from other years', async () => {
    const { findings } = await check('report-year', `${TITLE}\n使用2023年结转资金8万元。截至2022年底累计投入30万元。`);
    expect(findings).toEqual([]);
  });
});

describe('core/summary-vs-detail', () => {
  const text = (detail: string) =>
    `评价的2个项目涉及金额50万元，具体为：道路维修20万元，路灯更换30万元。\n1、${detail}，用于路面修补。\n2、路灯更换30万元，用于更换灯具。`;

  it('passes details that repeat the summary amounts', async () => {
    const { findings, report } = await check('summary-vs-detail', text('道路维修20万元'));
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(2);
  });

  it('warns about a detail paragraph that states another amount (a pairing by label: at most a warning)', async () => {
    const { findings, cites } = await check('summary-vs-detail', text('道路维修25万元'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'valueMismatch', severity: 'warning', evidence: 'label', calculation: '20万元 ≠ 25万元' });
    expect(cites(findings[0]!)).toEqual(['20万元', '25万元']);
  });

  it('lowers a mismatch between different budget stages to a qualified warning', async () => {
    const { findings } = await check('summary-vs-detail', text('年初预算道路维修25万元'));
    expect(findings.map((f) => [f.messageId, f.severity])).toEqual([['valueMismatchQualified', 'warning']]);
    expect(findings[0]!.message).toContain('年初预算');
  });

  it('does not flag a detail in 元 that rounds to the summary amount', async () => {
    const rounded =
      '评价的2个项目涉及金额50.00万元，具体为：道路维修20.00万元，路灯更换30.00万元。\n1、道路维修199,980元，用于路面修补。\n2、路灯更换30万元，用于更换灯具。';
    const { findings, report } = await check('summary-vs-detail', rounded);
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });
});

describe('core/same-item-values', () => {
  it('passes the same item restated with the same value', async () => {
    const { findings, report } = await check('same-item-values', '档案数字化经费18万元。全年档案数字化经费18万元，已支付完毕。');
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(1);
  });

  it('warns about the same item restated with another value', async () => {
    const { findings, cites } = await check('same-item-values', '档案数字化经费18万元。全年档案数字化经费21万元，已支付完毕。');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'valueMismatch', severity: 'warning' });
    expect(cites(findings[0]!)).toEqual(['21万元', '18万元']);
    expect(findings[0]!.message).toBe('档案数字化经费前后不一致：21万元与18万元');
  });

  it('does not flag a restatement in 元 that rounds to the first value', async () => {
    const { findings } = await check('same-item-values', '档案数字化经费18.00万元。全年档案数字化经费180,030元，已支付完毕。');
    expect(findings).toEqual([]);
  });

  it('does not compare the item across budget stages', async () => {
    const { findings, report } = await check('same-item-values', '档案数字化经费年初预算18万元。档案数字化经费决算21万元。');
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(0);
  });

  it('does not treat an expenditure stated after an income as the income restated', async () => {
    const { findings, report } = await check('same-item-values', '培训中心收入合计12万元。培训中心收入合计12万元，支出10万元。');
    expect(findings).toEqual([]);
    expect(report.checks.run).toBeGreaterThan(0);
  });
});

describe('core/ordering', () => {
  it('passes 小微 ≤ 中小企业', async () => {
    const { findings, report } = await check('ordering', '授予中小企业合同金额50万元，授予小微企业合同金额32万元。');
    expect(findings).toEqual([]);
    expect(report.checks.run).toBe(1);
  });

  it('flags 小微企业 contracts above 中小企业 contracts', async () => {
    const { findings, cites } = await check('ordering', '授予中小企业合同金额50万元，授予小微企业合同金额52万元。');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'exceeds', calculation: '52万元 > 50万元', expected: '≤ 50', actual: '52' });
    expect(cites(findings[0]!)).toEqual(['52万元', '50万元']);
  });

  it('does not flag a 元 amount that exceeds only within rounding (500,030元 vs 50.00万元)', async () => {
    const { findings, report } = await check('ordering', '授予中小企业合同金额50.00万元，授予小微企业合同金额500,030元。');
    expect(findings).toEqual([]);
    expect(report.checks.roundingOnly).toBe(1);
  });
});

describe('finding fingerprints and quotes', () => {
  const ERROR = '某所本年支出合计120.50万元，具体为：设备购置40.20万元，维修经费33万元，培训费50.30万元。';

  it('keeps a finding\'s id when unrelated text is inserted earlier (offsets change, id does not)', async () => {
    const before = await check('listed-parts-sum', ERROR);
    const after = await check('listed-parts-sum', `一、基本情况\n本所现有职工12人，车辆2辆，年度预算资金80万元。\n${ERROR}`);
    expect(before.findings).toHaveLength(1);
    expect(after.findings).toHaveLength(1);
    expect(after.findings[0]!.loc.block).not.toBe(before.findings[0]!.loc.block);
    expect(after.findings[0]!.figures).not.toEqual(before.findings[0]!.figures);
    expect(after.findings[0]!.id).toBe(before.findings[0]!.id);
  });

  it('changes the id when the flagged sentence itself changes', async () => {
    const a = await check('listed-parts-sum', ERROR);
    const b = await check('listed-parts-sum', ERROR.replace('33万元', '34万元'));
    expect(b.findings[0]!.id).not.toBe(a.findings[0]!.id);
  });

  it('quotes the original text, full-width punctuation and digits included', async () => {
    const { findings, cites } = await check('listed-parts-sum', '社区戒毒（康复）经费合计３０．００万元，具体为：人员经费１０．００万元，公用经费２５．００万元。');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.quote).toBe('社区戒毒（康复）经费合计３０．００万元，具体为：人员经费１０．００万元，公用经费２５．００万元。');
    expect(cites(findings[0]!)).toEqual(['３０．００万元', '１０．００万元', '２５．００万元']);
    expect(findings[0]!.calculation).toBe('10.00 + 25.00 = 35.00 ≠ 30.00');
  });

  it('renders labels in messages with the original full-width punctuation', async () => {
    const { findings } = await check('listed-parts-sum', '社区戒毒（康复）经费合计３０．００万元，具体为：尿检１２．００万元，走访２０．００万元。');
    expect(findings[0]!.message).toContain('社区戒毒（康复）经费合计');
  });
});
