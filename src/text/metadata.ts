import { opensSection } from '../outline.js';
import type { Block } from '../readers/types.js';

/** Title, fiscal year and organisation as the report states them in its opening lines. */
export interface DocumentHeader {
  title?: string;
  fiscalYear?: number;
  /**
   * Where the fiscal year was read: the title, the section headings (第二部分 2023年度单位决算情况说明), or the
   * body's statements of its own money (本单位2023年度总收入…) when the document has neither, as excerpts do.
   */
  fiscalYearFrom?: 'title' | 'heading' | 'body';
  organization?: string;
}

/** Lines that date the publication, not the period: 公开时间：2023年9月30日, 发布日期, 2019年修订. */
const PUBLICATION_LINE = /(?:公开|发布|印发|成文|生成|打印|更新|修订|填报|报送)(?:时间|日期)|^(?:日期|时间)[:：]/;
/** What may follow a year that names a period: 年 or 年度, but not a month (a date), a revision or a span. */
const NOT_PERIOD_AFTER = /^\s*年(?:度)?\s*(?:\d{1,2}\s*月|修订|修正|印发|发布|公布|版|起|以来|至|[-—~－])/;
/** What may precede it: a comparison base (比2022年, 较2022年度决算数, 与2022年相比) is another period. */
const NOT_PERIOD_BEFORE = /(?:比|较|与|同|对比|相比|截至|截止|自|从|于|至|[-—~－])\s*$/;
/** A body statement of the report's own money: 2023年度总收入, 2023年部门决算, 2023年预算安排. */
const OWN_MONEY_AFTER = /^\s*(?:年度|年)[\p{Script=Han}“”"]{0,8}?(?:决算|预算|总收入|总支出|收入|支出|绩效|三公)/u;

const REPORT_WORDS = /报告|说明|决算|预算|情况|公开|自评|绩效/;
const EXPLICIT_ORG = /(?:预算主管部门|主管部门|预算单位|单位名称|部门名称|填报单位|项目单位|实施单位|评价单位)\s*[:：]\s*([^\s,，;；。]{2,40})/;
const TYPE_TAIL =
  /(?:部门整体支出|整体支出|部门|单位|本级|项目支出|项目)?(?:区级|县级|市级)?(?:“三公”经费|"三公"经费|三公经费|绩效|决算|预算|整体|收支|财政拨款|一般公共).*$/;

function cleanLine(text: string): string {
  return text.replace(/\[bookmark:[^\]]*\]/g, '').replace(/\s+/g, '').trim();
}

/** How report titles end: 报告, 说明, 预算公开, 自评表, optionally a parenthetical (草案). */
const TITLE_END = /(?:报告|说明|决算|预算|情况|公开|自评表?|评价|表|表格|文件|信息)(?:[(（][^)）]{1,12}[)）])?$/;

/** A line that can be a title: short, no sentence punctuation, not a publication date or an outline heading. */
function titleLike(t: string): boolean {
  return t.length <= 80 && TITLE_END.test(t) && !/[。；;]|[，,].*[，,]/.test(t) && !PUBLICATION_LINE.test(t) && !opensSection(t);
}

/**
 * The first line among the opening blocks that reads like a report title, or none: a field left empty is better
 * than one filled with a body sentence or a section heading.
 */
function findTitle(blocks: readonly Block[]): string | undefined {
  const opening = blocks.slice(0, 8).map((b) => cleanLine(b.text)).filter((t) => t && !/^附件\d*$/.test(t));
  return opening.find((t) => titleLike(t) && periodYears(t).length > 0) ?? opening.find(titleLike);
}

/** Years in `text` that name a period (2024年, 2024年度), not a date, a revision or a comparison base. */
export function periodYears(text: string): { year: number; index: number }[] {
  const out: { year: number; index: number }[] = [];
  for (const m of text.matchAll(/((?:19|20)\d{2})\s*年/g)) {
    const start = m.index;
    if (NOT_PERIOD_AFTER.test(text.slice(start + 4, start + 16))) continue;
    if (NOT_PERIOD_BEFORE.test(text.slice(Math.max(0, start - 4), start))) continue;
    if (/\d$/.test(text.slice(0, start))) continue;
    out.push({ year: Number(m[1]), index: start });
  }
  return out;
}

