import { describe, expect, it } from 'vitest';
import { analyseLabel, stageOf } from '../../src/figures/label.js';

describe('analyseLabel', () => {
  it('strips the reporting entity and year, recording the year (某中心2023年决算收入合计)', () => {
    const info = analyseLabel('某中心2023年决算收入合计');
    expect(info.label).toBe('决算收入合计');
    expect(info.labelYear).toBe(2023);
    expect(info.stage).toBe('final');
    expect(info.key).toBe('收入合计');
    expect(info.direction).toBeUndefined();
  });

  it('reads a year without 年 before a budget word (2026预算安排)', () => {
    const info = analyseLabel('2026预算安排');
    expect(info.labelYear).toBe(2026);
    expect(info.stage).toBe('budget');
    expect(info.label).toBe('预算安排');
  });

  it('turns 比上年增加 into a direction and a baseline, leaving no label', () => {
    expect(analyseLabel('比上年增加')).toMatchObject({ label: '', direction: 'increase', baseline: '比上年' });
    expect(analyseLabel('与上年持平')).toMatchObject({ direction: 'flat', baseline: '与上年' });
  });

  it('keeps a baseline year in the baseline, not as the label year (较2023年决算减少)', () => {
    const info = analyseLabel('较2023年决算减少');
    expect(info.direction).toBe('decrease');
    expect(info.baseline).toBe('较2023年决算');
    expect(info.labelYear).toBeUndefined();
    expect(info.stage).toBeUndefined();
  });

  it('records the stage of 财政年初预算检毒经费 and keys it as the bare item 检毒经费', () => {
    const info = analyseLabel('财政年初预算检毒经费');
    expect(info.stage).toBe('budget-initial');
    expect(info.key).toBe('检毒经费');
    expect(info.label).toBe('财政年初预算检毒经费');
  });

  it('does not read a fund name (一般公共预算) as a budget stage', () => {
    expect(analyseLabel('一般公共预算财政拨款支出').stage).toBeUndefined();
    expect(analyseLabel('政府性基金预算支出').stage).toBeUndefined();
    expect(stageOf('一般公共预算财政拨款支出预算数')).toBe('budget');
  });

  it('reads 全年预算 as the adjusted budget but 预算 alone as a plain budget', () => {
    expect(analyseLabel('全年预算').stage).toBe('budget-adjusted');
    expect(analyseLabel('调整后预算').stage).toBe('budget-adjusted');
    expect(analyseLabel('预算').stage).toBe('budget');
    expect(analyseLabel('实际支出').stage).toBe('final');
  });

  it('drops leading connectors and trailing filler verbs', () => {
    expect(analyseLabel('其中基本支出为').label).toBe('基本支出');
    expect(analyseLabel('主要包括设备购置费共计').label).toBe('设备购置费');
    expect(analyseLabel('本年度项目支出达到').label).toBe('项目支出');
  });
});
