/**
 * Synthetic benchmark corpus: budget-performance reports built from templates with random but internally
 * consistent figures. Every amount is an integer in the report's smallest printed unit (0.01 万元, or 分 for
 * reports in 元), so every sum, share, rate and change is exact before it is printed, and every percentage is
 * rounded half-up to two decimals from exact integers. A correct checker finds nothing in these reports.
 *
 * Text format = fixtures/reports/*.txt: first line title, `一、` / `（一）` headings, `|` table rows.
 * Renderers: DOCX with the `docx` package, PDF with pdfkit (the same layout as test/helpers/render.ts).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import PDFDocument from 'pdfkit';

// ------------------------------------------------------------------------------------------- random

export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  const sample = (arr, k) => {
    const copy = [...arr];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, k);
  };
  return { next, int, pick, chance, sample };
}

// ------------------------------------------------------------------------------------------- numbers

const pad2 = (n) => String(n).padStart(2, '0');

/** n in units of 0.01 (of 万元 or of 元) → "1234.56" or, with separators, "1,234.56". */
function decimal2(n, separators) {
  const whole = Math.floor(n / 100);
  const ws = separators ? whole.toLocaleString('en-US') : String(whole);
  return `${ws}.${pad2(n % 100)}`;
}

/** Percentage in basis points (1/100 %) of part/whole, rounded half-up; exact integer arithmetic. */
export function bp(part, whole) {
  return Math.floor((2 * part * 10000 + whole) / (2 * whole));
}
const pct = (b) => `${Math.floor(b / 100)}.${pad2(b % 100)}%`;

/** Splits `total` into k positive integer parts with random weights. */
function split(rng, total, k, minShare = 0.04) {
  const w = Array.from({ length: k }, () => minShare + rng.next());
  const sum = w.reduce((a, b) => a + b, 0);
  const parts = w.map((x) => Math.max(1, Math.floor((total * x) / sum)));
  parts[k - 1] = total - parts.slice(0, -1).reduce((a, b) => a + b, 0);
  if (parts[k - 1] <= 0) return split(rng, total, k, minShare);
  return parts;
}

/** A split whose rounded shares add up to exactly 100.00%, so no rounding question arises. */
function splitShares(rng, total, k) {
  for (let i = 0; i < 200; i++) {
    const parts = split(rng, total, k);
    const shares = parts.map((p) => bp(p, total));
    if (shares.reduce((a, b) => a + b, 0) === 10000) return { parts, shares };
  }
  // practically unreachable; the last resort is two parts of a round total
  return splitShares(rng, total - (total % 2), k);
}

// ------------------------------------------------------------------------------------------- vocabulary

