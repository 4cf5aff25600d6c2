import type { Block } from '../readers/types.js';

/** Title, fiscal year and organisation as the report states them in its opening lines. */
export interface DocumentHeader {
  title?: string;
  fiscalYear?: number;
  organization?: string;
}

const REPORT_WORDS = /报告|说明|决算|预算|情况|公开|自评|绩效/;
const EXPLICIT_ORG = /(?:预算主管部门|主管部门|预算单位|单位名称|部门名称|填报单位|项目单位|实施单位|评价单位)\s*[:：]\s*([^\s,，;；。]{2,40})/;
const TYPE_TAIL =
  /(?:部门整体支出|整体支出|部门|单位|本级|项目支出|项目)?(?:区级|县级|市级)?(?:“三公”经费|"三公"经费|三公经费|绩效|决算|预算|整体|收支|财政拨款|一般公共).*$/;

function cleanLine(text: string): string {
  return text.replace(/\[bookmark:[^\]]*\]/g, '').replace(/\s+/g, '').trim();
}

/** The first short line among the opening blocks that reads like a report title. */
function findTitle(blocks: readonly Block[]): string | undefined {
  const opening = blocks.slice(0, 8).map((b) => cleanLine(b.text)).filter((t) => t && !/^附件\d*$/.test(t));
  return opening.find((t) => t.length <= 80 && REPORT_WORDS.test(t) && /(?:19|20)\d{2}/.test(t)) ??
    opening.find((t) => t.length <= 80 && REPORT_WORDS.test(t)) ??
    opening[0];
}

function organizationFrom(title: string | undefined, opening: string): string | undefined {
  const explicit = EXPLICIT_ORG.exec(opening);
  if (explicit) return explicit[1];
  if (!title) return undefined;
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

export function readHeader(blocks: readonly Block[]): DocumentHeader {
  const title = findTitle(blocks);
  const opening = blocks.slice(0, 12).map((b) => b.text).join('\n');
  const header: DocumentHeader = {};
  if (title) header.title = title;
  const year = /((?:19|20)\d{2})\s*年/.exec(title ?? '') ?? /((?:19|20)\d{2})\s*年度/.exec(opening);
  if (year) header.fiscalYear = Number(year[1]);
  const organization = organizationFrom(title, opening);
  if (organization) header.organization = organization;
  return header;
}
