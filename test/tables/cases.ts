/**
 * What the table fixtures hold and what each planted slip must produce. Shared by the clean and planted tests.
 */
import type { Expected } from './fixtures.js';

export const RULES = {
  rows: 'core/table-row-totals',
  codes: 'core/table-code-rollup',
  columns: 'core/table-column-totals',
  balance: 'core/table-balance',
  text: 'core/text-vs-table',
  rate: 'perf-eval/self-eval-execution-rate',
  score: 'perf-eval/self-eval-score-within-weight',
} as const;

export const TABLE_RULES = Object.values(RULES);

export interface TableSpec {
  title: string;
  rows: number;
  cols: number;
  unit: string;
}

export interface CellSpec {
  /** Index into the expected tables (0-based); the report's id is `t${table + 1}`. */
  table: number;
  row: number;
  col: number;
  text: string;
}

export interface FixtureSpec {
  file: string;
  documentType: string;
  tables: TableSpec[];
  /** A few numeric cells that must come out as figures at these table positions. */
  cells: CellSpec[];
  /** The table rules this fixture exercises: each must evaluate at least one relation. */
  rules: string[];
}

export const FIXTURES: FixtureSpec[] = [
  {
    file: 'final-water-2025.txt',
    documentType: 'final-accounts',
    tables: [
      { title: '收入支出决算总表', rows: 9, cols: 4, unit: '万元' },
      { title: '支出决算表', rows: 22, cols: 5, unit: '万元' },
      { title: '财政拨款收入支出决算总表', rows: 9, cols: 6, unit: '万元' },
      { title: '一般公共预算财政拨款支出决算表', rows: 21, cols: 5, unit: '万元' },
      { title: '一般公共预算财政拨款“三公”经费支出决算表', rows: 7, cols: 3, unit: '万元' },
    ],
    cells: [
      { table: 0, row: 1, col: 1, text: '1240.00' },
      { table: 0, row: 8, col: 3, text: '1445.60' },
      { table: 1, row: 1, col: 2, text: '1414.51' },
      { table: 1, row: 13, col: 4, text: '58.90' },
      { table: 2, row: 8, col: 4, text: '1253.18' },
      { table: 3, row: 2, col: 3, text: '863.35' },
      { table: 4, row: 6, col: 2, text: '18.49' },
    ],
    rules: [RULES.rows, RULES.codes, RULES.columns, RULES.balance, RULES.text],
  },
  {
    file: 'final-health-2025.txt',
    documentType: 'final-accounts',
    tables: [{ title: '一般公共预算财政拨款支出决算表', rows: 73, cols: 5, unit: '万元' }],
    cells: [
      { table: 0, row: 1, col: 2, text: '9926.31' },
      { table: 0, row: 1, col: 3, text: '3291.32' },
      { table: 0, row: 54, col: 4, text: '251.23' },
      { table: 0, row: 72, col: 4, text: '12.07' },
    ],
    rules: [RULES.rows, RULES.codes, RULES.columns, RULES.text],
  },
  {
    file: 'perf-school-repair-2025.txt',
    documentType: 'perf-eval',
    tables: [
      { title: '项目支出绩效自评表', rows: 5, cols: 7, unit: '万元' },
      { title: '绩效指标完成情况表', rows: 10, cols: 8, unit: '' },
    ],
    cells: [
      { table: 0, row: 1, col: 3, text: '311.58' },
      { table: 0, row: 1, col: 5, text: '95.46%' },
      { table: 1, row: 8, col: 6, text: '9.5' },
    ],
    rules: [RULES.rate, RULES.score],
  },
];

export interface PlantedCase {
  id: string;
  fixture: string;
  find: string;
  replace: string;
  /** Every error/warning finding the edit must produce (one-to-one); [] = must not be flagged at all. */
  expect: Expected[];
  note: string;
}

