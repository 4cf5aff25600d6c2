import { describe, expect, it } from 'vitest';
import { toPlain } from '../../src/figures/decimal.js';
import type { Figure } from '../../src/figures/types.js';
import { figuresOf, textDoc } from './support.js';

const one = (text: string, printed: string): Figure => {
  const f = figuresOf(text).find((x) => x.text === printed);
  if (!f) throw new Error(`no figure ${printed} in ${text}: ${figuresOf(text).map((x) => x.text).join(' | ')}`);
  return f;
};
const yuan = (f: Figure) => (f.yuan ? toPlain(f.yuan) : undefined);

describe('amounts', () => {
  it('reads 万元, 元 and 亿元 into exact yuan', () => {
    const figures = figuresOf('收入合计276.10万元，公用经费800元，基建投资2亿元。');
    expect(figures.map((f) => [f.text, f.kind, f.unit, f.power, yuan(f)])).toEqual([
      ['276.10万元', 'amount', '万元', 4, '2761000'],
      ['800元', 'amount', '元', 0, '800'],
      ['2亿元', 'amount', '亿元', 8, '200000000'],
    ]);
    expect(figures[0]!.decimals).toBe(2);
    expect(toPlain(figures[0]!.value)).toBe('276.1');
  });

  it('reads thousands separators exactly and does not split the number at them', () => {
    const f = one('收入1,234,567.89元，支出5元。', '1,234,567.89元');
    expect(yuan(f)).toBe('1234567.89');
    expect(f.decimals).toBe(2);
    expect(f.label).toBe('收入');
  });

  it('reads Chinese numerals and mixed forms (五万元, 1.2万元, 一百二十三万元)', () => {
    expect(yuan(one('奖励五万元。', '五万元'))).toBe('50000');
    expect(one('奖励五万元。', '五万元').unit).toBe('万元');
    expect(yuan(one('结余1.2万元。', '1.2万元'))).toBe('12000');
    expect(yuan(one('补助一百二十三万元。', '一百二十三万元'))).toBe('1230000');
    expect(yuan(one('拨款三千万元。', '三千万元'))).toBe('30000000');
  });

  it('marks bounds: 约 approx, 以上/余/超过 atLeast, 以下/不超过/近 atMost', () => {
    const figures = figuresOf('约3万元，10万元以上，20余万元，超过8万元，5000元以下，不超过5万元，近3万元，12万元。');
    expect(figures.map((f) => [f.text, f.bound])).toEqual([
      ['约3万元', 'approx'],
      ['10万元以上', 'atLeast'],
      ['20余万元', 'atLeast'],
      ['超过8万元', 'atLeast'],
      ['5000元以下', 'atMost'],
      ['不超过5万元', 'atMost'],
      ['近3万元', 'atMost'],
      ['12万元', undefined],
    ]);
    // the number starts after the qualifier
    const approx = figures[0]!;
    expect(approx.numberStart).toBe(approx.start + 1);
  });
});

describe('percentages', () => {
  it('reads %, full-width ％, 百分之 and ‰', () => {
    const figures = figuresOf('执行率98.5%，占比12.3％，增长百分之五，损耗3‰。');
    expect(figures.map((f) => [f.text, f.kind, f.unit, toPlain(f.value)])).toEqual([
      ['98.5%', 'percent', '%', '98.5'],
      ['12.3％', 'percent', '%', '12.3'],
      ['百分之五', 'percent', '%', '5'],
      ['3‰', 'percent', '‰', '3'],
    ]);
    expect(figures[2]!.direction).toBe('increase');
  });

  it('reads 个百分点 as a point change, not a share', () => {
    const f = one('完成率比上年提高3个百分点。', '3个百分点');
    expect(f.pointChange).toBe(true);
    expect(f.unit).toBe('个百分点');
    expect(f.direction).toBe('increase');
    expect(one('执行率98%。', '98%').pointChange).toBeUndefined();
  });

  it('carries direction and baseline (较上年下降5%)', () => {
    const f = one('较上年下降5%。', '5%');
    expect(f.direction).toBe('decrease');
    expect(f.baseline).toBe('较上年');
  });
});

