import type { PackSet } from '../checks/pack-set.js';
import type { Report } from '../report/schema.js';
import { crossCheck } from './check.js';

/** What storing with the unit needs of an archive (the repository satisfies it; no shell imported here). */
export interface UnitArchive<Outcome> {
  unitReports(organizationKey: string, fromYear: number, toYear: number): Promise<Report[]>;
  addReport(report: Report, text?: string): Promise<Outcome>;
  document(sha256: string): Promise<{ report: Report; text: string } | null>;
}

const crossIds = (r: Report) =>
  r.findings
    .filter((f) => f.ruleId.startsWith('cross/'))
    .map((f) => f.id)
    .sort()
    .join(',');

/** How often a store re-reads its unit when other documents of it were stored meanwhile (by another worker). */
const SETTLE_ROUNDS = 3;

const shas = (reports: readonly Report[]) => reports.map((r) => r.sha256).sort().join(',');

/**
 * Stores a checked report with its cross-document findings against the archived reports of its unit (the year
 * before, the same year and the year after), and re-stores each archived report whose cross-document findings the
 * new one changes: the result does not depend on the order in which a unit's documents arrive. Two workers storing
 * documents of one unit at once each see the other's on a second look, and settle on the same findings.
 */
export async function storeWithUnit<Outcome>(archive: UnitArchive<Outcome>, checked: Report, text: string | undefined, packs: PackSet) {
  const key = checked.status === 'ok' ? checked.identity?.organizationKey : undefined;
  const year = checked.fiscalYear;
  const unitOf = async () =>
    key && year !== undefined ? (await archive.unitReports(key, year - 2, year + 1)).filter((r) => r.sha256 !== checked.sha256) : [];
  let archived = await unitOf();
  let stored: { report: Report; outcome: Outcome } | undefined;
  const updated = new Map<string, Report>();
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
      if (crossIds(neighbour) === crossIds(unit[i]!) && neighbour.crossChecks?.run === unit[i]!.crossChecks?.run) continue;
      const body = await archive.document(neighbour.sha256);
      await archive.addReport(neighbour, body?.text);
      updated.set(neighbour.sha256, neighbour);
    }
    const now = await unitOf();
    if (shas(now) === shas(archived)) break;
    archived = now;
  }
  return { report: stored!.report, outcome: stored!.outcome, updated: [...updated.values()] };
}