/** The most frequent of `years`, when it is clearly the most frequent (else none: a guess would mislead). */
function dominant(years: readonly number[], minimum: number): number | undefined {
  const counts = new Map<number, number>();
  for (const y of years) counts.set(y, (counts.get(y) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || top[1] < minimum || (second && second[1] === top[1])) return undefined;
  return top[0];
}

/** The fiscal year from the section headings, else from the body's statements of its own money. */
function yearFromStructure(blocks: readonly Block[]): Pick<DocumentHeader, 'fiscalYear' | 'fiscalYearFrom'> {
  const lines = blocks.map((b) => ({ text: cleanLine(b.text), heading: b.kind === 'heading' }));
  const headingYears = lines
    .filter((l) => l.text.length <= 60 && (l.heading || opensSection(l.text)) && REPORT_WORDS.test(l.text) && !PUBLICATION_LINE.test(l.text))
    .flatMap((l) => periodYears(l.text).map((y) => y.year));
  const fromHeadings = dominant(headingYears, 1);
  if (fromHeadings !== undefined) return { fiscalYear: fromHeadings, fiscalYearFrom: 'heading' };
  const bodyYears = lines
    .filter((l) => !PUBLICATION_LINE.test(l.text))
    .flatMap((l) => periodYears(l.text).filter((y) => OWN_MONEY_AFTER.test(l.text.slice(y.index + 4, y.index + 20))).map((y) => y.year));
  const fromBody = dominant(bodyYears, 2);
  return fromBody !== undefined ? { fiscalYear: fromBody, fiscalYearFrom: 'body' } : {};
}

/** "项目由某县水务和农村供水服务中心组织实施": the unit a project report names as carrying the project out. */
const IMPLEMENTER = /由([^\s,，;；。（）()]{2,30}?(?:局|委员会|委|办公室|办|院|学校|校|中心|处|所|站|队|会|团|部|厅|馆|政府|社|街道办事处|街道|镇|乡|公司))(?:牵头|组织|负责|具体)?(?:组织)?实施/;

/** Endings of organisation names, so that a sheet's `单位：万元` is never taken for one. */
const ORG_END = '(?:委员会|办公厅|办公室|街道办事处|政府|公司|学校|[局委办院校中心处所站队会团部厅馆社镇乡])';
/**
 * A published sheet's header line: `部门：某某办公厅   单位：万元`. Only read in a document without prose, where the
 * line heads a table; in prose `部门：` may start anything.
 */
const SHEET_ORG = new RegExp(`(?:^|\\s)(?:部门|单位)\\s*[:：]\\s*([^\\s,，;；。:：]{1,40}?${ORG_END})(?=$|\\s|单位|[,，;；])`, 'mu');

function organizationFrom(title: string | undefined, opening: string, tableOnly: boolean): string | undefined {
  const explicit = EXPLICIT_ORG.exec(opening) ?? (tableOnly ? SHEET_ORG.exec(opening) : null);
  if (explicit) return explicit[1];
  if (!title) return undefined;
  // a project's report is titled by the project (某县农村饮水安全巩固提升工程项目支出绩效自评报告): its unit is the
  // one the text says carries it out, and no unit at all rather than the project's name
  // (only a performance report is titled by a project: a 水利工程管理站's 决算说明 is the unit's own, and so is its
  // 部门整体支出 report, which evaluates the whole unit)
  const project = !/整体支出/.test(title) && (/项目|工程/.test(title.replace(/项目支出/g, '')) || /^[^年]*项目[^年]*(?:19|20)\d{2}/.test(title));
  if (project && /绩效|自评|评价/.test(title)) return IMPLEMENTER.exec(opening)?.[1];
  const withoutAnnex = title.replace(/^附件\d*/, '');
  const m = /^(.*?)((?:19|20)\d{2})\s*年度?(.*)$/.exec(withoutAnnex);
  // "2024年度常宁市…中心整体支出绩效评价报告" (after the year) or "寻甸县塘子街道2023年度“三公”经费…" (before it)
  const candidates = m ? [m[1]!, m[3]!] : [withoutAnnex];
  for (const c of candidates) {
    const org = c.replace(TYPE_TAIL, '').replace(/^(?:关于|[:：])/, '').replace(/的$/, '');
    if (org.length >= 2 && /[局委办院校中心处所站队会室团部司厅馆府社街镇乡村区县市省]|公司/.test(org)) return org;
  }
  return undefined;
}

/** A unit's name alone on a line: short, no digits or punctuation, ending as units' names end. */
const UNIT_NAME = /^[\p{Script=Han}（）()]{4,30}(?:局|委员会|委|办公厅|办公室|院|学校|中心|处|所|站|队|会|厅|馆|政府|街道办事处|街道|镇|乡|公司)(?:[（(]本级[)）])?$/u;

/**
 * A cover that sets the unit's name on its own line above a title that starts with the year (江苏某院 / 2019年度部门
 * 预算公开): the line right before the title, when it reads as a unit's name.
 */
function coverName(blocks: readonly Block[], title: string | undefined): string | undefined {
  if (!title || !/^(?:19|20)\d{2}/.test(title)) return undefined;
  const lines = blocks.slice(0, 8).map((b) => cleanLine(b.text));
  const before = lines[lines.indexOf(title) - 1];
  return before && UNIT_NAME.test(before) ? before : undefined;
}

/**
 * The header from the opening lines; `metadataTitle` (the file's own title field) fills in the fiscal year and the
 * organisation only where the text states neither: what the document prints wins over what its file is called.
 */
export function readHeader(blocks: readonly Block[], metadataTitle?: string): DocumentHeader {
  const title = findTitle(blocks);
  const opening = blocks.slice(0, 12).map((b) => b.text).join('\n');
  const header: DocumentHeader = {};
  if (title) header.title = title;
  const titleYear = periodYears(title ?? '')[0];
  if (titleYear) Object.assign(header, { fiscalYear: titleYear.year, fiscalYearFrom: 'title' });
  else Object.assign(header, yearFromStructure(blocks));
  const metadataYear = periodYears(metadataTitle ?? '')[0];
  if (header.fiscalYear === undefined && metadataYear) Object.assign(header, { fiscalYear: metadataYear.year, fiscalYearFrom: 'title' });
  // a document of sheets only (a published 公开表) has hardly a sentence: a 注：…。 under a table at most, where in
  // prose nearly every paragraph ends in one
  const sentences = blocks.reduce((n, b) => n + (b.text.match(/[。！？]/g)?.length ?? 0), 0);
  const tableOnly = sentences * 10 < blocks.length;
  const organization = organizationFrom(title, opening, tableOnly) ?? coverName(blocks, title) ?? (metadataTitle ? organizationFrom(metadataTitle, '', false) : undefined);
  if (organization) header.organization = organization;
  return header;
}

/**
 * The stage a title names: a 预算 (a department's budget, a 三公 预算 说明) may report last year's execution; a 决算
 * reports its own year. None when the title names neither or both.
 */
export function stageOfTitle(title: string | undefined): 'budget' | 'final' | undefined {
  if (!title) return undefined;
  const budget = /预算/.test(title);
  const final = /决算/.test(title);
  return budget === final ? undefined : budget ? 'budget' : 'final';
}