const PLACES = ['某县', '某区', '某市', '某旗', '某州'];
const DEPARTMENTS = [
  ['农业农村局', '局'],
  ['水利局', '局'],
  ['自然资源局', '局'],
  ['文化和旅游局', '局'],
  ['市场监督管理局', '局'],
  ['卫生健康委员会', '委'],
  ['交通运输局', '局'],
  ['生态环境局', '局'],
  ['民政局', '局'],
  ['档案馆', '馆'],
  ['图书馆', '馆'],
  ['疾病预防控制中心', '中心'],
  ['融媒体中心', '中心'],
  ['林业和草原局', '局'],
];
const UNITS = ['第一中学', '第二中学', '实验小学', '职业技术学校', '人民医院', '妇幼保健院', '社会福利院', '文化馆'];
const OFFICES = [
  '办公室',
  '计划财务股',
  '政策法规股',
  '综合执法大队',
  '行政审批股',
  '人事教育股',
  '安全监管股',
  '规划建设股',
  '项目管理股',
  '信息中心',
  '宣传教育股',
  '监督检查股',
  '业务指导股',
  '后勤服务中心',
];
const PROJECTS = [
  '高标准农田建设补助',
  '农作物病虫害统防统治',
  '动物强制免疫及疫病监测',
  '农村人居环境整治',
  '水利工程维修养护',
  '河道清淤整治',
  '基层文化设施运行',
  '公共图书馆免费开放',
  '老旧小区综合整治',
  '社区养老服务补助',
  '食品安全抽检监测',
  '森林防火能力提升',
  '重点传染病监测',
  '档案数字化加工',
  '应急广播体系建设',
  '乡村道路养护',
];
const FUNCTION_CLASSES = [
  '一般公共服务支出（类）',
  '公共安全支出（类）',
  '教育支出（类）',
  '文化旅游体育与传媒支出（类）',
  '社会保障和就业支出（类）',
  '卫生健康支出（类）',
  '节能环保支出（类）',
  '城乡社区支出（类）',
  '农林水支出（类）',
  '住房保障支出（类）',
];
const FILLER = [
  '贯彻落实上级决策部署，围绕年度重点任务统筹安排预算资金，确保各项工作有序推进。',
  '严格执行财务管理制度，规范资金审批程序，做到专款专用、账务清晰。',
  '项目实施过程中加强跟踪管理，定期调度工作进展，及时解决存在的困难和问题。',
  '部分项目前期论证不够充分，年中调整预算的情况仍然存在。',
  '绩效指标设置偏重产出，效益类和满意度类指标量化不足。',
  '基层专业技术力量不足，人员年龄结构有待优化。',
  '结合年度重点任务细化项目测算，提高预算编制的科学性和准确性。',
  '完善绩效指标体系，增加可量化的效益和满意度指标，强化评价结果应用。',
  '加强业务培训和队伍建设，提升财务管理和绩效管理水平。',
  '建立健全内部控制制度，加强对重点领域和关键环节的监督检查。',
  '主动公开预决算信息，自觉接受社会监督，提高资金使用透明度。',
  '加快预算执行进度，提高资金使用效益，避免资金沉淀。',
  '加强政府采购管理，严格执行采购程序，落实支持中小企业发展政策。',
  '统筹推进信息化建设，提升业务办理效率和公共服务水平。',
  '坚持过紧日子要求，从严控制一般性支出，压减非刚性、非重点支出。',
  '服务对象对项目实施效果总体满意，社会效益和生态效益逐步显现。',
  '项目资金按照合同约定及工程进度拨付，未发现挤占挪用等情况。',
  '加强固定资产管理，定期开展资产清查，做到账实相符。',
];

function filler(rng, min, max) {
  const n = rng.int(min, max);
  const out = [];
  for (let i = 0; i < n; i++) out.push(rng.sample(FILLER, rng.int(2, 4)).join(''));
  return out;
}