describe('counts', () => {
  it('reads the classifier and the noun after it (4个项目)', () => {
    const f = one('共实施4个项目，全部完工。', '4个');
    expect(f.kind).toBe('count');
    expect(f.classifier).toBe('个');
    expect(f.noun).toBe('项目');
    expect(toPlain(f.value)).toBe('4');
  });

  it('puts the multiplier into the value and keeps the bound (10万人以上 = 100000, atLeast)', () => {
    const f = one('服务群众10万人以上。', '10万人以上');
    expect(toPlain(f.value)).toBe('100000');
    expect(f.bound).toBe('atLeast');
    expect(f.classifier).toBe('人');
    expect(f.power).toBe(0);
  });

  it('reads Chinese-numeral counts (一个单位) and other classifiers (3家企业)', () => {
    const a = one('新设一个单位。', '一个');
    expect(toPlain(a.value)).toBe('1');
    expect(a.noun).toBe('单位');
    const b = one('扶持3家企业。', '3家');
    expect(b.classifier).toBe('家');
    expect(b.noun).toBe('企业');
  });
});

describe('years', () => {
  it('reads 2024年度 and 2026 before 预算 as years, and gives the next amount the label year', () => {
    const figures = figuresOf('2024年度决算完成，2026预算安排50万元。');
    expect(figures.map((f) => [f.text, f.kind, toPlain(f.value)])).toEqual([
      ['2024年度', 'year', '2024'],
      ['2026', 'year', '2026'],
      ['50万元', 'amount', '50'],
    ]);
    expect(figures[2]!.labelYear).toBe(2026);
    expect(figures[2]!.stage).toBe('budget');
  });

  it('does not read decades or amounts as years', () => {
    expect(figuresOf('上世纪2020年代以来。').filter((f) => f.kind === 'year')).toHaveLength(0);
    const f = one('投资2024.5万元。', '2024.5万元');
    expect(f.kind).toBe('amount');
  });
});

describe('labels and keys', () => {
  it('labels each figure with the noun phrase before it and strips stage words from the key', () => {
    const figures = figuresOf('财政年初预算检毒经费30万元，比上年增加5万元，全年预算40万元。');
    expect(figures[0]).toMatchObject({ label: '财政年初预算检毒经费', key: '检毒经费', stage: 'budget-initial' });
    // a change names no item of its own: it measures the item named last in the sentence
    expect(figures[1]).toMatchObject({ key: '检毒经费', direction: 'increase', baseline: '比上年' });
    expect(figures[2]).toMatchObject({ stage: 'budget-adjusted', key: '检毒经费' });
  });

  it('records 全部为… after an amount as an alias', () => {
    const f = one('接待费决算为1万元，全部为公务接待费。', '1万元');
    expect(f.aliases).toEqual(['公务接待费']);
  });

  it('indexes block, sentence and clause', () => {
    const figures = figuresOf('甲经费1万元，乙经费2万元。丙经费3万元。\n丁经费4万元。');
    expect(figures.map((f) => [f.block, f.sentence, f.clause])).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [0, 1, 2],
      [1, 2, 3],
    ]);
  });
});

describe('original text', () => {
  it('quotes the figure as printed although rules read folded text (（康复）, １２．５０万元, １５．５％)', () => {
    const doc = textDoc('社区戒毒（康复）经费１２．５０万元，占比１５．５％。');
    expect(doc.text).toBe('社区戒毒(康复)经费12.50万元,占比15.5%。');
    const figures = figuresOf('社区戒毒（康复）经费１２．５０万元，占比１５．５％。');
    expect(figures.map((f) => f.text)).toEqual(['１２．５０万元', '１５．５％']);
    expect(toPlain(figures[0]!.value)).toBe('12.5');
    expect(figures[0]!.decimals).toBe(2);
    expect(figures[0]!.label).toBe('社区戒毒(康复)经费');
    const span = doc.normalized.origin;
    expect(doc.original.slice(span[figures[0]!.start]!, span[figures[0]!.end - 1]! + 1)).toBe('１２．５０万元');
  });
});

describe('subjects', () => {
  it('does not give a bare 支出 amount the key of an income stated before it', () => {
    const [income, spending] = figuresOf('培训中心收入合计12万元，支出10万元。');
    expect(income!.key).toBe('培训中心收入合计');
    expect(spending!.key).toBe('支出');
  });

  it('lets a stage-only label take the item stated before it', () => {
    const [, final] = figuresOf('公务接待费预算为1万元，支出决算为0.53万元。');
    expect(final!.key).toBe('公务接待费');
    expect(final!.stage).toBe('final');
  });
});