export const PLANTED: PlantedCase[] = [
  {
    id: 'sangong-total-row',
    fixture: 'final-water-2025.txt',
    find: '| 合计 | 22.00 | 18.49 |',
    replace: '| 合计 | 22.00 | 18.94 |',
    expect: [{ ruleId: RULES.rows, cites: '18.94' }],
    note: '“三公”表合计行决算数数字颠倒；其中块（购置费 + 运行维护费）不计入合计',
  },
  {
    id: 'coded-total-row',
    fixture: 'final-water-2025.txt',
    find: '| 合计 | < | 1414.51 | 863.35 | 551.16 |',
    replace: '| 合计 | < | 1415.51 | 863.35 | 551.16 |',
    expect: [
      { ruleId: RULES.rows, cites: '1415.51' },
      { ruleId: RULES.columns, cites: '1415.51' },
    ],
    note: '支出决算表合计行的本年支出合计 ≠ 各类之和，也 ≠ 基本支出 + 项目支出',
  },
  {
    id: 'item-breaks-rollup',
    fixture: 'final-water-2025.txt',
    find: '| 2130314 | 防汛 | 94.33 | 0.00 | 94.33 |',
    replace: '| 2130314 | 防汛 | 97.33 | 0.00 | 97.33 |',
    expect: [
      { ruleId: RULES.codes, cites: '97.33' },
      { ruleId: RULES.codes, cites: '97.33' },
    ],
    note: '一般公共预算表中一个项自身平衡，但款 21303 的合计列和项目支出列都不再等于其各项之和',
  },
  {
    id: 'row-total-vs-parts',
    fixture: 'final-water-2025.txt',
    find: '| 2130304 | 水利行业业务管理 | 58.90 | | 58.90 |',
    replace: '| 2130304 | 水利行业业务管理 | 58.90 | 5.00 | 58.90 |',
    expect: [{ ruleId: RULES.columns, cites: '5.00' }],
    note: '支出决算表一行的本年支出合计 ≠ 基本支出 + 项目支出；款 21303 的基本支出列有空白分项，只可通过、不可判错',
  },
  {
    id: 'row-total-vs-parts-merged-header',
    fixture: 'final-water-2025.txt',
    find: '| 2130306 | 水利工程运行与维护 | 180.00 | 0.00 | 180.00 |',
    replace: '| 2130306 | 水利工程运行与维护 | 180.00 | 8.00 | 180.00 |',
    expect: [
      { ruleId: RULES.columns, cites: '8.00' },
      { ruleId: RULES.codes, cites: '8.00' },
    ],
    note: '同上，但在表头为合并单元格（本年支出 → 合计/基本支出/项目支出）的一般公共预算财政拨款支出决算表中',
  },
  {
    id: 'unbalanced-total',
    fixture: 'final-water-2025.txt',
    find: '| 总计 | 1445.60 | 总计 | 1445.60 |',
    replace: '| 总计 | 1445.60 | 总计 | 1446.60 |',
    expect: [{ ruleId: RULES.balance, cites: '1446.60' }],
    note: '收入支出决算总表支出方总计与收入方总计不等（支出方总计所含“结余分配”为“-”，行合计只可通过、不可判错）',
  },
  {
    id: 'text-basic-vs-table',
    fixture: 'final-water-2025.txt',
    find: '一般公共预算财政拨款基本支出863.35万元',
    replace: '一般公共预算财政拨款基本支出868.35万元',
    expect: [{ ruleId: RULES.text, cites: '868.35万元' }],
    note: '正文一般公共预算财政拨款基本支出与一般公共预算财政拨款支出决算表合计行基本支出列不一致',
  },
  {
    id: 'text-total-vs-table',
    fixture: 'final-water-2025.txt',
    find: '财政拨款收入支出总计1373.18万元',
    replace: '财政拨款收入支出总计1337.18万元',
    expect: [{ ruleId: RULES.text, cites: '1337.18万元' }],
    note: '正文财政拨款收入支出总计与财政拨款收入支出决算总表总计行不一致',
  },
  {
    id: 'execution-rate',
    fixture: 'perf-school-repair-2025.txt',
    find: '| 311.58 | 10 | 95.46% |',
    replace: '| 311.58 | 10 | 96.46% |',
    expect: [{ ruleId: RULES.rate, cites: '96.46%' }],
    note: '自评表年度资金总额执行率 ≠ 全年执行数 ÷ 全年预算数（311.58 ÷ 326.40 = 95.46%）',
  },
  {
    id: 'score-over-weight-funds',
    fixture: 'perf-school-repair-2025.txt',
    find: '| 95.46% | 9.55 |',
    replace: '| 95.46% | 10.55 |',
    expect: [{ ruleId: RULES.score, cites: '10.55' }],
    note: '自评表资金执行得分超过其分值10',
  },
  {
    id: 'score-over-weight-indicator',
    fixture: 'perf-school-repair-2025.txt',
    find: '| 94.60% | 10 | 9.5 |',
    replace: '| 94.60% | 10 | 10.5 |',
    expect: [{ ruleId: RULES.score, cites: '10.5' }],
    note: '绩效指标表中满意度指标得分超过其分值10',
  },
  {
    id: 'long-item-breaks-rollup',
    fixture: 'final-health-2025.txt',
    find: '| 2101301 | 城乡医疗救助 | 251.23 | 0.00 | 251.23 |',
    replace: '| 2101301 | 城乡医疗救助 | 215.23 | 0.00 | 215.23 |',
    expect: [
      { ruleId: RULES.codes, cites: '215.23' },
      { ruleId: RULES.codes, cites: '215.23' },
    ],
    note: '跨页长表中部一个项数字颠倒：款 21013 医疗救助的合计列、项目支出列不再等于其各项之和',
  },
  {
    id: 'long-total-row',
    fixture: 'final-health-2025.txt',
    find: '| 合计 | < | 9926.31 | 3291.32 | 6634.99 |',
    replace: '| 合计 | < | 9926.31 | 3921.32 | 6634.99 |',
    expect: [
      { ruleId: RULES.rows, cites: '3921.32' },
      { ruleId: RULES.columns, cites: '3921.32' },
      { ruleId: RULES.text, cites: '3921.32' },
    ],
    note: '长表合计行基本支出数字颠倒：≠ 各类之和，合计 ≠ 基本 + 项目，且与正文一般公共预算财政拨款基本支出3291.32万元不一致',
  },
  {
    id: 'long-last-page-row',
    fixture: 'final-health-2025.txt',
    find: '| 2210202 | 提租补贴 | 42.49 | 42.49 | 0.00 |',
    replace: '| 2210202 | 提租补贴 | 43.49 | 42.49 | 0.00 |',
    expect: [
      { ruleId: RULES.columns, cites: '43.49' },
      { ruleId: RULES.codes, cites: '43.49' },
    ],
    note: '长表末页一行合计 ≠ 基本支出 + 项目支出，款 22102 合计列也不再等于其各项之和',
  },
  // ---- rounding only: must not be flagged
  {
    id: 'rounding-sangong-total',
    fixture: 'final-water-2025.txt',
    find: '| 合计 | 22.00 | 18.49 |',
    replace: '| 合计 | 22.00 | 18.50 |',
    expect: [],
    note: '三项各按0.01取整后合计差0.01：0.00 + 15.62 + 2.87 = 18.49 ≈ 18.50，在取整误差内',
  },
  {
    id: 'rounding-item',
    fixture: 'final-water-2025.txt',
    find: '| 2130301 | 行政运行 | 612.48 | 612.48 | |',
    replace: '| 2130301 | 行政运行 | 612.49 | 612.49 | |',
    expect: [],
    note: '一个项比其款的分摊多0.01：款 21303 = 1043.64，各项之和1043.65，在取整误差内',
  },
  {
    id: 'rounding-long-class',
    fixture: 'final-health-2025.txt',
    find: '| 221 | 住房保障支出 | 410.64 | 410.64 | 0.00 |',
    replace: '| 221 | 住房保障支出 | 410.65 | 410.65 | 0.00 |',
    expect: [],
    note: '一个类比其款多0.01，合计行比各类之和少0.01：都在取整误差内',
  },
  // ---- placeholders: a part shown as "-" is not assessable, never zero
  {
    id: 'placeholder-part',
    fixture: 'final-water-2025.txt',
    find: '| 2130314 | 防汛 | 94.33 | | 94.33 |',
    replace: '| 2130314 | 防汛 | 94.33 | | - |',
    expect: [],
    note: '项目支出写作“-”：该行合计与款 21303 的项目支出列都不可判错',
  },
  {
    id: 'placeholder-long-part',
    fixture: 'final-health-2025.txt',
    find: '| 2100101 | 行政运行 | 755.67 | 755.67 | 0.00 |',
    replace: '| 2100101 | 行政运行 | 755.67 | - | 0.00 |',
    expect: [],
    note: '基本支出写作“-”：755.67 = - + 0.00 与款 21001 的基本支出列都不可判错',
  },
];