const CN_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Builds a report as numbered sections; `h1` numbering is added here so sections can be optional. */
function assemble(title, sections) {
  const lines = [title];
  sections.forEach(([heading, body], i) => {
    lines.push(`${CN_ORDINALS[i]}、${heading}`);
    lines.push(...body);
  });
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------------------------------- templates

function unitMode(rng, allowYuan) {
  const yuan = allowYuan && rng.chance(0.3);
  // amounts are integers in 0.01 of the printed unit
  return yuan
    ? { unit: '元', amt: (n) => `${decimal2(n, true)}元`, scale: (wan) => wan * 10000 + rng.int(0, 99) }
    : { unit: '万元', amt: (n) => `${decimal2(n, false)}万元`, scale: (wan) => wan };
}

function staffSentence(rng) {
  const quota = rng.int(8, 220);
  const actual = rng.int(Math.floor(quota * 0.8), quota);
  return { quota, actual, text: `编制数${quota}人，实有人数${actual}人。` };
}

function officesSentence(rng, word = '内设科室', intro = '分别是') {
  const k = rng.int(2, 7);
  const names = rng.sample(OFFICES, k);
  return `${word}${k}个，${intro}：${names.join('、')}。`;
}

function sangongFinal(rng, m, year, budgetWord = '预算') {
  // final = abroad + vehicle (purchase + running) + reception; budget ≥ final
  const a = rng.chance(0.5) ? 0 : m.scale(rng.int(50, 400));
  const vp = rng.chance(0.6) ? 0 : m.scale(rng.int(1000, 3000));
  const vr = m.scale(rng.int(200, 2000));
  const h = m.scale(rng.int(100, 900));
  const v = vp + vr;
  const fin = a + v + h;
  const bud = fin + m.scale(rng.int(0, 600));
  const text =
    `${year}年度“三公”经费${budgetWord}${m.amt(bud)}，决算${m.amt(fin)}，完成预算的${pct(bp(fin, bud))}。` +
    `其中：因公出国（境）费${m.amt(a)}；公务用车购置及运行维护费${m.amt(v)}（其中：公务用车购置费${m.amt(vp)}，` +
    `公务用车运行维护费${m.amt(vr)}）；公务接待费${m.amt(h)}。`;
  return { text, total: fin };
}

function procurementSentence(rng, m, year) {
  const total = m.scale(rng.int(2000, 80000));
  const [goods, works, services] = split(rng, total, 3);
  const sme = total - Math.floor((total * rng.int(0, 30)) / 100);
  const micro = Math.floor((sme * rng.int(30, 95)) / 100);
  const smeShare = sme === total ? '100%' : pct(bp(sme, total));
  return (
    `${year}年度政府采购支出总额${m.amt(total)}，其中：政府采购货物支出${m.amt(goods)}，政府采购工程支出${m.amt(works)}，` +
    `政府采购服务支出${m.amt(services)}。授予中小企业合同金额${m.amt(sme)}，占政府采购支出总额的${smeShare}，` +
    `其中：授予小微企业合同金额${m.amt(micro)}，占政府采购支出总额的${pct(bp(micro, total))}。`
  );
}

function perfEval(rng, year) {
  const m = unitMode(rng, true);
  const place = rng.pick(PLACES);
  const [dept, short] = rng.pick(DEPARTMENTS);
  const org = `${place}${dept}`;
  const staff = staffSentence(rng);

  const expenditure = m.scale(rng.int(30000, 1500000));
  const { parts: [basic, project], shares: [basicShare, projectShare] } = splitShares(rng, expenditure, 2);
  const fiscal = expenditure + m.scale(rng.int(0, 5000));
  const income = fiscal + m.scale(rng.int(0, 8000));
  const carry = m.scale(rng.int(100, 9000));

  const k = rng.int(2, 6);
  const evaluated = Math.floor((project * rng.int(30, 95)) / 100);
  const amounts = split(rng, evaluated, k, 0.2);
  const names = rng.sample(PROJECTS, k);

  const sangong = sangongFinal(rng, m, year);
  const sections = [
    [
      '部门基本情况',
      [
        '（一）机构设置及人员情况',
        `我${short}为${place.slice(1)}政府工作部门，${officesSentence(rng)}全${short}${staff.text}`,
        '（二）主要职能',
        ...filler(rng, 1, 3),
      ],
    ],
    [
      '部门整体支出管理及使用情况',
      [
        '（一）收入支出情况',
        `${year}年决算收入合计${m.amt(income)}，其中：财政拨款收入${m.amt(fiscal)}。另有上年结转资金${m.amt(carry)}。` +
          `${year}年决算支出合计${m.amt(expenditure)}，其中：基本支出${m.amt(basic)}，占${pct(basicShare)}；` +
          `项目支出${m.amt(project)}，占${pct(projectShare)}。`,
        '（二）“三公”经费支出情况',
        sangong.text,
        '（三）项目支出绩效情况',
        `${year}年项目支出${m.amt(project)}，开展绩效评价的${k}个项目涉及金额${m.amt(evaluated)}，具体为：` +
          names.map((n, i) => `${n}${m.amt(amounts[i])}`).join('，') +
          '。各项目绩效情况如下：',
        ...names.map((n, i) => `${i + 1}、${n}${m.amt(amounts[i])}。${filler(rng, 1, 2).join('')}`),
        '（四）政府采购情况',
        procurementSentence(rng, m, year),
      ],
    ],
    ['存在的主要问题', filler(rng, 1, 6)],
    ['改进措施', filler(rng, 1, 8).map((t, i) => `（${CN_ORDINALS[i]}）${t}`)],
  ];
  return { type: 'perf-eval', text: assemble(`${year}年度${org}部门整体支出绩效评价报告`, sections) };
}

function finalAccounts(rng, year) {
  const m = unitMode(rng, true);
  const place = rng.pick(PLACES);
  const org = `${place}${rng.pick(UNITS)}`;
  const staff = staffSentence(rng);

  const income = m.scale(rng.int(20000, 900000));
  const carryIn = m.scale(rng.int(0, 9000));
  const total = income + carryIn;
  const totalPrev = total - m.scale(rng.int(100, Math.max(200, Math.floor(total / m.scale(1) / 8))));
  const change = total - totalPrev;
  const { parts: incomeParts, shares: incomeShares } = splitShares(rng, income, 3);
  const carryOut = m.scale(rng.int(0, Math.floor(carryIn / m.scale(1)) + 500));
  const expenditure = total - carryOut;
  const { parts: [basic, project], shares: [basicShare, projectShare] } = splitShares(rng, expenditure, 2);
  const [personnel, publicFunds] = split(rng, basic, 2, 0.3);
  const fiscalFinal = Math.floor((expenditure * rng.int(70, 95)) / 100);
  const fiscalBudget = fiscalFinal + m.scale(rng.int(100, 20000));
  const k = rng.int(3, 6);
  const classes = rng.sample(FUNCTION_CLASSES, k);
  const { parts: classParts, shares: classShares } = splitShares(rng, fiscalFinal, k);

  const sangong = sangongFinal(rng, m, year);
  const sgDrop = Math.max(1, Math.floor(sangong.total / rng.int(3, 12)));
  const sgPrev = sangong.total + sgDrop;

  const sections = [
    ['单位基本情况', [`${org}为${place}教育局所属全额拨款事业单位，${officesSentence(rng, '内设机构')}${staff.text}`, ...filler(rng, 0, 2)]],
    [
      '收入支出决算总体情况说明',
      [
        `${year}年度收入、支出决算总计${m.amt(total)}，较${year - 1}年度的${m.amt(totalPrev)}增加${m.amt(change)}，增长${pct(bp(change, totalPrev))}。` +
          filler(rng, 1, 1)[0],
      ],
    ],
    [
      '收入决算情况说明',
      [
        `本年收入合计${m.amt(income)}，其中：财政拨款收入${m.amt(incomeParts[0])}，占${pct(incomeShares[0])}；` +
          `事业收入${m.amt(incomeParts[1])}，占${pct(incomeShares[1])}；其他收入${m.amt(incomeParts[2])}，占${pct(incomeShares[2])}。` +
          `另有年初结转和结余${m.amt(carryIn)}。`,
      ],
    ],
    [
      '支出决算情况说明',
      [
        `本年支出合计${m.amt(expenditure)}，其中：基本支出${m.amt(basic)}，占${pct(basicShare)}；项目支出${m.amt(project)}，占${pct(projectShare)}。` +
          `年末结转和结余${m.amt(carryOut)}。`,
        `基本支出${m.amt(basic)}，其中：人员经费${m.amt(personnel)}，公用经费${m.amt(publicFunds)}。人员经费主要包括基本工资、绩效工资、社会保障缴费等，公用经费主要包括办公费、水电费、维修费等。`,
      ],
    ],
    [
      '财政拨款支出决算情况说明',
      [
        `${year}年度一般公共预算财政拨款支出年初预算为${m.amt(fiscalBudget)}，支出决算为${m.amt(fiscalFinal)}，完成年初预算的${pct(bp(fiscalFinal, fiscalBudget))}。决算数小于预算数的主要原因是部分项目按实际结算减少支出。`,
        `支出决算${m.amt(fiscalFinal)}按功能分类具体为：` +
          classes.map((c, i) => `${c}${m.amt(classParts[i])}，占${pct(classShares[i])}`).join('；') +
          '。',
      ],
    ],
    [
      '“三公”经费支出决算情况说明',
      [`${sangong.text}比上年减少${m.amt(sgDrop)}，下降${pct(bp(sgDrop, sgPrev))}，主要原因是严格控制一般性支出。`],
    ],
    ['政府采购支出情况说明', [procurementSentence(rng, m, year)]],
    ['其他说明', filler(rng, 0, 6)],
  ];
  return { type: 'final-accounts', text: assemble(`${org}${year}年度单位决算说明`, sections) };
}

function budget(rng, year) {
  const m = unitMode(rng, false);
  const place = rng.pick(PLACES);
  const org = `${place}${rng.pick(['某街道办事处', '某镇人民政府', '某乡人民政府'])}`;
  const staff = staffSentence(rng);

  // this year's budget by fund, and last year's, with the general fund up and the fund budget down
  const general = m.scale(rng.int(20000, 900000));
  const fund = m.scale(rng.int(1000, 50000));
  const generalUp = m.scale(rng.int(500, 40000));
  const fundDown = m.scale(rng.int(10, Math.max(20, Math.floor(generalUp / 2))));
  const total = general + fund;
  const prev = general - generalUp + fund + fundDown;
  const change = total - prev;
  const { parts: [basic, project] } = splitShares(rng, total, 2);
  const k = rng.int(3, 6);
  const classes = rng.sample(FUNCTION_CLASSES, k);
  const { parts: classParts, shares: classShares } = splitShares(rng, total, k);
  // 三公: abroad 0, vehicle running, reception; both down on last year
  const vehicle = m.scale(rng.int(200, 1500));
  const reception = m.scale(rng.int(100, 600));
  const vehicleDown = m.scale(rng.int(10, 100));
  const receptionDown = m.scale(rng.int(10, 80));
  const sg = vehicle + reception;
  const sgPrev = sg + vehicleDown + receptionDown;
  const running = m.scale(rng.int(3000, 30000));
  const runningUp = m.scale(rng.int(100, 2000));
  const procurement = m.scale(rng.int(2000, 90000));
  const [goods, works, services] = split(rng, procurement, 3);
  const nProjects = rng.int(4, 30);

  const sections = [
    ['部门基本情况', [`${filler(rng, 1, 1)[0]}${officesSentence(rng, '内设机构', '包括')}核定${staff.text}`]],
    [
      '收支预算总体情况',
      [`${year}年部门收入预算${m.amt(total)}，全部为财政拨款收入。支出预算${m.amt(total)}，其中：基本支出${m.amt(basic)}，项目支出${m.amt(project)}。`],
    ],
    [
      '财政拨款收支预算情况',
      [
        `${year}年财政拨款支出预算${m.amt(total)}，比${year - 1}年预算${m.amt(prev)}增加${m.amt(change)}，增长${pct(bp(change, prev))}。` +
          `其中：一般公共预算拨款支出预算${m.amt(general)}，比${year - 1}年预算增加${m.amt(generalUp)}；` +
          `政府性基金预算拨款支出预算${m.amt(fund)}，比${year - 1}年预算减少${m.amt(fundDown)}。增加的主要原因是民生项目资金增加。`,
      ],
    ],
    [
      '财政拨款支出预算功能分类情况',
      [
        `${year}年财政拨款支出预算${m.amt(total)}按功能分类，具体为：` +
          classes.map((c, i) => `${c}${m.amt(classParts[i])}，占${pct(classShares[i])}`).join('；') +
          '。',
      ],
    ],
    [
      '“三公”经费预算情况',
      [
        `${year}年“三公”经费预算${m.amt(sg)}，比${year - 1}年预算减少${m.amt(vehicleDown + receptionDown)}，下降${pct(bp(vehicleDown + receptionDown, sgPrev))}。` +
          `其中：因公出国（境）费0万元，与上年持平；公务用车购置及运行维护费${m.amt(vehicle)}（其中：公务用车购置费0万元，公务用车运行维护费${m.amt(vehicle)}），` +
          `比${year - 1}年预算减少${m.amt(vehicleDown)}；公务接待费${m.amt(reception)}，比${year - 1}年预算减少${m.amt(receptionDown)}。减少的主要原因是严格落实过紧日子要求，压减一般性支出。`,
      ],
    ],
    [
      '机关运行经费预算情况',
      [`${year}年机关运行经费预算${m.amt(running + runningUp)}，比${year - 1}年预算${m.amt(running)}增加${m.amt(runningUp)}，主要原因是新增办公场所运维费用。`],
    ],
    ['政府采购预算情况', [`${year}年政府采购预算总额${m.amt(procurement)}，其中：货物类${m.amt(goods)}，工程类${m.amt(works)}，服务类${m.amt(services)}。`]],
    [
      '绩效目标设置情况',
      [`${year}年部门预算项目支出${m.amt(project)}全部编制绩效目标，共涉及项目${nProjects}个，其中民生类项目${rng.int(1, nProjects)}个。`, ...filler(rng, 0, 5)],
    ],
  ];
  return { type: 'budget', text: assemble(`${org}${year}年度部门预算说明`, sections) };
}

function sangongReport(rng, year) {
  const w = (n) => decimal2(n, false);
  const place = rng.pick(PLACES);
  const [dept] = rng.pick(DEPARTMENTS);
  const org = `${place}${dept}`;
  // final and budget per part, in 0.01 万元; abroad, vehicle (= purchase + running), reception
  for (;;) {
    const aF = rng.chance(0.4) ? 0 : rng.int(50, 400);
    const vpF = rng.chance(0.7) ? 0 : rng.int(1000, 3000);
    const vrF = rng.int(200, 1500);
    const hF = rng.int(100, 900);
    const vF = vpF + vrF;
    const total = aF + vF + hF;
    const aB = aF + (aF ? rng.int(0, 100) : 0);
    const vpB = vpF + (vpF ? rng.int(0, 300) : 0);
    const vrB = vrF + rng.int(0, 400);
    const hB = hF + rng.int(0, 300);
    const vB = vpB + vrB;
    const totalB = aB + vB + hB;
    const shares = [aF, vF, hF].map((x) => bp(x, total));
    if (shares.reduce((a, b) => a + b, 0) !== 10000) continue;
    // changes on last year: abroad new this year (or flat), vehicle down, reception up; net up
    const dv = rng.int(1, Math.max(2, Math.floor(vF / 5)));
    const dh = rng.int(1, Math.max(2, Math.floor(hF / 3)));
    const da = aF;
    const net = da - dv + dh;
    if (net <= 0) continue;
    const prev = total - net;
    const rows = [
      '| 项目 | 预算数 | 决算数 |',
      `| 合计 | ${w(totalB)} | ${w(total)} |`,
      `| 因公出国（境）费 | ${w(aB)} | ${w(aF)} |`,
      `| 公务用车购置及运行维护费 | ${w(vB)} | ${w(vF)} |`,
      `| 其中：公务用车购置费 | ${w(vpB)} | ${w(vpF)} |`,
      `| 公务用车运行维护费 | ${w(vrB)} | ${w(vrF)} |`,
      `| 公务接待费 | ${w(hB)} | ${w(hF)} |`,
    ];
    const rate = (f, b) => (b ? `，完成预算的${pct(bp(f, b))}` : '');
    const sections = [
      ['“三公”经费预决算表', ['单位：万元', ...rows]],
      [
        '“三公”经费支出总体情况',
        [
          `${year}年度一般公共预算财政拨款“三公”经费支出预算为${w(totalB)}万元，支出决算为${w(total)}万元，完成预算的${pct(bp(total, totalB))}。决算数小于预算数的主要原因是严格落实厉行节约要求。`,
          `与上年相比，“三公”经费支出决算增加${w(net)}万元，增长${pct(bp(net, prev))}。其中：因公出国（境）费${da ? `增加${w(da)}万元（上年无此项支出）` : '与上年持平'}；` +
            `公务用车购置及运行维护费减少${w(dv)}万元；公务接待费增加${w(dh)}万元。`,
        ],
      ],
      [
        '“三公”经费支出具体情况',
        [
          `${year}年度“三公”经费支出决算中，因公出国（境）费${w(aF)}万元，占${pct(shares[0])}；公务用车购置及运行维护费${w(vF)}万元，占${pct(shares[1])}；公务接待费${w(hF)}万元，占${pct(shares[2])}。具体情况如下：`,
          `1、因公出国（境）费${w(aF)}万元，预算${w(aB)}万元${rate(aF, aB)}。${filler(rng, 1, 1)[0]}`,
          `2、公务用车购置及运行维护费${w(vF)}万元，预算${w(vB)}万元${rate(vF, vB)}。其中：公务用车购置费${w(vpF)}万元；公务用车运行维护费${w(vrF)}万元，主要用于执法检查等工作所需车辆的燃料、维修和保险。截至${year}年末，单位公务用车保有量${rng.int(1, 9)}辆。`,
          `3、公务接待费${w(hF)}万元，预算${w(hB)}万元${rate(hF, hB)}。全年国内公务接待${rng.int(5, 60)}批次，${rng.int(60, 400)}人次。`,
        ],
      ],
      ['其他说明', filler(rng, 1, 6)],
    ];
    return { type: 'sangong', text: assemble(`${org}${year}年度“三公”经费决算说明`, sections) };
  }
}

/** One report: a random type, year and size; `seed` makes it reproducible. */
export function makeReport(seed) {
  const rng = makeRng(seed);
  const year = rng.int(2021, 2025);
  const kind = rng.next();
  if (kind < 0.4) return perfEval(rng, year);
  if (kind < 0.7) return finalAccounts(rng, year);
  if (kind < 0.85) return budget(rng, year + 1);
  return sangongReport(rng, year);
}

// ------------------------------------------------------------------------------------------- rendering

const H1 = /^[一二三四五六七八九十]+、/;
const H2 = /^[（(][一二三四五六七八九十]+[）)]/;

function splitRow(line) {
  const cells = line.trim().split('|').map((c) => c.trim());
  if (cells[0] === '') cells.shift();
  if (cells.length && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

export function parseText(text) {
  const blocks = [];
  let titleDone = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('|')) {
      const last = blocks[blocks.length - 1];
      if (last && last.kind === 'table') last.rows.push(splitRow(line));
      else blocks.push({ kind: 'table', rows: [splitRow(line)] });
    } else if (!titleDone) {
      titleDone = true;
      blocks.push({ kind: 'title', text: line });
    } else blocks.push({ kind: H1.test(line) ? 'h1' : H2.test(line) ? 'h2' : 'body', text: line });
  }
  return blocks;
}

const BODY_FONT = { ascii: 'Noto Serif CJK SC', eastAsia: 'Noto Serif CJK SC', hAnsi: 'Noto Serif CJK SC' };
const HEAD_FONT = { ascii: 'Noto Sans CJK SC', eastAsia: 'Noto Sans CJK SC', hAnsi: 'Noto Sans CJK SC' };

export async function renderDocx(text) {
  const blocks = parseText(text);
  const run = (t, font = BODY_FONT, extra = {}) => new TextRun({ text: t, font, size: 28, ...extra });
  const children = [];
  for (const b of blocks) {
    if (b.kind === 'title') {
      children.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [run(b.text, HEAD_FONT, { bold: true, size: 36 })] }));
    } else if (b.kind === 'h1') {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(b.text, HEAD_FONT, { bold: true, size: 32 })] }));
    } else if (b.kind === 'h2') {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(b.text, HEAD_FONT, { bold: true })] }));
    } else if (b.kind === 'body') {
      children.push(new Paragraph({ indent: { firstLine: 560 }, spacing: { line: 360 }, children: [run(b.text)] }));
    } else {
      const cols = Math.max(1, ...b.rows.map((r) => r.length));
      const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
          rows: b.rows.map(
            (r, i) =>
              new TableRow({
                ...(i === 0 ? { tableHeader: true } : {}),
                children: Array.from({ length: cols }, (_, j) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: r[j] ?? '', bold: i === 0, size: 24 })] })] })),
              }),
          ),
        }),
        new Paragraph({ children: [] }),
      );
    }
  }
  const title = blocks.find((b) => b.kind === 'title')?.text ?? '';
  const doc = new Document({ creator: 'crossfoot bench', title, sections: [{ children }] });
  return Packer.toBuffer(doc);
}

