import type { Figure } from '../figures/types.js';
import { toNumber } from '../figures/decimal.js';
import type { FieldSpec } from './pack-schema.js';
import { compiled } from './regex.js';

/**
 * Named fields (expenditure.total, staff.actual …) for the archive and for reviewers' filters: per field, the
 * first figure of the report's own year whose label (or alias) matches, at the most preferred stage.
 */
/** A budget states its own year's money at the budget stage: that stage comes first, whatever a field prefers. */
const BUDGET_FIRST: FieldSpec['prefer'] = ['budget', 'budget-adjusted', 'budget-initial', 'none'];

/** "一、基本支出", "1.一般公共预算", "（二）项目支出": a sheet's row label without its item number. */
const ITEM_NUMBER = /^(?:[一二三四五六七八九十]+[、.]|\d+[、.]|[(（][一二三四五六七八九十\d]+[)）])/;

function pick(figures: readonly Figure[], spec: FieldSpec, fiscalYear: number | undefined, prefer: FieldSpec['prefer'], cells: boolean): Figure | undefined {
  const re = compiled(spec.label, 'u');
  const matching = figures.filter(
    (f) =>
      f.kind === spec.kind &&
      !f.direction &&
      !f.baseline &&
      !f.pointChange &&
      (cells
        ? // a table cell names its item by its row label alone, and counts only in a stated unit
          f.yuan !== undefined && re.test(f.label.replace(ITEM_NUMBER, ''))
        : re.test(f.label) || re.test(f.key) || (f.aliases ?? []).some((a) => re.test(a))),
  );
  // Figures labelled with another year are a fallback only: the year may be the slip (2023年决算收入 in 2024).
  const ownYear = matching.filter((f) => fiscalYear === undefined || f.labelYear === undefined || f.labelYear === fiscalYear);
  const candidates = ownYear.length ? ownYear : matching;
  for (const stage of prefer) {
    const hit = candidates.find((f) => (f.stage ?? 'none') === stage);
    if (hit) return hit;
  }
  return undefined;
}

/** The text's figures first; a field the text does not state is taken from a table cell (a 公开表 has no prose). */
export function extractFields(
  figures: readonly Figure[],
  specs: readonly FieldSpec[],
  fiscalYear: number | undefined,
  documentType?: string,
  tableFigures: readonly Figure[] = [],
): { fields: Record<string, number>; sources: Record<string, Figure> } {
  const fields: Record<string, number> = {};
  const sources: Record<string, Figure> = {};
  for (const spec of specs) {
    if (spec.id in fields) continue;
    const prefer = documentType === 'budget' ? [...BUDGET_FIRST, ...spec.prefer.filter((s) => !BUDGET_FIRST.includes(s))] : spec.prefer;
    const hit = pick(figures, spec, fiscalYear, prefer, false) ?? pick(tableFigures, spec, fiscalYear, prefer, true);
    if (hit) {
      fields[spec.id] = toNumber(spec.kind === 'amount' ? hit.yuan! : hit.value);
      sources[spec.id] = hit;
    }
  }
  return { fields, sources };
}
