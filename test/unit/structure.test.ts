/**
 * The genre's structure, on invented texts: nested 其中 lists, shares stated respectively, the stage and base of a
 * change, two comparison bases in one sentence. Each case has its correct form (no finding) and a planted slip.
 */
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';

async function serious(text: string): Promise<string[]> {
  const report = await checkDocument(Buffer.from(text, 'utf8'));
  if (report.status !== 'ok') throw new Error(report.error?.message);
  return report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.ruleId}:${f.actual}`);
}

const TITLE = '2023年度某县林业局部门决算情况说明\n';

describe('a part with its own 其中 list', () => {
  const flat = (car: string, buy: string) =>
    `${TITLE}“三公”经费支出决算为18.60万元，其中：因公出国（境）费0万元；公务用车购置及运行维护费${car}万元，其中：公务用车购置费${buy}万元，公务用车运行维护费4.40万元；公务接待费6.20万元。`;
  const parenthesised = (car: string) =>
    `${TITLE}“三公”经费支出决算为18.60万元，其中：因公出国（境）费0万元，公务用车购置及运行维护费${car}万元（其中：公务用车购置费8.00万元，公务用车运行维护费4.40万元），公务接待费6.20万元。`;

  it('is not summed into the outer total', async () => {
    expect(await serious(flat('12.40', '8.00'))).toEqual([]);
    expect(await serious(parenthesised('12.40'))).toEqual([]);
  });

  it('still finds a slip inside the sub-list and in the outer list', async () => {
    expect(await serious(flat('12.40', '9.00'))).toEqual(['core/listed-parts-sum:12.40']);
    expect(await serious(parenthesised('13.40'))).toEqual(expect.arrayContaining(['core/listed-parts-sum:18.60']));
  });

  it('says nothing when no ";" closes the sub-list and no run of items adds up to its parent', async () => {
    const unclear = `${TITLE}项目支出合计30.00万元，其中：培训费10.00万元，会议费12.00万元，其中：场地费5.00万元，餐费4.00万元，差旅费8.00万元。`;
    expect(await serious(unclear)).toEqual([]);
  });
});

describe('shares stated respectively (分别…分别占)', () => {
  const text = (second: string) =>
    `${TITLE}本年支出合计510.00万元，其中基本支出和项目支出分别为310.00万元和200.00万元，分别占支出合计的60.78%和${second}%。`;

  it('pairs each share with its amount in order', async () => {
    expect(await serious(text('39.22'))).toEqual([]);
  });

  it('flags the share that does not match its own amount', async () => {
    expect(await serious(text('38.22'))).toEqual(['core/share-of-total:38.22']);
  });
});

describe('the stage and base of a change', () => {
  const sangong = (rate: string) =>
    `${TITLE}“三公”经费财政拨款支出决算为48.30万元，完成全年预算60.00万元的80.50%，比上年决算数增加12.10万元，增长${rate}%；比2019年决算数减少9.70万元，降低16.72%。`;

  it('measures a change against 上年决算 from the 决算, not from the budget the sentence also quotes', async () => {
    expect(await serious(sangong('33.43'))).toEqual([]);
    expect(await serious(sangong('34.43'))).toEqual(['core/growth-rate:34.43']);
  });

  it('accepts a second, named comparison year beside last year', async () => {
    expect((await serious(sangong('33.43'))).filter((f) => f.startsWith('core/report-year'))).toEqual([]);
  });

  it('keeps a level whose year slipped as the current one of its change (the year is the year rule’s finding)', async () => {
    const slipped = `2026年度某县林业局部门预算\n2025年“三公”经费预算12.00万元，比2025年预算减少1.00万元，下降7.69%。`;
    expect((await serious(slipped)).filter((f) => f.startsWith('core/growth-rate'))).toEqual([]);
  });

  it('reads a base stated in parentheses as the previous level', async () => {
    const text = (rate: string) =>
      `${TITLE}与上年度相比（上年度部门支出预算安排为5,210.40万元），本年度部门支出预算增加312.60万元，增长${rate}%。`;
    expect(await serious(text('6.00'))).toEqual([]);
    expect(await serious(text('7.00'))).toEqual(['core/growth-rate:7.00']);
  });

  it('keeps a budget compared with last year’s execution (one current level, another stage)', async () => {
    const budget = (rate: string) =>
      `2026年度某县林业局部门预算\n其他林业支出：2025年当年预算执行数为320.50万元，2026年预算安排360.40万元，比2025年预算执行数增加${rate}%。`;
    expect(await serious(budget('12.45'))).toEqual([]);
    expect(await serious(budget('21.45'))).toEqual(['core/growth-rate:21.45']);
  });
});

describe('a comparison sentence without a subject of its own', () => {
  const text = (rate: string) =>
    `2025年度某县档案馆部门预算\n机动经费预算数为412.30万元，主要用于年中新增任务。与上年相比增加160.30万元，增长${rate}%。`;

  it('continues the level of the sentence before it', async () => {
    expect(await serious(text('63.61'))).toEqual([]);
    expect(await serious(text('36.61'))).toEqual(['core/growth-rate:36.61']);
  });

  it('is left alone when the sentence before it states two levels', async () => {
    const two = `2025年度某县档案馆部门预算\n机动经费预算数为412.30万元，基本支出预算数为300.00万元。与上年相比增加160.30万元，增长36.61%。`;
    expect(await serious(two)).toEqual([]);
  });

  it('reads 降幅 and 增幅 as the rate’s direction', async () => {
    const fall = (rate: string) => `2025年度某县档案馆部门预算\n档案保护支出（项）1,600万元，与上年相比减少400万元，降幅${rate}%。`;
    expect(await serious(fall('20.00'))).toEqual([]);
    expect(await serious(fall('2.00'))).toEqual(['core/growth-rate:-2.00']);
  });
});

describe('a label that is only a head noun', () => {
  it('does not name the item a later list breaks down', async () => {
    // "2.档案修缮(项):支出…" leaves the item before the colon; the later sentence's "经费预算支出中，" names the
    // 三公 total, which is not stated, so no list is assessed against the 支出 of the numbered item
    const text = `2025年度某县档案馆部门预算\n2.档案修缮(项):支出86.40万元。\n“三公”经费预算支出中，因公出国（境）费支出0万元，公务用车运行费支出3.20万元，公务接待费支出1.10万元。`;
    expect(await serious(text)).toEqual([]);
  });
});


describe('numbered items after “…如下：”', () => {
  const HEAD = '2025年度某县档案馆部门预算\n财政拨款支出预算860.50万元，比上年增加12.00万元。\n财政拨款支出主要内容如下：\n';
  const items = (second: string): [string, string, string] =>
    [
      `1.“一般公共服务支出（类）档案事务（款）行政运行（项）”512.30万元，主要用于人员经费和日常公用经费。`,
      `2.“一般公共服务支出（类）档案事务（款）档案馆（项）”${second}万元，主要用于档案数字化。`,
      `3.“住房保障支出（类）住房改革支出（款）住房公积金（项）”48.20万元，主要用于缴纳住房公积金。`,
    ];

  it('are the parts of the total the introducer names; “主要” items may not exceed it', async () => {
    expect(await serious(HEAD + items('300.00').join('\n'))).toEqual([]);
    // 512.30 + 900.00 + 48.20 = 1460.50 > 860.50; the total was found by its name, so a warning
    const report = await checkDocument(Buffer.from(HEAD + items('900.00').join('\n')));
    const found = report.findings.filter((f) => f.ruleId === 'core/listed-parts-sum');
    expect(found.map((f) => [f.severity, f.messageId, f.actual])).toEqual([['warning', 'partsExceedTotal', '860.50']]);
  });

  it('count an item printed twice at a page break once', async () => {
    const [a, b, c] = items('300.00');
    expect(await serious(HEAD + [a, b, c, b, c].join('\n'))).toEqual([]);
  });

  it('leave a sub-list numbered in another style to its own item', async () => {
    const [a, b, c] = items('300.00');
    const nested = [a, '(1)基本工资400.00万元。', '(2)公用经费112.30万元。', b, c];
    expect(await serious(HEAD + nested.join('\n'))).toEqual([]);
  });

  it('say nothing when the numbers do not run in order', async () => {
    const [a, b, c] = items('900.00');
    expect(await serious(HEAD + [a, c.replace(/^3/, '5'), b.replace(/^2/, '3')].join('\n'))).toEqual([]);
  });

  it('do not break down the last of several amounts of the sentence before them', async () => {
    const text = `2025年度某县档案馆部门预算\n“三公”经费预算12.00万元，其中：公务用车运行费8.00万元，公务接待费4.00万元。具体情况如下：\n1.公务用车运行费8.00万元。\n2.公务接待费4.00万元。`;
    expect(await serious(text)).toEqual([]);
  });
});

describe('a total printed with fewer decimals than its parts', () => {
  it('may be truncated: parts up to one unit above it are not a slip', async () => {
    const text = (total: string) => `2025年度某县档案馆部门预算\n支出预算合计${total}万元，其中：基本支出600.45万元，项目支出260.34万元。`;
    expect(await serious(text('860'))).toEqual([]); // 860.79 truncated
    expect(await serious(text('859'))).toEqual(['core/listed-parts-sum:859']);
  });
});

describe('a zero amount', () => {
  it('has a share of 0 %, not any share a rounding allows', async () => {
    const text = (pct: string) => `2025年度某县档案馆部门预算\n本年收入预算412.30万元，其中：财政拨款收入412.30万元，占100%；其他收入0万元，占${pct}%。`;
    expect(await serious(text('0'))).toEqual([]);
    expect(await serious(text('7'))).toEqual(expect.arrayContaining(['core/share-of-total:7']));
  });
});

describe('a subject that a slipped year makes unknown', () => {
  it('is not replaced by a like-named level found elsewhere', async () => {
    // the level before “与2024年度相比” is labelled with last year by mistake: the year rule says so; the growth rate
    // is not measured against some other 收入支出总计 earlier in the document
    const text = `2025年度某县档案馆部门决算\n本年收入支出总计900.00万元。\n某县档案馆 2024 年度财政拨款收入支出总计 612.00 万元。与 2024 年度相比，财政拨款收入支出总计增加 112.00 万元，增长 22.40%。`;
    const found = await serious(text);
    expect(found.filter((f) => f.startsWith('core/growth-rate'))).toEqual([]);
    expect(found).toContain('core/report-year:2024');
  });
});

describe('the organization of a project report', () => {
  const org = async (text: string) => (await checkDocument(Buffer.from(text, 'utf8'))).organization;
  it('is the unit that carries the project out, not the project named in the title', async () => {
    expect(await org('2025年度某县林区防火通道改造工程项目支出绩效自评报告\n一、项目概况\n项目由某县林业和草原服务中心组织实施，全年完成通道改造12公里。')).toBe('某县林业和草原服务中心');
    expect(await org('2025年度某县林区防火通道改造工程项目支出绩效自评报告\n一、项目概况\n全年完成通道改造12公里。')).toBeUndefined();
    expect(await org('某县林业局2025年度项目支出绩效自评报告\n一、基本情况\n全年完成通道改造12公里。')).toBe('某县林业局');
  });

  it('is the unit named in the title of a 整体支出 report, even one whose name says 工程', async () => {
    expect(await org('某县水利工程建设服务站2025年度部门整体支出绩效自评报告\n一、基本情况\n本站编制9人。')).toBe('某县水利工程建设服务站');
  });
});
