import type { Direction, Stage } from './types.js';

/** Words that introduce parts or lists; they are not part of what a figure measures. */
const LEADING_CONNECTORS =
  /^(?:其中|具体为|具体是|具体如下|分别为|分别是|主要包括|主要为|包括|包含|即|以及|及|和|与|另|并且|并|而|但|均为|全部为|合计为|总计为|共计|共有|共|全年共|全年|本年度|本年|当年|年度|截至|截止)+/;
const TRAILING_FILLERS = /(?:分别|为|是|达到|达|约为|约|共计|累计|共|了|到|的|有)+$/;
const TRAILING_LONE_JI = /(?<![合总小统累])计$/;
// "2026预算安排" drops the 年 that usually follows a year
const ENTITY_BEFORE_YEAR = /^.*?((?:19|20)\d{2})(?:\s*年度?|(?=[预决]算))/;
/** "2.", "（三）", "3、" opening a numbered paragraph: not part of what the figure measures. */
const ITEM_NUMBER = /^(?:\d{1,2}[、.](?!\d)|\(\d{1,2}\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)、?)/;
/** Fund names that contain 预算 without naming a budget stage. */
const FUND_NAMES = /一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算/g;

const STAGE_WORDS: ReadonlyArray<[RegExp, Stage]> = [
  [/年初预算数?|年初预算安排/, 'budget-initial'],
  [/调整后预算数?|调整预算数?|全年预算数?|(?:预算)?(?:调整|调增|调减|追加)(?:为|至|到)$/, 'budget-adjusted'],
  [/决算数?|执行数|实际支出|实际完成|支出数/, 'final'],
  [/安排预算内?|预算内|预算安排|预算数?/, 'budget'],
];

const DIRECTION_WORDS: ReadonlyArray<[RegExp, Direction]> = [
  // a rate may be named by its 幅 (增幅, 降幅, 下降幅度): the same direction, stated as a magnitude
  [/(?:(?:增加|增长|上升|提高|增|涨)(?:幅度?)?|多支出|超支)$/, 'increase'],
  [/(?:(?:减少|下降|降低|减|降)(?:幅度?)?|节约|节省|少支出|压减|缩减)$/, 'decrease'],
  [/持平$/, 'flat'],
];
/** "比上年", "较2023年决算", "同比", "与上年相比": a comparison baseline before a change word. */
const BASELINE = /(?:比|较|同比|环比|与|相比)(上年度?|上一年度?|去年|上年同期|(?:19|20)\d{2}\s*年度?)?[^比较]*$/;

export interface LabelInfo {
  label: string;
  key: string;
  stage?: Stage;
  labelYear?: number;
  direction?: Direction;
  baseline?: string;
}

/** Stage words anywhere in a label; the most specific one wins. */
export function stageOf(label: string): Stage | undefined {
  const withoutFunds = label.replace(FUND_NAMES, '');
  for (const [re, stage] of STAGE_WORDS) if (re.test(withoutFunds)) return stage;
  return undefined;
}

const STAGE_WORDS_GLOBAL = STAGE_WORDS.map(([re]) => new RegExp(re.source, 'g'));

function stripStages(label: string): string {
  // fund names (一般公共预算) keep their 预算: split them out, strip stage words from the rest
  const funds = label.match(FUND_NAMES) ?? [];
  const key = label
    .split(FUND_NAMES)
    .map((piece) => STAGE_WORDS_GLOBAL.reduce((text, re) => text.replace(re, ''), piece))
    .reduce((acc, piece, i) => acc + piece + (funds[i] ?? ''), '');
  if (key === label) return key; // no stage word: 支出 alone names spending, not a stage of the item before
  // "支出决算" / "财政安排预算": what remains names no item; the figure takes the item stated before it
  return key.replace(/^(?:财政安排|财政(?!拨款)|安排|支出|本级)+/, '').replace(/(?:支出)?(?:为|是)$/, '');
}

/**
 * Turns the raw text between a clause start (or the previous figure) and a number into the label of the
 * figure: connectors, the reporting entity and year, and filler verbs are removed; stage, year, direction and
 * baseline are recorded separately.
 */
export function analyseLabel(raw: string): LabelInfo {
  let label = raw.replace(/\s+/g, '').replace(/^[、,;:.()“”"'《》]+/, '').replace(ITEM_NUMBER, '');
  label = label.replace(TRAILING_FILLERS, '');

  // Direction and baseline first: "比2023年决算增加" names a baseline year, not the figure's own year.
  let direction: Direction | undefined;
  let baseline: string | undefined;
  for (const [re, dir] of DIRECTION_WORDS) {
    if (re.test(label)) {
      direction = dir;
      label = label.replace(re, '');
      break;
    }
  }
  const base = BASELINE.exec(label);
  if (base && (direction || base[1])) {
    baseline = base[0];
    label = label.slice(0, base.index);
  }

  let labelYear: number | undefined;
  const yearMatch = ENTITY_BEFORE_YEAR.exec(label);
  if (yearMatch) {
    labelYear = Number(yearMatch[1]);
    label = label.slice(yearMatch[0].length);
  }
  // the stage reads the label before connectors go: 全年预算 is an adjusted budget, 预算 alone is not
  const stage = stageOf(label);
  label = label.replace(LEADING_CONNECTORS, '');
  label = label.replace(TRAILING_FILLERS, '').replace(TRAILING_LONE_JI, '').replace(/[,;:、(（]+$/, '');
  const key = stripStages(label);
  return { label, key, stage, labelYear, direction, baseline };
}
