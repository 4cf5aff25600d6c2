import { it } from 'vitest';
import { analyseLabel } from '../../src/figures/label.js';
import { readHeader } from '../../src/text/metadata.js';
import { continuesParagraph, typicalWrapWidth } from '../../src/text/reflow.js';
import { normalizeText, toOriginal } from '../../src/text/normalize.js';
import { splitClauses, splitSentences } from '../../src/text/segment.js';
import { labelSimilarity } from '../../src/checks/similarity.js';
import { parseChineseNumber } from '../../src/figures/chinese-numerals.js';
import { toPlain } from '../../src/figures/decimal.js';
const P = (text: string, index = 0) => ({ index, kind: 'paragraph' as const, text });
it('x', () => {
  for (const s of ['某中心2023年决算收入合计', '比上年增加', '财政年初预算检毒经费', '一般公共预算财政拨款支出', '全年预算', '其中：基本支出为', '较2023年决算减少', '2026预算安排', '调整后预算数', '与上年持平', '实际支出', '预算安排'])
    console.log(s, JSON.stringify(analyseLabel(s)));
  for (const t of [['2025年度某县农业农村局部门整体支出绩效评价报告'], ['某街道2023年度“三公”经费决算情况说明'], ['附件1', '2024年度部门整体支出绩效自评报告', '预算主管部门：某市文化馆', '一、基本情况'], ['关于某镇人民政府2022年部门决算的说明'], ['一、基本情况']])
    console.log(JSON.stringify(t), JSON.stringify(readHeader(t.map((x, i) => P(x, i)))));
  console.log(continuesParagraph(P('本年度一般公共预算财政拨款支出比上年支出减'), P('少929.49万元，主要原因是项目完工。', 1)));
  console.log(continuesParagraph(P('部门整体支出绩效评价报告'), P('本单位2024年度收入合计50万元。', 1)));
  console.log(continuesParagraph(P('主要职责包括：负责全县农业发展规划，'), P('一、基本情况', 1)));
  console.log(continuesParagraph(P('主要职责包括：负责全县农业发展规划，'), P('1、组织实施农业项目', 1)));
  console.log(continuesParagraph(P('主要职责包括：负责全县农业发展规划，'), P('组织实施农业项目。', 1)));
  console.log(continuesParagraph({ index: 0, kind: 'heading', text: '主要职责包括：负责全县，' }, P('组织实施农业项目。', 1)));
  console.log(continuesParagraph(P('本年收入合计为'), P('50万元。', 1)));
  console.log(continuesParagraph(P('工作完成。'), P('下一段开始，内容。', 1)));
  const n = normalizeText('收入（合计）：１２３，４５６％[bookmark: _GoBack]元；', [/\[bookmark:[^\]]*\]/]);
  console.log(n.text, Array.from(n.origin).join(','), JSON.stringify(toOriginal(n, 8, 15)));
  const t = '收入1,234,567.89元，支出2,3元；其中：A、B。第二句!第三句?\n第四句';
  console.log(JSON.stringify(splitSentences(t).map((s) => t.slice(s.start, s.end))));
  console.log(JSON.stringify(splitClauses(t).map((s) => t.slice(s.start, s.end))));
  for (const [a, b] of [['检毒经费', '财政年初预算检毒经费'], ['检毒经费', '公务用车购置费'], ['基本支出', '项目支出'], ['办公设备购置', '办公设备购置费']]) console.log(a, b, labelSimilarity(a!, b!));
  for (const s of ['一百二十三', '两千零五', '十二', '壹万贰仟叁佰', '三千万', '1.2万', '二〇二四', '一亿二千万', '十万', '零', 'abc', '三十a', '一千零一十', '两亿零三百万']) { const v = parseChineseNumber(s); console.log(s, v && toPlain(v)); }
});
