import { z } from 'zod';

/**
 * Which document of a unit's set a report is: the organization (as stated, and a key that full names, short names
 * and (本级) suffixes share), the fiscal year, the scope (a 部门 budget consolidates its units; a 单位 budget is one
 * of them, so their figures differ by design) and the form (the 说明, its 公开表, or both in one file). Documents
 * with the same key are one unit's set; the cross-document rules hold them against each other.
 */
export const IdentitySchema = z.object({
  organizationKey: z.string().optional(),
  scope: z.enum(['department', 'unit']).optional(),
  form: z.enum(['narrative', 'tables', 'both']),
  /** `manual` when a reviewer set the unit (the archive keeps the correction across re-checks). */
  grouping: z.literal('manual').optional(),
});
export type Identity = z.infer<typeof IdentitySchema>;

/**
 * Names for one body written in several ways. Each entry is a rewrite that the genre itself uses (the party and
 * CPPCC committees' short forms, 常务委员会 → 常委会), applied in order; nothing here is a particular unit.
 */
const SHORT_FORMS: readonly [RegExp, string][] = [
  [/[\s“”"'‘’「」()（）]/g, ''],
  [/本级$/, ''],
  [/^中国共产党(.+?)委员会/, '$1委'],
  [/^中共/, ''],
  [/^中国人民政治协商会议(.+?)委员会/, '$1政协'],
  [/人民代表大会常务委员会/, '人大常委会'],
  [/常务委员会/, '常委会'],
  // 省人大办公厅 is the usual short form of 省人大常委会办公厅 (the congress itself has no office of its own)
  [/人大办公厅$/, '人大常委会办公厅'],
  [/(省|市|县|区)委员会/, '$1委'],
];

/** The key one organization's names share; undefined when there is no name to go by. */
export function organizationKey(name: string | undefined): string | undefined {
  if (!name) return undefined;
  let key = name;
  for (const [pattern, replacement] of SHORT_FORMS) key = key.replace(pattern, replacement);
  return key.length >= 2 ? key : undefined;
}

const TABLES_TITLE = /(?:公开表|表格|报表|[^报]表)(?:\.xlsx?)?$/;

interface IdentitySource {
  title?: string | undefined;
  organization?: string | undefined;
  /** Amount figures outside tables (the narrative's) and inside them. */
  proseAmounts: number;
  tableAmounts: number;
}

/**
 * The form from the title when it says (…公开表, …表格), else from where the amounts are: a 说明 states its figures
 * in sentences; a file of sheets has few outside its tables.
 */
function formOf(source: IdentitySource): Identity['form'] {
  const title = (source.title ?? '').replace(/\s+/g, '');
  if (TABLES_TITLE.test(title) && !/说明/.test(title)) return 'tables';
  if (source.tableAmounts > 0 && source.proseAmounts < 10) return 'tables';
  return source.tableAmounts >= 10 ? 'both' : 'narrative';
}

export function identityOf(source: IdentitySource): Identity {
  const identity: Identity = { form: formOf(source) };
  const key = organizationKey(source.organization);
  if (key) identity.organizationKey = key;
  const title = (source.title ?? '').replace(/\s+/g, '');
  if (/单位(?:预算|决算)/.test(title)) identity.scope = 'unit';
  else if (/部门(?:预算|决算)/.test(title)) identity.scope = 'department';
  return identity;
}
