import { describe, expect, it } from 'vitest';
import { headingLevel, headingLines, isHeading } from '../../src/outline.js';

describe('the outline heuristic', () => {
  it('gives a heading its depth by its marker', () => {
    expect(headingLevel('一、部门基本情况')).toBe(1);
    expect(headingLevel('第二部分 2025年部门预算表')).toBe(1);
    expect(headingLevel('（三）项目支出情况')).toBe(2);
    expect(headingLevel('(四)绩效目标')).toBe(2);
    expect(headingLevel('第一节 收入')).toBe(2);
  });

  it('takes no item, no prose and no long line for a heading', () => {
    expect(headingLevel('1、基本支出')).toBeUndefined();
    expect(headingLevel('全年收入合计350.00万元。')).toBeUndefined();
    const paragraph = `一、${'本年度支出情况较上年有所增加，主要原因是项目支出增加。'.repeat(3)}`;
    expect(isHeading(paragraph)).toBe(false);
    expect(headingLevel(paragraph)).toBeUndefined();
  });

  it('lists a text’s heading lines by index, as the report view styles them', () => {
    const text = '某县农业服务中心2025年部门预算说明\n一、基本情况\n本单位共有人员12名。\n（一）收入预算\n收入预算合计300.00万元。';
    expect(headingLines(text)).toEqual([
      { line: 1, level: 1 },
      { line: 3, level: 2 },
    ]);
  });
});
