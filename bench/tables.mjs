#!/usr/bin/env node
/**
 * Table-heavy PDF benchmark (issue 3): a ~20-page 部门决算 disclosure, as a ruled PDF (DOCX → LibreOffice, like a
 * Word export) and as a borderless PDF (pdfkit text at fixed column positions, the common layout of 预算/决算
 * disclosures that getTable() cannot see). Run after `npm run build`:
 *
 *   node bench/tables.mjs [--runs 15] [--warmup 2] [--seed 20250101] [--no-soffice]
 *
 * 1. Generates the disclosure with invented figures, consistent in integer 分 (hundredths of 万元, checked here
 *    independently of src/): a narrative plus 收入支出决算总表 (two-sided), 收入决算表 and 支出决算表 (类/款/项
 *    codes, each well over 60 coded rows, over several pages), 财政拨款收入支出决算总表, 一般公共预算财政拨款支出
 *    决算表, 一般公共预算财政拨款基本支出决算表 (经济分类 301/302/303/310) and the “三公”经费表.
 * 2. For each PDF, in this process, warm-up then the median of --runs runs (methods interleaved per run, so load
 *    drifting during the run hits them alike): (a) crossfoot readDocument, (b) checkDocument, (c) pdf-parse
 *    getText() alone, (d) pdf-parse getTable() alone — wall and CPU ms, ms per page, ratios (a)/(c) and (a)/(d).
 *    Also: tables and table cells crossfoot found against what was generated and getTable()'s count, the table
 *    relations checked (report.checks) and the findings (none expected on these clean files); the same document
 *    as DOCX and TXT is checked once as a control, to tell reader problems from checker problems.
 * 3. Prints a table, writes bench/out/tables.json, and keeps the generated files in bench/out/tables/.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { FIXED_DATE, makeRng, pdfInMemory } from './corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, 'bench', 'out');
const FILES_DIR = path.join(OUT_DIR, 'tables');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '2' },
    seed: { type: 'string', default: '20250101' },
    'no-soffice': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('node bench/tables.mjs [--runs 15] [--warmup 2] [--seed 20250101] [--no-soffice]');
  process.exit(0);
}
const RUNS = Number(args.runs);
const WARMUP = Number(args.warmup);
if (!Number.isInteger(RUNS) || RUNS < 1 || !Number.isInteger(WARMUP) || WARMUP < 0) throw new Error('--runs ≥ 1 and --warmup ≥ 0, whole numbers');
for (const f of ['dist/pipeline.js', 'dist/readers/index.js', 'dist/readers/pdf-tables.js']) {
  if (!existsSync(path.join(ROOT, f))) {
    console.error(`bench: ${f} is missing, run "npm run build" first`);
    process.exit(2);
  }
}

const log = (...a) => console.error('tables:', ...a);
const round = (x, d = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// =============================================================================================== the figures


/** Amounts are integers in 分 of 万元 (hundredths); printed with two decimals. */
const f2 = (n) => {
  if (!Number.isInteger(n)) throw new Error(`not an integer amount: ${n}`);
  const s = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return `${s}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};
/** part / total in basis points (hundredths of a percent), rounded half up. */
const bp = (part, total) => Math.floor((part * 20000 + total) / (2 * total));
const pct = (b) => `${Math.floor(b / 100)}.${String(b % 100).padStart(2, '0')}%`;
const wan = (n) => `${f2(n)}万元`;
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];

/** Splits `total` into `n` positive integer parts (random weights). */
function split(rng, total, n) {
  const w = Array.from({ length: n }, () => 1 + rng.next() * 3);
  const sw = w.reduce((a, b) => a + b, 0);
  const parts = w.map((x) => Math.max(1, Math.floor((total * x) / sw)));
  parts[0] += total - parts.reduce((a, b) => a + b, 0);
  if (parts.some((p) => p <= 0)) throw new Error('split: a part is not positive');
  return parts;
}

// 功能分类 subjects of a township government (类 / 款 / 项; the names are the public classification's).
// kind: run 行政运行 (basic), shiye 事业运行 (basic, part from 事业收入), proj 项目, pers 人员类 (basic),
// mix (basic + project), fund 政府性基金 (project).
const CATALOG = [
  ['201', '一般公共服务支出', [
    ['20101', '人大事务', [['2010101', '行政运行', 'run'], ['2010104', '人大会议', 'proj'], ['2010108', '代表工作', 'proj']]],
    ['20103', '政府办公厅（室）及相关机构事务', [['2010301', '行政运行', 'run'], ['2010302', '一般行政管理事务', 'proj'], ['2010303', '机关服务', 'mix'], ['2010350', '事业运行', 'shiye'], ['2010399', '其他政府办公厅（室）及相关机构事务支出', 'proj']]],
    ['20106', '财政事务', [['2010601', '行政运行', 'run'], ['2010650', '事业运行', 'shiye']]],
    ['20111', '纪检监察事务', [['2011101', '行政运行', 'run'], ['2011102', '一般行政管理事务', 'proj']]],
  ]],
  ['207', '文化旅游体育与传媒支出', [
    ['20701', '文化和旅游', [['2070108', '文化活动', 'proj'], ['2070109', '群众文化', 'proj']]],
  ]],
  ['208', '社会保障和就业支出', [
    ['20802', '民政管理事务', [['2080208', '基层政权建设和社区治理', 'proj']]],
    ['20805', '行政事业单位养老支出', [['2080501', '行政单位离退休', 'pers'], ['2080502', '事业单位离退休', 'pers'], ['2080505', '机关事业单位基本养老保险缴费支出', 'pers'], ['2080506', '机关事业单位职业年金缴费支出', 'pers']]],
    ['20808', '抚恤', [['2080801', '死亡抚恤', 'pers']]],
    ['20811', '残疾人事业', [['2081104', '残疾人康复', 'proj'], ['2081199', '其他残疾人事业支出', 'proj']]],
  ]],
  ['210', '卫生健康支出', [
    ['21004', '公共卫生', [['2100408', '基本公共卫生服务', 'proj']]],
    ['21011', '行政事业单位医疗', [['2101101', '行政单位医疗', 'pers'], ['2101102', '事业单位医疗', 'pers'], ['2101103', '公务员医疗补助', 'pers']]],
  ]],
  ['212', '城乡社区支出', [
    ['21201', '城乡社区管理事务', [['2120101', '行政运行', 'run'], ['2120104', '城管执法', 'proj']]],
    ['21205', '城乡社区环境卫生', [['2120501', '城乡社区环境卫生', 'proj']]],
    ['21208', '国有土地使用权出让收入安排的支出', [['2120801', '征地和拆迁补偿支出', 'fund'], ['2120803', '城市建设支出', 'fund']]],
  ]],
  ['213', '农林水支出', [
    ['21301', '农业农村', [['2130101', '行政运行', 'run'], ['2130104', '事业运行', 'shiye'], ['2130108', '病虫害控制', 'proj'], ['2130122', '农业生产发展', 'proj']]],
    ['21303', '水利', [['2130306', '水利工程运行与维护', 'proj'], ['2130314', '防汛', 'proj']]],
    ['21305', '巩固脱贫攻坚成果衔接乡村振兴', [['2130504', '农村基础设施建设', 'proj']]],
    ['21307', '农村综合改革', [['2130701', '对村级公益事业建设的补助', 'proj'], ['2130705', '对村民委员会和村党支部的补助', 'proj']]],
  ]],
  ['221', '住房保障支出', [['22102', '住房改革支出', [['2210201', '住房公积金', 'pers'], ['2210203', '购房补贴', 'pers']]]]],
  ['224', '灾害防治及应急管理支出', [
    ['22401', '应急管理事务', [['2240106', '安全监管', 'proj'], ['2240108', '应急救援', 'proj']]],
  ]],
  ['229', '其他支出', [['22960', '彩票公益金安排的支出', [['2296002', '用于社会福利的彩票公益金支出', 'fund']]], ['22999', '其他支出', [['2299999', '其他支出', 'proj']]]]],
];

// 经济分类 of basic expenditure: 301 and 303 are 人员经费, 302 and 310 公用经费.
const ECONOMIC = [
  ['301', '工资福利支出', 'P', [['30101', '基本工资'], ['30102', '津贴补贴'], ['30103', '奖金'], ['30106', '伙食补助费'], ['30107', '绩效工资'], ['30108', '机关事业单位基本养老保险缴费'], ['30109', '职业年金缴费'], ['30110', '职工基本医疗保险缴费'], ['30111', '公务员医疗补助缴费'], ['30112', '其他社会保障缴费'], ['30113', '住房公积金'], ['30199', '其他工资福利支出']]],
  ['302', '商品和服务支出', 'G', [['30201', '办公费'], ['30202', '印刷费'], ['30205', '水费'], ['30206', '电费'], ['30207', '邮电费'], ['30209', '物业管理费'], ['30211', '差旅费'], ['30213', '维修（护）费'], ['30215', '会议费'], ['30216', '培训费'], ['30217', '公务接待费'], ['30226', '劳务费'], ['30228', '工会经费'], ['30229', '福利费'], ['30231', '公务用车运行维护费'], ['30239', '其他交通费用'], ['30299', '其他商品和服务支出']]],
  ['303', '对个人和家庭的补助', 'P', [['30302', '退休费'], ['30305', '生活补助'], ['30307', '医疗费补助'], ['30309', '奖励金']]],
  ['310', '资本性支出', 'G', [['31002', '办公设备购置'], ['31007', '信息网络及软件购置更新']]],
];

/** One attempt at the whole data set; undefined when a constraint (shares totalling 100.00%) fails. */
function attempt(seed) {
  const rng = makeRng(seed);
  const items = [];
  for (const [lc, ln, kuans] of CATALOG) {
    for (const [kc, kn, xiangs] of kuans) {
      for (const [code, name, kind] of xiangs) {
        const it = { lei: lc, leiName: ln, kuan: kc, kuanName: kn, code, name, kind, genBasic: 0, genProject: 0, fundProject: 0, nfBasic: 0, nfProject: 0 };
        if (kind === 'run') {
          it.genBasic = rng.int(6000, 32000);
          if (rng.chance(0.3)) it.genProject = rng.int(200, 3000);
        } else if (kind === 'shiye') {
          it.genBasic = rng.int(3000, 15000);
          it.nfBasic = rng.int(300, 2500);
        } else if (kind === 'pers') it.genBasic = rng.int(800, 12000);
        else if (kind === 'mix') {
          it.genBasic = rng.int(1000, 5000);
          it.genProject = rng.int(500, 5000);
        } else if (kind === 'fund') it.fundProject = rng.int(5000, 60000);
        else it.genProject = rng.int(300, 22000);
        items.push(it);
      }
    }
  }
  // 其他收入 pays part of two projects; 事业收入 the 事业运行 items' own share
  const projects = items.filter((i) => i.kind === 'proj');
  for (const it of [projects[3], projects[17]]) it.nfProject = rng.int(200, 2000);
  for (const it of items) {
    it.genIncome = it.genBasic + it.genProject;
    it.fundIncome = it.fundProject;
    it.shiyeIncome = it.kind === 'shiye' ? it.nfBasic + rng.int(-150, 400) : 0;
    it.otherIncome = it.nfProject;
  }
  // carry-overs: income differs from expenditure by what is carried into or out of the year
  for (const it of [projects[1], projects[8], projects[12], projects[20]]) it.genIncome += rng.int(-Math.floor(it.genProject / 3), 3000);
  const fundItems = items.filter((i) => i.kind === 'fund');
  fundItems[0].fundIncome += rng.int(-2000, 4000);
  const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
  const genB0 = rng.int(800, 5000);
  const fundB0 = rng.int(0, 3000);
  const nfB0 = rng.int(200, 1500);
  const genB1 = genB0 + sum(items, (i) => i.genIncome - i.genBasic - i.genProject);
  const fundB1 = fundB0 + sum(items, (i) => i.fundIncome - i.fundProject);
  const nfB1 = nfB0 + sum(items, (i) => i.shiyeIncome + i.otherIncome - i.nfBasic - i.nfProject);
  if (genB1 < 0 || fundB1 < 0 || nfB1 < 0) return undefined;
  for (const it of items) {
    it.basic = it.genBasic + it.nfBasic;
    it.project = it.genProject + it.fundProject + it.nfProject;
    it.exp = it.basic + it.project;
    it.gen = it.genBasic + it.genProject;
    it.fiscalExp = it.gen + it.fundProject;
    it.fiscalIncome = it.genIncome + it.fundIncome;
    it.income = it.fiscalIncome + it.shiyeIncome + it.otherIncome;
  }
  const I = { gen: sum(items, (i) => i.genIncome), fund: sum(items, (i) => i.fundIncome), shiye: sum(items, (i) => i.shiyeIncome), other: sum(items, (i) => i.otherIncome) };
  I.total = I.gen + I.fund + I.shiye + I.other;
  const E = { total: sum(items, (i) => i.exp), basic: sum(items, (i) => i.basic), project: sum(items, (i) => i.project), gen: sum(items, (i) => i.gen), genBasic: sum(items, (i) => i.genBasic), genProject: sum(items, (i) => i.genProject), fund: sum(items, (i) => i.fundProject) };
  const B0 = genB0 + fundB0 + nfB0;
  const B1 = genB1 + fundB1 + nfB1;
  const total = I.total + B0;
  if (total !== E.total + B1) throw new Error('收入总计 ≠ 支出总计');

  // basic expenditure (一般公共预算) by economic class; 公务接待费 and 公务用车运行维护费 are the “三公” figures
  const reception = rng.int(100, 600);
  const vehicleRun = rng.int(300, 1500);
  const B = E.genBasic;
  const c301 = Math.floor((B * rng.int(6200, 7000)) / 10000);
  const c303 = Math.floor((B * rng.int(500, 1000)) / 10000);
  const c310 = Math.floor((B * rng.int(100, 300)) / 10000);
  const c302 = B - c301 - c303 - c310;
  const econ = ECONOMIC.map(([code, name, side, subs]) => {
    const amount = { 301: c301, 302: c302, 303: c303, 310: c310 }[code];
    let parts;
    if (code === '302') {
      const rest = split(rng, amount - reception - vehicleRun, subs.length - 2);
      parts = subs.map(([c]) => (c === '30217' ? reception : c === '30231' ? vehicleRun : rest.shift()));
    } else parts = split(rng, amount, subs.length);
    return { code, name, side, amount, subs: subs.map(([c, n], i) => ({ code: c, name: n, amount: parts[i] })) };
  });
  const personnel = c301 + c303;
  const publicFunds = c302 + c310;

  const sg = { abroad: 0, purchase: 0, run: vehicleRun, reception };
  sg.vehicle = sg.purchase + sg.run;
  sg.total = sg.abroad + sg.vehicle + sg.reception;
  sg.budgetRun = sg.run + rng.int(0, 300);
  sg.budgetReception = sg.reception + rng.int(1, 200);
  sg.budgetVehicle = sg.budgetRun;
  sg.budgetTotal = sg.budgetVehicle + sg.budgetReception;

  // year-on-year changes (prior = current − change)
  const change = (cur) => {
    const d = rng.int(Math.floor(cur / 40), Math.floor(cur / 8));
    return { d, rate: bp(d, cur - d) };
  };
  const chIncome = change(I.total);
  const chExp = change(E.total);
  const chGen = change(E.gen);
  const procurement = rng.int(3000, 20000);
  const [goods, works, services] = split(rng, procurement, 3);
  const sme = procurement - rng.int(0, Math.floor(procurement / 10));
  const micro = sme - rng.int(0, Math.floor(sme / 5));
  const running = publicFunds - rng.int(Math.floor(publicFunds / 10), Math.floor(publicFunds / 4));
  const runningDown = rng.int(50, 400);

  // shares that must total 100.00%
  const incomeShares = [I.gen, I.fund, I.shiye, I.other].map((x) => bp(x, I.total));
  const expShares = [E.basic, E.project].map((x) => bp(x, E.total));
  const genClasses = CATALOG.map(([lc, ln]) => ({ code: lc, name: ln, amount: sum(items.filter((i) => i.lei === lc), (i) => i.gen) })).filter((c) => c.amount > 0);
  const classShares = genClasses.map((c) => bp(c.amount, E.gen));
  const is100 = (xs) => xs.reduce((a, b) => a + b, 0) === 10000;
  if (!is100(incomeShares) || !is100(expShares) || !is100(classShares)) return undefined;

  // 年初预算 per 项 of the 一般公共预算 table, for the 具体情况 paragraphs
  for (const it of items) {
    if (!it.gen) continue;
    it.budget = rng.chance(0.1) ? 0 : rng.chance(0.15) ? it.gen : Math.max(100, Math.round((it.gen * rng.int(70, 125)) / 100));
  }
  return {
    seed, items, I, E, B0, B1, total, genB0, genB1, fundB0, fundB1, nfB0, nfB1, econ, personnel, publicFunds, sg,
    chIncome, chExp, chGen, procurement, goods, works, services, sme, micro, running, runningDown,
    incomeShares, expShares, genClasses, classShares,
  };
}

function makeData(seed) {
  for (let s = seed; s < seed + 5000; s++) {
    const d = attempt(s);
    if (d) return d;
  }
  throw new Error('no data set met the constraints');
}

// =============================================================================================== the document

const ORG = '某县青溪镇人民政府';
const YEAR = 2025;
const cell = (n, blankZero) => (blankZero && n === 0 ? '' : f2(n));

/** Coded rows (类, 款, 项) with per-row values from `valuesOf(items)` (sums over the items under the code). */
function codedRows(items, valuesOf, blankZero, keep = () => true) {
  const rows = [];
  const kept = items.filter(keep);
  const total = valuesOf(kept);
  rows.push(['合计', '<', ...total.map((v) => cell(v, blankZero))]);
  for (const [lc, ln, kuans] of CATALOG) {
    const inLei = kept.filter((i) => i.lei === lc);
    if (!inLei.length) continue;
    rows.push([lc, ln, ...valuesOf(inLei).map((v) => cell(v, blankZero))]);
    for (const [kc, kn] of kuans) {
      const inKuan = inLei.filter((i) => i.kuan === kc);
      if (!inKuan.length) continue;
      rows.push([kc, kn, ...valuesOf(inKuan).map((v) => cell(v, blankZero))]);
      for (const it of inKuan) rows.push([it.code, it.name, ...valuesOf([it]).map((v) => cell(v, blankZero))]);
    }
  }
  return rows;
}

const sumBy = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
const CODE = { kind: 'code', w: 62 };
const LABEL = { kind: 'label', w: 215 };
const AMOUNT = { kind: 'amount', w: 60 };

function buildTables(d) {
  const tables = [];
  const classesOf = (f) => CATALOG.map(([lc, ln]) => ({ name: ln, v: f(d.items.filter((i) => i.lei === lc)) })).filter((c) => c.v.some((x) => x > 0));

  // 1 收入支出决算总表 (two-sided)
  {
    const left = [
      ['一、一般公共预算财政拨款收入', d.I.gen], ['二、政府性基金预算财政拨款收入', d.I.fund], ['三、国有资本经营预算财政拨款收入', 0],
      ['四、上级补助收入', 0], ['五、事业收入', d.I.shiye], ['六、经营收入', 0], ['七、附属单位上缴收入', 0], ['八、其他收入', d.I.other],
    ];
    const right = classesOf((xs) => [sumBy(xs, (i) => i.exp)]).map((c, k) => [`${NUMERALS[k]}、${c.name}`, c.v[0]]);
    const rows = [['收入', '<', '支出', '<'], ['项目', '决算数', '项目', '决算数']];
    for (let k = 0; k < Math.max(left.length, right.length); k++) {
      const l = left[k];
      const r = right[k];
      rows.push([l ? l[0] : '', l ? f2(l[1]) : '', r ? r[0] : '', r ? f2(r[1]) : '']);
    }
    rows.push(['本年收入合计', f2(d.I.total), '本年支出合计', f2(d.E.total)]);
    rows.push(['使用非财政拨款结余', '0.00', '结余分配', '0.00']);
    rows.push(['年初结转和结余', f2(d.B0), '年末结转和结余', f2(d.B1)]);
    rows.push(['总计', f2(d.total), '总计', f2(d.total)]);
    tables.push({ title: '收入支出决算总表', headerRows: 2, cols: [{ kind: 'label', w: 230 }, { kind: 'amount', w: 90 }, { kind: 'label', w: 230 }, { kind: 'amount', w: 90 }], rows });
  }
  // 2 收入决算表
  tables.push({
    title: '收入决算表',
    headerRows: 1,
    coded: true,
    cols: [CODE, LABEL, AMOUNT, AMOUNT, AMOUNT, AMOUNT, AMOUNT, AMOUNT, AMOUNT],
    rows: [
      ['科目编码', '科目名称', '本年收入合计', '财政拨款收入', '上级补助收入', '事业收入', '经营收入', '附属单位上缴收入', '其他收入'],
      ...codedRows(d.items, (xs) => [sumBy(xs, (i) => i.income), sumBy(xs, (i) => i.fiscalIncome), 0, sumBy(xs, (i) => i.shiyeIncome), 0, 0, sumBy(xs, (i) => i.otherIncome)], true),
    ],
  });
  // 3 支出决算表
  tables.push({
    title: '支出决算表',
    headerRows: 1,
    coded: true,
    cols: [CODE, LABEL, AMOUNT, AMOUNT, AMOUNT, AMOUNT, AMOUNT, AMOUNT],
    rows: [
      ['科目编码', '科目名称', '本年支出合计', '基本支出', '项目支出', '上缴上级支出', '经营支出', '对附属单位补助支出'],
      ...codedRows(d.items, (xs) => [sumBy(xs, (i) => i.exp), sumBy(xs, (i) => i.basic), sumBy(xs, (i) => i.project), 0, 0, 0], true),
    ],
  });
  // 4 财政拨款收入支出决算总表
  {
    const left = [['一、一般公共预算财政拨款', d.I.gen], ['二、政府性基金预算财政拨款', d.I.fund], ['三、国有资本经营预算财政拨款', 0]];
    const right = classesOf((xs) => [sumBy(xs, (i) => i.fiscalExp), sumBy(xs, (i) => i.gen), sumBy(xs, (i) => i.fundProject)]).map((c, k) => [`${NUMERALS[k]}、${c.name}`, ...c.v]);
    const rows = [['收入', '<', '支出', '<', '<', '<'], ['项目', '决算数', '项目', '合计', '一般公共预算财政拨款', '政府性基金预算财政拨款']];
    for (let k = 0; k < Math.max(left.length, right.length); k++) {
      const l = left[k];
      const r = right[k];
      rows.push([l ? l[0] : '', l ? f2(l[1]) : '', ...(r ? [r[0], ...r.slice(1).map((v) => f2(v))] : ['', '', '', ''])]);
    }
    const fe = d.E.gen + d.E.fund;
    rows.push(['本年收入合计', f2(d.I.gen + d.I.fund), '本年支出合计', f2(fe), f2(d.E.gen), f2(d.E.fund)]);
    rows.push(['年初财政拨款结转和结余', f2(d.genB0 + d.fundB0), '年末财政拨款结转和结余', f2(d.genB1 + d.fundB1), f2(d.genB1), f2(d.fundB1)]);
    const t = d.I.gen + d.I.fund + d.genB0 + d.fundB0;
    rows.push(['总计', f2(t), '总计', f2(fe + d.genB1 + d.fundB1), f2(d.E.gen + d.genB1), f2(d.E.fund + d.fundB1)]);
    tables.push({ title: '财政拨款收入支出决算总表', headerRows: 2, cols: [{ kind: 'label', w: 190 }, { kind: 'amount', w: 70 }, { kind: 'label', w: 190 }, AMOUNT, { kind: 'amount', w: 85 }, { kind: 'amount', w: 85 }], rows });
  }
  // 5 一般公共预算财政拨款支出决算表 (merged 本年支出 header, 0.00 for nil)
  tables.push({
    title: '一般公共预算财政拨款支出决算表',
    headerRows: 2,
    coded: true,
    cols: [CODE, LABEL, { kind: 'amount', w: 80 }, { kind: 'amount', w: 80 }, { kind: 'amount', w: 80 }],
    rows: [
      ['科目编码', '科目名称', '本年支出', '<', '<'],
      ['^', '^', '合计', '基本支出', '项目支出'],
      ...codedRows(d.items, (xs) => [sumBy(xs, (i) => i.gen), sumBy(xs, (i) => i.genBasic), sumBy(xs, (i) => i.genProject)], false, (i) => i.gen > 0),
    ],
  });
  // 6 一般公共预算财政拨款基本支出决算表 (经济分类)
  {
    const rows = [['科目编码', '科目名称', '合计', '人员经费', '公用经费'], ['合计', '<', f2(d.E.genBasic), f2(d.personnel), f2(d.publicFunds)]];
    const sides = (side, v) => (side === 'P' ? [f2(v), ''] : ['', f2(v)]);
    for (const e of d.econ) {
      rows.push([e.code, e.name, f2(e.amount), ...sides(e.side, e.amount)]);
      for (const s of e.subs) rows.push([s.code, s.name, f2(s.amount), ...sides(e.side, s.amount)]);
    }
    tables.push({ title: '一般公共预算财政拨款基本支出决算表', headerRows: 1, coded: true, cols: [CODE, LABEL, { kind: 'amount', w: 80 }, { kind: 'amount', w: 80 }, { kind: 'amount', w: 80 }], rows });
  }
  // 7 “三公”经费
  {
    const s = d.sg;
    tables.push({
      title: '一般公共预算财政拨款“三公”经费支出决算表',
      headerRows: 1,
      cols: [{ kind: 'label', w: 260 }, { kind: 'amount', w: 100 }, { kind: 'amount', w: 100 }],
      rows: [
        ['项目', '预算数', '决算数'],
        ['因公出国（境）费', '0.00', '0.00'],
        ['公务用车购置及运行维护费', f2(s.budgetVehicle), f2(s.vehicle)],
        ['其中：公务用车购置费', '0.00', '0.00'],
        ['公务用车运行维护费', f2(s.budgetRun), f2(s.run)],
        ['公务接待费', f2(s.budgetReception), f2(s.reception)],
        ['合计', f2(s.budgetTotal), f2(s.total)],
      ],
    });
  }
  return tables;
}

/** The disclosure as parts (portrait / landscape) of blocks: title, part, h1, h2, body, caption, unit, table. */
function buildDocument(d) {
  const tables = buildTables(d);
  const p = (text) => ({ kind: 'body', text });
  const { I, E, sg } = d;
  const fe = E.gen + E.fund;
  const first = [
    { kind: 'title', text: `${ORG}${YEAR}年度部门决算` },
    { kind: 'part', text: '第一部分 部门概况' },
    { kind: 'h1', text: '一、部门职责' },
    p('贯彻执行党和国家的路线方针政策以及上级党委、政府的决策部署，讨论决定本镇经济建设、社会发展和民生保障中的重大问题；负责本镇经济发展规划的组织实施，优化营商环境，促进农业增效、农民增收和农村发展。'),
    p('承担本镇社会治安综合治理、安全生产、应急管理、防灾减灾和生态环境保护的属地责任，组织实施基本公共服务，做好社会保障、卫生健康、文化体育、退役军人服务和民政救助等工作，指导村（居）民委员会开展自治活动。'),
    { kind: 'h1', text: '二、机构设置' },
    p('本部门内设机构6个，分别是：党政综合办公室、经济发展办公室、社会事务办公室、平安建设办公室、自然资源和生态环境办公室、农业农村办公室。下属事业单位4个，分别是：便民服务中心、综合行政执法队、农业综合服务中心、退役军人服务站。'),
    p(`截至${YEAR}年12月31日，本部门编制数52人，其中：行政编制30人、事业编制22人；实有人数49人，其中：行政人员24人、事业人员25人。离退休人员31人，其中：离休人员0人、退休人员31人。`),
  ];
  const tablePart = [{ kind: 'part', text: `第二部分 ${YEAR}年度部门决算表` }];
  for (const t of tables) tablePart.push({ kind: 'caption', text: t.title }, { kind: 'unit', text: '单位：万元' }, { kind: 'table', ...t });

  const classList = d.genClasses.map((c, k) => `${c.name}${wan(c.amount)}，占${pct(d.classShares[k])}`).join('；');
  const genItems = d.items.filter((i) => i.gen > 0);
  const detail = genItems.map((it, k) => {
    const head = `${k + 1}．${it.leiName}（类）${it.kuanName}（款）${it.name}（项）：`;
    if (it.budget === 0) return p(`${head}年初预算为0万元，支出决算为${wan(it.gen)}。决算数大于年初预算数的主要原因是年中追加了相关工作经费。`);
    const why =
      it.gen > it.budget ? '决算数大于年初预算数的主要原因是年中追加了相关工作经费。' : it.gen < it.budget ? '决算数小于年初预算数的主要原因是严格控制一般性支出，部分工作按进度结转。' : '决算数与年初预算数持平。';
    return p(`${head}年初预算为${wan(it.budget)}，支出决算为${wan(it.gen)}，完成年初预算的${pct(bp(it.gen, it.budget))}。${why}`);
  });
  const fundClasses = CATALOG.map(([lc, ln]) => ({ name: ln, v: sumBy(d.items.filter((i) => i.lei === lc), (i) => i.fundProject) })).filter((c) => c.v > 0);
  const third = [
    { kind: 'part', text: `第三部分 ${YEAR}年度部门决算情况说明` },
    { kind: 'h1', text: '一、收入支出决算总体情况说明' },
    p(`${YEAR}年度收入总计${wan(d.total)}，支出总计${wan(d.total)}。本年收入合计${wan(I.total)}，比上年增加${wan(d.chIncome.d)}，增长${pct(d.chIncome.rate)}；本年支出合计${wan(E.total)}，比上年增加${wan(d.chExp.d)}，增长${pct(d.chExp.rate)}。收支增加的主要原因是乡村振兴、农村基础设施和防汛项目投入增加。年初结转和结余${wan(d.B0)}，年末结转和结余${wan(d.B1)}。`),
    { kind: 'h1', text: '二、收入决算情况说明' },
    p(`${YEAR}年度本年收入合计${wan(I.total)}，其中：一般公共预算财政拨款收入${wan(I.gen)}，占${pct(d.incomeShares[0])}；政府性基金预算财政拨款收入${wan(I.fund)}，占${pct(d.incomeShares[1])}；事业收入${wan(I.shiye)}，占${pct(d.incomeShares[2])}；其他收入${wan(I.other)}，占${pct(d.incomeShares[3])}。`),
    { kind: 'h1', text: '三、支出决算情况说明' },
    p(`${YEAR}年度本年支出合计${wan(E.total)}，其中：基本支出${wan(E.basic)}，占${pct(d.expShares[0])}；项目支出${wan(E.project)}，占${pct(d.expShares[1])}。基本支出主要用于保障机关和所属事业单位正常运转，项目支出主要用于乡村振兴、农村基础设施建设、防汛和环境整治等。`),
    { kind: 'h1', text: '四、财政拨款收入支出决算总体情况说明' },
    p(`${YEAR}年度财政拨款收入支出总计${wan(I.gen + I.fund + d.genB0 + d.fundB0)}。财政拨款收入${wan(I.gen + I.fund)}，年初财政拨款结转和结余${wan(d.genB0 + d.fundB0)}；财政拨款支出${wan(fe)}，年末财政拨款结转和结余${wan(d.genB1 + d.fundB1)}。`),
    { kind: 'h1', text: '五、一般公共预算财政拨款支出决算情况说明' },
    { kind: 'h2', text: '（一）一般公共预算财政拨款支出决算总体情况' },
    p(`${YEAR}年度一般公共预算财政拨款支出${wan(E.gen)}，占本年支出合计的${pct(bp(E.gen, E.total))}。与上年相比，一般公共预算财政拨款支出增加${wan(d.chGen.d)}，增长${pct(d.chGen.rate)}，主要原因是农村人居环境整治和防汛救灾支出增加。`),
    { kind: 'h2', text: '（二）一般公共预算财政拨款支出决算结构情况' },
    p(`${YEAR}年度一般公共预算财政拨款支出${wan(E.gen)}，具体为：${classList}。`),
    { kind: 'h2', text: '（三）一般公共预算财政拨款支出决算具体情况' },
    ...detail,
    { kind: 'h1', text: '六、一般公共预算财政拨款基本支出决算情况说明' },
    p(`${YEAR}年度一般公共预算财政拨款基本支出${wan(E.genBasic)}，其中：人员经费${wan(d.personnel)}，主要包括基本工资、津贴补贴、奖金、伙食补助费、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、住房公积金、退休费、生活补助等；公用经费${wan(d.publicFunds)}，主要包括办公费、印刷费、水费、电费、邮电费、物业管理费、差旅费、维修（护）费、会议费、培训费、公务接待费、劳务费、工会经费、福利费、公务用车运行维护费、其他交通费用、办公设备购置等。`),
    { kind: 'h1', text: '七、一般公共预算财政拨款“三公”经费支出决算情况说明' },
    p(`${YEAR}年度一般公共预算财政拨款“三公”经费支出预算为${wan(sg.budgetTotal)}，支出决算为${wan(sg.total)}，完成预算的${pct(bp(sg.total, sg.budgetTotal))}。决算数小于预算数的主要原因是严格落实过紧日子要求，压减一般性支出。`),
    p(`1．因公出国（境）费支出决算为0万元，全年未安排因公出国（境）团组。`),
    p(`2．公务用车购置及运行维护费支出决算为${wan(sg.vehicle)}，完成预算的${pct(bp(sg.vehicle, sg.budgetVehicle))}。其中：公务用车购置费0万元；公务用车运行维护费${wan(sg.run)}，主要用于防汛巡查、安全生产检查和应急处置等工作所需车辆的燃料、维修和保险。截至${YEAR}年12月31日，本部门公务用车保有量3辆。`),
    p(`3．公务接待费支出决算为${wan(sg.reception)}，完成预算的${pct(bp(sg.reception, sg.budgetReception))}，主要用于接待上级部门工作检查指导和兄弟乡镇业务交流。全年国内公务接待26批次，158人次。`),
    { kind: 'h1', text: '八、政府性基金预算财政拨款收入支出决算情况说明' },
    p(`${YEAR}年度政府性基金预算财政拨款收入${wan(I.fund)}，政府性基金预算财政拨款支出${wan(E.fund)}，具体为：${fundClasses.map((c) => `${c.name}${wan(c.v)}`).join('，')}。`),
    { kind: 'h1', text: '九、国有资本经营预算财政拨款支出决算情况说明' },
    p(`本部门${YEAR}年度无国有资本经营预算财政拨款收支，故国有资本经营预算财政拨款支出决算表为空表，未列示。`),
    { kind: 'h1', text: '十、其他重要事项的情况说明' },
    { kind: 'h2', text: '（一）机关运行经费支出情况' },
    p(`${YEAR}年度本部门机关运行经费支出${wan(d.running)}，比上年减少${wan(d.runningDown)}，下降${pct(bp(d.runningDown, d.running + d.runningDown))}，主要原因是压减会议费和培训费等支出。`),
    { kind: 'h2', text: '（二）政府采购支出情况' },
    p(`${YEAR}年度本部门政府采购支出总额${wan(d.procurement)}，其中：政府采购货物支出${wan(d.goods)}、政府采购工程支出${wan(d.works)}、政府采购服务支出${wan(d.services)}。授予中小企业合同金额${wan(d.sme)}，占政府采购支出总额的${pct(bp(d.sme, d.procurement))}，其中：授予小微企业合同金额${wan(d.micro)}，占授予中小企业合同金额的${pct(bp(d.micro, d.sme))}。`),
    { kind: 'h2', text: '（三）国有资产占用情况' },
    p(`截至${YEAR}年12月31日，本部门共有车辆3辆，其中：一般公务用车1辆、执法执勤用车2辆；单价100万元以上专用设备0台（套）。`),
    { kind: 'h2', text: '（四）预算绩效管理情况' },
    p(`根据预算绩效管理要求，本部门组织对${YEAR}年度一般公共预算项目支出全面开展绩效自评，共涉及项目${genItems.filter((i) => i.genProject > 0).length}个，资金${wan(E.genProject)}，自评覆盖率100%。从自评情况看，各项目基本完成年度绩效目标，资金使用规范，群众满意度较高。`),
  ];
  const fourth = [
    { kind: 'part', text: '第四部分 名词解释' },
    p('1．财政拨款收入：指本级财政当年拨付的资金，包括一般公共预算财政拨款和政府性基金预算财政拨款。'),
    p('2．事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。'),
    p('3．其他收入：指单位取得的除上述收入以外的各项收入，主要是存款利息收入等。'),
    p('4．年初结转和结余：指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金，或项目已完成等产生的结余资金。'),
    p('5．基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。'),
    p('6．项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。'),
    p('7．“三公”经费：指部门用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。'),
    p('8．机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务等的各项资金。'),
  ];
  return { tables, parts: [{ landscape: false, blocks: first }, { landscape: true, blocks: tablePart }, { landscape: false, blocks: [...third, ...fourth] }] };
}

// =============================================================================================== self-check (integer 分)

const centsOf = (text) => {
  const t = (text ?? '').replace(/[\s,]/g, '');
  if (t === '' || t === '<' || t === '^') return 0;
  const m = /^(\d+)\.(\d{2})$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number(m[2]);
};

/** Verifies the generated tables' relations without src/: code roll-ups, 合计 rows and columns, both sides' 总计. */
function verify(d, tables) {
  const fail = (msg) => {
    throw new Error(`generated data inconsistent: ${msg}`);
  };
  for (const t of tables) {
    const data = t.rows.slice(t.headerRows);
    if (t.coded) {
      const valueCols = t.rows[0].length - 2;
      for (let c = 2; c < 2 + valueCols; c++) {
        const rowsOf = (len, prefix) => data.filter((r) => r[0].length === len && r[0].startsWith(prefix));
        const total = centsOf(data[0][c]);
        const leis = rowsOf(3, '');
        if (leis.reduce((a, r) => a + centsOf(r[c]), 0) !== total) fail(`${t.title} col ${c}: 合计 ≠ Σ 类`);
        for (const lei of leis) {
          const kuans = rowsOf(5, lei[0]);
          if (kuans.reduce((a, r) => a + centsOf(r[c]), 0) !== centsOf(lei[c])) fail(`${t.title} ${lei[0]} col ${c}`);
          for (const kuan of kuans) {
            const xiangs = rowsOf(7, kuan[0]);
            if (xiangs.length && xiangs.reduce((a, r) => a + centsOf(r[c]), 0) !== centsOf(kuan[c])) fail(`${t.title} ${kuan[0]} col ${c}`);
          }
        }
      }
      for (const r of data) {
        const v = r.slice(2).map(centsOf);
        if (v.slice(1).reduce((a, b) => a + b, 0) !== v[0]) fail(`${t.title} row ${r[0]}: 合计 column ≠ Σ`);
      }
    }
  }
  const byTitle = (s) => tables.find((t) => t.title === s);
  const two = byTitle('收入支出决算总表').rows.slice(2);
  const col = (rows, c, pred) => rows.filter(pred).reduce((a, r) => a + centsOf(r[c]), 0);
  const at = (rows, label, c) => centsOf(rows.find((r) => r[c - 1] === label)[c]);
  const items = (r, c) => /^[一二三四五六七八九十]+、/.test(r[c - 1]);
  if (col(two, 1, (r) => items(r, 1)) !== at(two, '本年收入合计', 1)) fail('收入支出决算总表: 本年收入合计');
  if (col(two, 3, (r) => items(r, 3)) !== at(two, '本年支出合计', 3)) fail('收入支出决算总表: 本年支出合计');
  if (at(two, '本年收入合计', 1) + at(two, '使用非财政拨款结余', 1) + at(two, '年初结转和结余', 1) !== at(two, '总计', 1)) fail('收入总计');
  if (at(two, '本年支出合计', 3) + at(two, '结余分配', 3) + at(two, '年末结转和结余', 3) !== centsOf(two[two.length - 1][3])) fail('支出总计');
  if (at(two, '总计', 1) !== centsOf(two[two.length - 1][3])) fail('收入总计 ≠ 支出总计');
  const fin = byTitle('财政拨款收入支出决算总表').rows.slice(2);
  for (const c of [3, 4, 5]) {
    if (col(fin, c, (r) => items(r, 3)) !== centsOf(fin.find((r) => r[2] === '本年支出合计')[c])) fail(`财政拨款收入支出决算总表 col ${c}`);
    const last = fin[fin.length - 1];
    if (centsOf(fin.find((r) => r[2] === '本年支出合计')[c]) + centsOf(fin.find((r) => r[2] === '年末财政拨款结转和结余')[c]) !== centsOf(last[c])) fail('财政拨款 总计');
  }
  for (const r of fin) if (r[3] && centsOf(r[3]) !== centsOf(r[4]) + centsOf(r[5])) fail(`财政拨款 row ${r[2]}: 合计`);
  if (col(fin, 1, (r) => items(r, 1)) + centsOf(fin.find((r) => r[0] === '年初财政拨款结转和结余')[1]) !== centsOf(fin[fin.length - 1][1])) fail('财政拨款 收入总计');
  if (centsOf(fin[fin.length - 1][1]) !== centsOf(fin[fin.length - 1][3])) fail('财政拨款 收入总计 ≠ 支出总计');
  const sgRows = byTitle('一般公共预算财政拨款“三公”经费支出决算表').rows;
  for (const c of [1, 2]) {
    const v = (label) => centsOf(sgRows.find((r) => r[0] === label)[c]);
    if (v('因公出国（境）费') + v('公务用车购置及运行维护费') + v('公务接待费') !== v('合计')) fail('三公 合计');
    if (v('其中：公务用车购置费') + v('公务用车运行维护费') !== v('公务用车购置及运行维护费')) fail('三公 公务用车');
  }
  // the narrative's sums
  if (d.E.basic + d.E.project !== d.E.total || d.personnel + d.publicFunds !== d.E.genBasic) fail('narrative sums');
  if (d.goods + d.works + d.services !== d.procurement || d.micro > d.sme || d.sme > d.procurement) fail('procurement');
}

// =============================================================================================== rendering

const MARKER = /^[<^]$/;
const BODY_FONT = { ascii: 'Noto Serif CJK SC', eastAsia: 'Noto Serif CJK SC', hAnsi: 'Noto Serif CJK SC' };
const HEAD_FONT = { ascii: 'Noto Sans CJK SC', eastAsia: 'Noto Sans CJK SC', hAnsi: 'Noto Sans CJK SC' };
const ZH_CN = { value: 'zh-CN', eastAsia: 'zh-CN' };
const A4 = { width: 11906, height: 16838 };
const MARGIN = { top: 1247, bottom: 1247, left: 1474, right: 1474 }; // 2.2 / 2.6 cm
const widthOf = (landscape) => (landscape ? A4.height : A4.width) - MARGIN.left - MARGIN.right;

function docxTable(t, textWidth) {
  const cols = t.cols.length;
  const sw = t.cols.reduce((a, c) => a + c.w, 0);
  const widths = t.cols.map((c) => Math.floor((textWidth * c.w) / sw));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: t.rows.map((row, r) => {
      const header = r < t.headerRows;
      const cells = [];
      row.forEach((text, c) => {
        if (MARKER.test(text)) return;
        let columnSpan = 1;
        while (c + columnSpan < cols && row[c + columnSpan] === '<') columnSpan++;
        let rowSpan = 1;
        while (r + rowSpan < t.rows.length && t.rows[r + rowSpan][c] === '^') rowSpan++;
        const kind = t.cols[c].kind;
        cells.push(
          new TableCell({
            width: { size: widths.slice(c, c + columnSpan).reduce((a, b) => a + b, 0), type: WidthType.DXA },
            verticalAlign: VerticalAlign.CENTER,
            ...(columnSpan > 1 ? { columnSpan } : {}),
            ...(rowSpan > 1 ? { rowSpan } : {}),
            children: [
              new Paragraph({
                alignment: header || columnSpan > 1 ? AlignmentType.CENTER : kind === 'amount' ? AlignmentType.RIGHT : AlignmentType.LEFT,
                spacing: { before: 0, after: 0, line: 250, lineRule: LineRuleType.EXACT },
                children: [new TextRun({ text, font: header ? HEAD_FONT : BODY_FONT, bold: header, size: 18, language: ZH_CN })],
              }),
            ],
          }),
        );
      });
      // tableHeader only where true (`tableHeader: false` writes <w:tblHeader w:val="off"/>, which mammoth reads as a header)
      return new TableRow({ ...(header ? { tableHeader: true } : {}), cantSplit: true, children: cells });
    }),
  });
}

async function renderDocx(document) {
  const run = (t, font = BODY_FONT, extra = {}) => new TextRun({ text: t, font, size: 28, language: ZH_CN, ...extra });
  const sections = document.parts.map((part) => {
    const children = [];
    let firstCaption = true;
    for (const b of part.blocks) {
      if (b.kind === 'title') children.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(b.text, HEAD_FONT, { bold: true, size: 40 })] }));
      else if (b.kind === 'part') children.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 }, children: [run(b.text, HEAD_FONT, { bold: true, size: 32 })] }));
      else if (b.kind === 'h1') children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(b.text, HEAD_FONT, { bold: true, size: 30 })] }));
      else if (b.kind === 'h2') children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(b.text, HEAD_FONT, { bold: true })] }));
      else if (b.kind === 'body') children.push(new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 560 }, spacing: { line: 360 }, children: [run(b.text)] }));
      else if (b.kind === 'caption') {
        // each 公开表 on a page of its own
        children.push(new Paragraph({ alignment: AlignmentType.CENTER, pageBreakBefore: !firstCaption, spacing: { after: 120 }, children: [run(b.text, HEAD_FONT, { bold: true, size: 32 })] }));
        firstCaption = false;
      } else if (b.kind === 'unit') children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(b.text, BODY_FONT, { size: 21 })] }));
      else if (b.kind === 'table') children.push(docxTable(b, widthOf(part.landscape)), new Paragraph({ children: [] }));
    }
    return {
      properties: { page: { size: { width: A4.width, height: A4.height, ...(part.landscape ? { orientation: PageOrientation.LANDSCAPE } : {}) }, margin: MARGIN } },
      children,
    };
  });
  const doc = new Document({
    creator: 'crossfoot bench',
    title: document.parts[0].blocks[0].text,
    styles: { default: { document: { run: { font: BODY_FONT, size: 28, language: ZH_CN } } } },
    sections,
  });
  return Packer.toBuffer(doc);
}

/** The TXT form (control): `|` rows, merge markers as empty cells. */
function renderTxt(document) {
  const lines = [];
  for (const part of document.parts) {
    for (const b of part.blocks) {
      if (b.kind === 'table') for (const r of b.rows) lines.push(`| ${r.map((c) => (MARKER.test(c) ? '' : c)).join(' | ')} |`);
      else lines.push(b.text);
    }
  }
  return lines.join('\n') + '\n';
}


/**
 * The borderless variant: pdfkit text, each table cell written at its column's fixed x (labels left, amounts
 * right-aligned to the column's right edge), no rules at all; the header rows repeat on every page of a table.
 */
function renderBorderlessPdf(document) {
  const PORTRAIT = { size: 'A4', layout: 'portrait', margins: { top: 72, bottom: 72, left: 80, right: 74 } };
  const LANDSCAPE = { size: 'A4', layout: 'landscape', margins: { top: 56, bottom: 56, left: 56, right: 56 } };
  const { doc, done } = pdfInMemory({ ...PORTRAIT, autoFirstPage: false, bufferPages: true, info: { Title: document.parts[0].blocks[0].text, CreationDate: FIXED_DATE, ModDate: FIXED_DATE }, lang: 'zh-CN' });
  doc.font('body');
  let layout = PORTRAIT;
  const left = () => doc.page.margins.left;
  const width = () => doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const para = (t, { size = 12, align = 'justify', indent = 24 } = {}) => {
    doc.x = left();
    doc.font('body').fontSize(size).text(t, { width: width(), align, indent, lineGap: 5, paragraphGap: 3 });
  };

  const FS = 9;
  const ROW_H = 14;
  function table(t) {
    const sw = t.cols.reduce((a, c) => a + c.w, 0);
    const widths = t.cols.map((c) => (width() * c.w) / sw);
    const xs = widths.map((_, i) => left() + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const PAD = 3;
    const put = (text, c, span, y, align) => {
      if (!text) return;
      const x0 = xs[c] + PAD;
      const w = widths.slice(c, c + span).reduce((a, b) => a + b, 0) - 2 * PAD;
      let size = FS;
      doc.fontSize(size);
      while (doc.widthOfString(text) > w && size > 6) doc.fontSize((size -= 0.5));
      const tw = doc.widthOfString(text);
      const x = align === 'right' ? x0 + w - tw : align === 'center' ? x0 + (w - tw) / 2 : x0;
      doc.text(text, x, y, { lineBreak: false });
    };
    const drawHeader = () => {
      const top = doc.y;
      t.rows.slice(0, t.headerRows).forEach((row, r) => {
        row.forEach((text, c) => {
          if (MARKER.test(text)) return;
          let span = 1;
          while (c + span < row.length && row[c + span] === '<') span++;
          let down = 1;
          while (r + down < t.headerRows && t.rows[r + down][c] === '^') down++;
          put(text, c, span, top + r * ROW_H + ((down - 1) * ROW_H) / 2, 'center');
        });
      });
      doc.y = top + t.headerRows * ROW_H + 4;
    };
    drawHeader();
    for (const row of t.rows.slice(t.headerRows)) {
      if (doc.y + ROW_H > bottom()) {
        doc.addPage(layout);
        drawHeader();
      }
      const y = doc.y;
      row.forEach((text, c) => {
        if (MARKER.test(text)) return;
        let span = 1;
        while (c + span < row.length && row[c + span] === '<') span++;
        put(text, c, span, y, t.cols[c].kind === 'amount' ? 'right' : span > 1 ? 'center' : 'left');
      });
      doc.y = y + ROW_H;
    }
    doc.x = left();
  }

  for (const part of document.parts) {
    layout = part.landscape ? LANDSCAPE : PORTRAIT;
    doc.addPage(layout);
    let firstCaption = true;
    for (const b of part.blocks) {
      if (b.kind === 'title') {
        doc.moveDown(0.5);
        para(b.text, { size: 18, align: 'center', indent: 0 });
        doc.moveDown(0.5);
      } else if (b.kind === 'part') para(b.text, { size: 15, align: 'center', indent: 0 });
      else if (b.kind === 'h1') para(b.text, { size: 14, align: 'left', indent: 0 });
      else if (b.kind === 'h2') para(b.text, { size: 12, align: 'left', indent: 0 });
      else if (b.kind === 'body') para(b.text);
      else if (b.kind === 'caption') {
        if (!firstCaption) doc.addPage(layout);
        firstCaption = false;
        para(b.text, { size: 15, align: 'center', indent: 0 });
      } else if (b.kind === 'unit') para(b.text, { size: 9, align: 'right', indent: 0 });
      else if (b.kind === 'table') {
        doc.moveDown(0.3);
        table(b);
      }
    }
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(10.5).text(`- ${i + 1} -`, doc.page.margins.left, doc.page.height - 40, { width: width(), align: 'center', lineBreak: false });
    doc.page.margins.bottom = keep;
  }
  doc.end();
  return done;
}

async function soffice(docx) {
  const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-tables-'));
  try {
    const input = path.join(dir, 'disclosure.docx');
    await writeFile(input, docx);
    await promisify(execFile)('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, input], {
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return await readFile(path.join(dir, 'disclosure.pdf'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// =============================================================================================== measuring

const { readDocument } = await import(pathToFileURL(path.join(ROOT, 'dist/readers/index.js')).href);
const { checkDocument } = await import(pathToFileURL(path.join(ROOT, 'dist/pipeline.js')).href);
const { mergePageTables, ruledTablePages } = await import(pathToFileURL(path.join(ROOT, 'dist/readers/pdf-tables.js')).href);
const { pagesNeedingPositions } = await import(pathToFileURL(path.join(ROOT, 'dist/readers/pdf-text-tables.js')).href);
const { PDFParse } = await import('pdf-parse');
// the same asset resolution as src/readers/pdf.ts
const fromDist = createRequire(path.join(ROOT, 'dist/readers/pdf.js'));
const pdfjsRoot = path.dirname(createRequire(fromDist.resolve('pdf-parse')).resolve('pdfjs-dist/package.json'));
const PDF_OPTIONS = { cMapUrl: path.join(pdfjsRoot, 'cmaps') + path.sep, cMapPacked: true, standardFontDataUrl: path.join(pdfjsRoot, 'standard_fonts') + path.sep, isEvalSupported: false };

async function pdfParse(bytes, fn) {
  const parser = new PDFParse({ data: bytes.slice(), ...PDF_OPTIONS });
  try {
    return await fn(parser);
  } finally {
    await parser.destroy();
  }
}

const METHODS = {
  readDocument: (bytes) => readDocument(bytes),
  checkDocument: (bytes, file) => checkDocument(bytes, { file, includeTimings: true }),
  getText: (bytes) => pdfParse(bytes, (p) => p.getText({ pageJoiner: '' })),
  getTable: (bytes) => pdfParse(bytes, (p) => p.getTable()),
  // for reference: getTable() on only the pages crossfoot's reader sends to it (ruledTablePages of the text)
  'getTable(part)': (bytes, file, pages) => pdfParse(bytes, (p) => p.getTable({ partial: pages })),
};

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

/** Warm-up, then RUNS rounds; within a round every method once, in an order that rotates from round to round. */
async function measure(bytes, file) {
  const text = await METHODS.getText(bytes);
  const ruledPages = ruledTablePages(text.pages.map((p) => p.text));
  const names = Object.keys(METHODS).filter((n) => n !== 'getTable(part)' || ruledPages.length);
  for (let w = 0; w < WARMUP; w++) for (const n of names) await METHODS[n](bytes, file, ruledPages);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const last = {};
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(k + r) % names.length];
      const s = await timed(() => METHODS[n](bytes, file, ruledPages));
      samples[n].push({ ms: s.ms, cpuMs: s.cpuMs });
      last[n] = s.result;
    }
  }
  return { samples, last };
}

function summarize(samples, pages) {
  const ms = samples.map((s) => s.ms);
  const cpu = samples.map((s) => s.cpuMs);
  return {
    medianMs: round(median(ms)),
    minMs: round(Math.min(...ms)),
    maxMs: round(Math.max(...ms)),
    msPerPage: round(median(ms) / pages, 2),
    medianCpuMs: round(median(cpu)),
    cpuMsPerPage: round(median(cpu) / pages, 2),
    runsMs: ms.map((x) => round(x)),
  };
}

const TABLE_RULES = ['core/table-row-totals', 'core/table-code-rollup', 'core/table-column-totals', 'core/table-balance', 'core/text-vs-table'];

/** The table relations alone: each table rule run on its own (checkDocument's onlyRule), its tally. */
async function tableRelations(bytes, file) {
  const out = {};
  for (const rule of TABLE_RULES) {
    const r = await checkDocument(bytes, { file, onlyRule: rule });
    out[rule.replace(/^core\//, '')] = { ...r.checks, findings: r.findings.filter((f) => f.severity !== 'info').length };
  }
  return out;
}
const relationsLine = (rel) =>
  Object.entries(rel).map(([k, v]) => `${k} ${v.run}${v.failed ? ` (${v.failed} failed)` : ''}`).join(', ') + ` = ${Object.values(rel).reduce((a, v) => a + v.run, 0)}`;

/** What a report says about tables and checks. */
function reportFacts(report) {
  const cells = report.figures.filter((f) => f.loc?.table !== undefined);
  const bySeverity = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) bySeverity[f.severity]++;
  return {
    status: report.status,
    error: report.error,
    pages: report.pages,
    documentType: report.documentType,
    tables: report.tables.length,
    tableList: report.tables.map((t) => ({ id: t.id, title: t.title, page: t.page, rows: t.rows, cols: t.cols, unit: t.unit })),
    tableCells: cells.length,
    tablesWithCells: new Set(cells.map((f) => f.loc.table)).size,
    checks: report.checks,
    findings: bySeverity,
    findingList: report.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, page: f.loc?.page, table: f.loc?.table, calculation: f.calculation })),
    warnings: report.warnings,
  };
}

// =============================================================================================== main

const started = performance.now();
const loadStart = loadavg().map((x) => round(x, 2));
if (loadStart[0] > 0.5 * availableParallelism()) log(`note: the machine is busy (load ${loadStart.join(' ')} on ${availableParallelism()} cores); timings will be noisy, CPU ms are given too`);
await mkdir(FILES_DIR, { recursive: true });

const data = makeData(Number(args.seed));
const document = buildDocument(data);
verify(data, document.tables);
const expected = document.tables.map((t) => {
  const body = t.rows.slice(t.headerRows);
  return {
    title: t.title,
    rows: t.rows.length,
    headerRows: t.headerRows,
    cols: t.cols.length,
    codedRows: body.filter((r) => /^\d{3}(\d{2}){0,2}$/.test(r[0])).length,
    amountCells: body.reduce((a, r) => a + r.filter((c) => centsOf(c) !== undefined && /\d/.test(c)).length, 0),
  };
});
log(`data set: seed ${data.seed}; ${expected.length} tables, ${expected.reduce((a, t) => a + t.amountCells, 0)} amount cells; coded rows: ${expected.map((t) => t.codedRows).join(' / ')}`);

const t0 = performance.now();
const docx = await renderDocx(document);
const txt = renderTxt(document);
const borderless = await renderBorderlessPdf(document);
let ruled;
if (!args['no-soffice']) {
  log('converting the DOCX with LibreOffice …');
  try {
    ruled = await soffice(docx);
  } catch (error) {
    log(`LibreOffice conversion failed, measuring the borderless PDF only: ${error.message.split('\n')[0]}`);
  }
}
const renderMs = performance.now() - t0;
await writeFile(path.join(FILES_DIR, 'disclosure.docx'), docx);
await writeFile(path.join(FILES_DIR, 'disclosure.txt'), txt);
await writeFile(path.join(FILES_DIR, 'borderless.pdf'), borderless);
if (ruled) await writeFile(path.join(FILES_DIR, 'ruled.pdf'), ruled);
log(`rendered in ${round(renderMs / 1000)} s → ${path.relative(ROOT, FILES_DIR)}/`);

// controls: the same document as DOCX and TXT (tables read cell by cell)
const controls = {};
for (const [name, bytes] of [['docx', docx], ['txt', Buffer.from(txt)]]) {
  const file = `disclosure.${name}`;
  controls[name] = { ...reportFacts(await checkDocument(new Uint8Array(bytes), { file })), tableRelations: await tableRelations(new Uint8Array(bytes), file) };
}

const pdfs = [...(ruled ? [['ruled', ruled]] : []), ['borderless', borderless]];
const results = {};
for (const [name, buf] of pdfs) {
  const bytes = new Uint8Array(buf);
  log(`${name}.pdf: ${WARMUP} warm-up + ${RUNS} runs of readDocument / checkDocument / getText / getTable …`);
  const loadBefore = loadavg().map((x) => round(x, 2));
  const { samples, last } = await measure(bytes, `${name}.pdf`);
  const report = last.checkDocument;
  const pages = report.pages ?? last.getText.total;
  const timing = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v, pages)]));
  const perPage = last.getTable.pages.map((p) => p.tables.length);
  const raw = last.getTable.pages.map((p) => ({ num: p.num, tables: p.tables }));
  const ratio = (a, b, key) => round(timing[a][key] / timing[b][key], 2);
  results[name] = {
    bytes: bytes.length,
    pages,
    loadAvg: { before: loadBefore, after: loadavg().map((x) => round(x, 2)) },
    timing,
    ratios: {
      readVsGetText: ratio('readDocument', 'getText', 'medianMs'),
      readVsGetTable: ratio('readDocument', 'getTable', 'medianMs'),
      checkVsGetText: ratio('checkDocument', 'getText', 'medianMs'),
      cpuReadVsGetText: ratio('readDocument', 'getText', 'medianCpuMs'),
      cpuReadVsGetTable: ratio('readDocument', 'getTable', 'medianCpuMs'),
    },
    crossfoot: { ...reportFacts(report), tableRelations: await tableRelations(bytes, `${name}.pdf`) },
    // which pages crossfoot's reader sends through its getTable() pass, and which it reads again for text positions
    readerPasses: (() => {
      const texts = last.getText.pages.map((p) => p.text);
      return { ruledTablePages: ruledTablePages(texts), pagesNeedingPositions: pagesNeedingPositions(texts) };
    })(),
    stageMs: report.timingsMs,
    getTable: {
      tablesOnPages: perPage.reduce((a, b) => a + b, 0),
      pagesWithTables: perPage.filter((n) => n > 0).length,
      tablesMergedAcrossPages: mergePageTables(raw).length,
      pagesWithTablesList: last.getTable.pages.filter((p) => p.tables.length).map((p) => p.num),
      cells: raw.reduce((a, p) => a + p.tables.reduce((b, t) => b + t.reduce((c, r) => c + r.length, 0), 0), 0),
    },
  };
}

// ----------------------------------------------------------------------------------------------- print

const pad = (s, n) => String(s).padStart(n);
const padEnd = (s, n) => String(s).padEnd(n);
const lines = [];
lines.push(`table-heavy 部门决算 disclosure (seed ${data.seed}): ${expected.length} tables generated, ${expected.reduce((a, t) => a + t.amountCells, 0)} amount cells; median of ${RUNS} runs after ${WARMUP} warm-up, in-process`);
lines.push(`load average at start ${loadStart.join(' ')} (${availableParallelism()} cores)`);
for (const [name, r] of Object.entries(results)) {
  lines.push('');
  lines.push(`${name}.pdf  ${r.pages} pages, ${round(r.bytes / 1024)} KiB  (load ${r.loadAvg.before[0]} → ${r.loadAvg.after[0]})`);
  const LABELS = { readDocument: '(a) readDocument', checkDocument: '(b) checkDocument', getText: '(c) getText', getTable: '(d) getTable', 'getTable(part)': '    getTable(part)' };
  lines.push(`  ${padEnd('', 20)}${pad('ms', 9)}${pad('ms/page', 9)}${pad('min', 9)}${pad('max', 9)}${pad('cpu ms', 9)}${pad('cpu/page', 10)}`);
  for (const [k, t] of Object.entries(r.timing)) lines.push(`  ${padEnd(LABELS[k] ?? k, 20)}${pad(t.medianMs, 9)}${pad(t.msPerPage, 9)}${pad(t.minMs, 9)}${pad(t.maxMs, 9)}${pad(t.medianCpuMs, 9)}${pad(t.cpuMsPerPage, 10)}`);
  lines.push(`  (a)/(c) readDocument ÷ getText  = ${r.ratios.readVsGetText} (cpu ${r.ratios.cpuReadVsGetText});  (a)/(d) readDocument ÷ getTable = ${r.ratios.readVsGetTable} (cpu ${r.ratios.cpuReadVsGetTable});  checkDocument ÷ getText = ${r.ratios.checkVsGetText}`);
  const c = r.crossfoot;
  lines.push(`  stages (ms): ${Object.entries(r.stageMs ?? {}).map(([k, v]) => `${k} ${round(v)}`).join(', ')}`);
  lines.push(`  crossfoot: ${c.tables} tables (${c.tablesWithCells} with cells), ${c.tableCells} table cells; getTable(): ${r.getTable.tablesOnPages} tables on ${r.getTable.pagesWithTables} pages (${r.getTable.tablesMergedAcrossPages} after merging continued pages), ${r.getTable.cells} cells`);
  const ranges = (xs) => xs.reduce((acc, n) => {
    const lastRange = acc[acc.length - 1];
    if (lastRange && lastRange[1] === n - 1) lastRange[1] = n;
    else acc.push([n, n]);
    return acc;
  }, []).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(',') || 'none';
  lines.push(`  reader passes: getTable() on pages ${ranges(r.readerPasses.ruledTablePages)}; positions on pages ${ranges(r.readerPasses.pagesNeedingPositions)}; getTable() finds tables on pages ${ranges(r.getTable.pagesWithTablesList)}`);
  lines.push(`  table relations checked: ${relationsLine(c.tableRelations)}`);
  lines.push(`  checks: run ${c.checks.run}, passed ${c.checks.passed}, failed ${c.checks.failed}, roundingOnly ${c.checks.roundingOnly}; findings: ${c.findings.error} error, ${c.findings.warning} warning, ${c.findings.info} info`);
}
lines.push('');
lines.push('controls (same document, tables read cell by cell):');
for (const [name, c] of Object.entries(controls)) {
  lines.push(`  ${padEnd(name, 5)} ${c.tables} tables, ${c.tableCells} cells; checks run ${c.checks.run} (failed ${c.checks.failed}); findings ${c.findings.error} error, ${c.findings.warning} warning, ${c.findings.info} info`);
  lines.push(`        table relations: ${relationsLine(c.tableRelations)}`);
}
lines.push('');
lines.push('tables generated (rows × cols, coded rows, amount cells):');
for (const e of expected) lines.push(`  ${e.title} ${e.rows}×${e.cols}${e.codedRows ? `, ${e.codedRows} coded rows` : ''}, ${e.amountCells} cells`);
lines.push('tables found by crossfoot (title as read, first page, rows × cols):');
const foundList = [...Object.entries(controls).map(([n, c]) => [`disclosure.${n}`, c]), ...Object.entries(results).map(([n, r]) => [`${n}.pdf`, r.crossfoot])];
for (const [name, c] of foundList) {
  lines.push(`  ${name}:`);
  for (const t of c.tableList) lines.push(`    ${t.id} ${t.title ?? '(no title)'}${t.page ? ` p${t.page}` : ''} ${t.rows}×${t.cols}`);
}
const allFindings = [...Object.entries(results).map(([n, r]) => [`${n}.pdf`, r.crossfoot]), ...Object.entries(controls).map(([n, c]) => [`disclosure.${n}`, c])];
for (const [name, c] of allFindings) {
  if (!c.findingList.length) continue;
  lines.push('');
  lines.push(`findings on ${name}:`);
  for (const f of c.findingList) lines.push(`  [${f.severity}] ${f.ruleId}${f.page ? ` p${f.page}` : ''}${f.table ? ` ${f.table}` : ''}: ${f.message}`);
}
console.log(lines.join('\n'));

const out = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  cores: availableParallelism(),
  loadAvgAtStart: loadStart,
  loadAvgAtEnd: loadavg().map((x) => round(x, 2)),
  runs: RUNS,
  warmup: WARMUP,
  seed: data.seed,
  renderMs: round(renderMs),
  expected,
  results,
  controls,
  totalMs: round(performance.now() - started),
};
await writeFile(path.join(OUT_DIR, 'tables.json'), JSON.stringify(out, null, 2) + '\n');
log(`wrote ${path.relative(ROOT, path.join(OUT_DIR, 'tables.json'))} (${round((performance.now() - started) / 1000)} s in all)`);