export const WQY_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
/** Fixed so that pdfkit output is byte-identical from run to run. */
export const FIXED_DATE = new Date('2026-01-01T00:00:00Z');

/** A pdfkit document writing into memory, with the WenQuanYi font as 'body'; `done` resolves to its bytes. */
export function pdfInMemory(options) {
  const doc = new PDFDocument(options);
  const chunks = [];
  doc.on('data', (c) => chunks.push(c));
  const done = new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('body', WQY_FONT_PATH, 'WenQuanYiMicroHei');
  return { doc, done };
}

export function renderPdf(text) {
  const blocks = parseText(text);
  const { doc, done } = pdfInMemory({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 80, right: 74 },
    bufferPages: true,
    info: { Title: blocks.find((b) => b.kind === 'title')?.text ?? '', CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
    lang: 'zh-CN',
  });
  const para = (t, { size = 14, align = 'justify', indent = 28 } = {}) => {
    doc.x = doc.page.margins.left;
    doc.font('body').fontSize(size).text(t, { align, indent, lineGap: 6, paragraphGap: 4 });
  };
  for (const b of blocks) {
    if (b.kind === 'title') {
      doc.moveDown(0.5);
      para(b.text, { size: 18, align: 'center', indent: 0 });
      doc.moveDown(0.5);
    } else if (b.kind === 'h1') para(b.text, { size: 16, align: 'left', indent: 0 });
    else if (b.kind === 'h2') para(b.text, { size: 14, align: 'left', indent: 0 });
    else if (b.kind === 'body') para(b.text);
    else {
      const cols = Math.max(1, ...b.rows.map((r) => r.length));
      doc.x = doc.page.margins.left;
      doc.font('body').fontSize(12);
      doc.table({
        columnStyles: Array.from({ length: cols }, (_, j) => (j === 0 ? '*' : 90)),
        data: b.rows.map((r, i) => Array.from({ length: cols }, (_, j) => (i > 0 && j > 0 ? { text: r[j] ?? '', align: { x: 'right', y: 'center' } } : r[j] ?? ''))),
      });
      doc.moveDown(0.5);
    }
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(10.5).text(`- ${i + 1} -`, doc.page.margins.left, doc.page.height - 46, {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
