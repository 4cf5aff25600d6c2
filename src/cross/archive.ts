import type { PackSet } from '../checks/pack-set.js';
import { organizationKey } from '../report/identity.js';
import type { Report } from '../report/schema.js';
import { crossCheck } from './check.js';

/** What storing with the unit needs of an archive (the repository satisfies it; no shell imported here). */
export interface UnitArchive<Outcome> {
  unitReports(organizationKey: string, fromYear: number, toYear: number): Promise<Report[]>;
  addReport(report: Report, text?: string): Promise<Outcome>;
  document(sha256: string): Promise<{ report: Report; text: string } | null>;
  unitOverride(sha256: string): Promise<string | null>;
  setUnitOverride(sha256: string, organizationKey: string | null): Promise<void>;
}

const crossIds = (r: Report) =>
  r.findings
    .filter((f) => f.ruleId.startsWith('cross/'))
    .map((f) => f.id)
    .sort()
    .join(',');

/** Whether a re-check against the unit changed a stored report's cross-document results. */
const crossChanged = (stored: Report, again: Report) => crossIds(again) !== crossIds(stored) || again.crossChecks?.run !== stored.crossChecks?.run;

/** The re-checked report of another document, marked with the document that changed it. */
function updatedBy(report: Report, cause: Report): Report {
  if (!report.crossChecks) return report;
  return { ...report, crossChecks: { ...report.crossChecks, updatedBy: { file: cause.file, sha256: cause.sha256 } } };
}

/** How often a store re-reads its unit when other documents of it were stored meanwhile (by another worker). */
const SETTLE_ROUNDS = 3;

const shas = (reports: readonly Report[]) => reports.map((r) => r.sha256).sort().join(',');

/**
 * Stores a checked report with its cross-document findings against the archived reports of its unit (the year
 * before, the same year and the year after), and re-stores each archived report whose cross-document findings the
 * new one changes: the result does not depend on the order in which a unit's documents arrive. Two workers storing
 * documents of one unit at once each see the other's on a second look, and settle on the same findings.
 */
export async function storeWithUnit<Outcome>(archive: UnitArchive<Outcome>, fresh: Report, text: string | undefined, packs: PackSet) {
  // a reviewer's correction of the grouping outlives re-checks
  const override = fresh.status === 'ok' && fresh.identity ? await archive.unitOverride(fresh.sha256) : null;
  const checked: Report = override ? { ...fresh, identity: { ...fresh.identity!, organizationKey: override, grouping: 'manual' } } : fresh;
  const key = checked.status === 'ok' ? checked.identity?.organizationKey : undefined;
  const year = checked.fiscalYear;
  const unitOf = async () =>
    key && year !== undefined ? (await archive.unitReports(key, year - 2, year + 1)).filter((r) => r.sha256 !== checked.sha256) : [];
  let archived = await unitOf();
  let stored: { report: Report; outcome: Outcome } | undefined;
  const updated = new Map<string, { report: Report; outcome: Outcome }>();
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    // the new report can change its own year's and the neighbouring years' findings; those of the year before them
    // are read too, as what last year's reports are held against
    const unit = archived.filter((r) => r.fiscalYear! >= year! - 1);
    const context = archived.filter((r) => r.fiscalYear! < year! - 1);
    const [report, ...neighbours] = crossCheck([checked, ...unit], packs, context);
    const outcome = await archive.addReport(report!, text);
    stored ??= { report: report!, outcome };
    stored.report = report!;
    for (const [i, neighbour] of neighbours.entries()) {
      if (!crossChanged(unit[i]!, neighbour)) continue;
      const marked = updatedBy(neighbour, checked);
      const body = await archive.document(neighbour.sha256);
      updated.set(neighbour.sha256, { report: marked, outcome: await archive.addReport(marked, body?.text) });
    }
    const now = await unitOf();
    if (shas(now) === shas(archived)) break;
    archived = now;
  }
  return { report: stored!.report, outcome: stored!.outcome, updated: [...updated.values()] };
}

/** What a reviewer can say of a document's grouping: it belongs with another document, stands alone, or as read. */
export type Regrouping = { with: string } | { alone: true } | { auto: true };

/** The unit key of a document that stands alone: its own, which no other document's name folds to. */
const aloneKey = (sha256: string) => `#${sha256}`;

/**
 * Re-groups an archived document as a reviewer says, and re-checks both units it leaves and joins: its own
 * findings, and those of the documents whose findings it changed. Returns the document's new report, or null for
 * an unknown document (or an unknown `with` document).
 */
export async function regroup<Outcome>(archive: UnitArchive<Outcome>, sha256: string, change: Regrouping, packs: PackSet): Promise<Report | null> {
  const doc = await archive.document(sha256);
  if (!doc || doc.report.status !== 'ok' || !doc.report.identity) return null;
  const before = doc.report.identity.organizationKey;
  let key: string | null;
  if ('with' in change) {
    const other = await archive.document(change.with);
    if (!other?.report.identity) return null;
    key = other.report.identity.organizationKey ?? aloneKey(other.report.sha256);
    // the other document had no unit of its own: it joins this one's new unit too
    if (!other.report.identity.organizationKey) {
      await archive.setUnitOverride(other.report.sha256, key);
      await storeWithUnit(archive, other.report, other.text, packs);
    }
  } else key = 'alone' in change ? aloneKey(sha256) : null;
  await archive.setUnitOverride(sha256, key);
  // back to the unit read from the document itself
  const { grouping: _manual, organizationKey: _set, ...identity } = doc.report.identity;
  const stated = organizationKey(doc.report.organization);
  const read: Report = key === null ? { ...doc.report, identity: { ...identity, ...(stated ? { organizationKey: stated } : {}) } } : doc.report;
  const { report } = await storeWithUnit(archive, read, doc.text, packs);
  // the unit it left: its documents lose the findings this one gave them
  const year = doc.report.fiscalYear;
  if (before && before !== report.identity?.organizationKey && year !== undefined) {
    const left = await archive.unitReports(before, year - 1, year + 1);
    const context = await archive.unitReports(before, year - 2, year - 2);
    for (const [i, again] of crossCheck(left, packs, context).entries()) {
      if (crossChanged(left[i]!, again)) await archive.addReport(updatedBy(again, doc.report), (await archive.document(again.sha256))?.text);
    }
  }
  return report;
}
