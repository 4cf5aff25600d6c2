import type { OverviewDocument, OverviewFinding } from '../archive/repository.js';
import type { BatchStatus } from '../batch/summary.js';

/**
 * The dashboard's numbers, counted from the archive's overview (src/archive: documents and current findings with
 * their latest decisions): what was checked, what is wrong where, how far review has come, which rules reviewers
 * reject, and how fast the last batches went.
 */

export interface Count {
  label: string;
  documents: number;
  findings: number;
}

export interface RuleCount {
  ruleId: string;
  findings: number;
  open: number;
  accepted: number;
  falsePositive: number;
  /** Share of the decided findings that reviewers rejected; null before any decision. */
  falsePositiveRate: number | null;
}

export interface BatchThroughput {
  batchId: string;
  name: string;
  createdAt: string;
  documents: number;
  /** From the batch's creation to the last of its reports checked in it; null while it runs. */
  seconds: number | null;
  perMinute: number | null;
}

export interface Dashboard {
  documents: { total: number; checked: number; unreadable: number; withErrors: number; withFindings: number; reviewed: number };
  findings: { total: number; open: number; accepted: number; falsePositive: number };
  byRule: RuleCount[];
  byUnit: Count[];
  byYear: Count[];
  byType: Count[];
  batches: BatchThroughput[];
}

const TOP_UNITS = 12;
const LAST_BATCHES = 10;

function counter(): { add(label: string, findings: number): void; list(): Count[] } {
  const map = new Map<string, Count>();
  return {
    add(label, findings) {
      const c = map.get(label) ?? { label, documents: 0, findings: 0 };
      c.documents++;
      c.findings += findings;
      map.set(label, c);
    },
    list: () => [...map.values()],
  };
}

export function dashboardOf(documents: readonly OverviewDocument[], findings: readonly OverviewFinding[], batches: readonly BatchStatus[]): Dashboard {
  const perDoc = new Map<string, { findings: number; decided: number }>();
  const rules = new Map<string, RuleCount>();
  const totals = { total: findings.length, open: 0, accepted: 0, falsePositive: 0 };
  for (const f of findings) {
    const d = perDoc.get(f.sha256) ?? { findings: 0, decided: 0 };
    d.findings++;
    if (f.decision) d.decided++;
    perDoc.set(f.sha256, d);
    const r = rules.get(f.ruleId) ?? { ruleId: f.ruleId, findings: 0, open: 0, accepted: 0, falsePositive: 0, falsePositiveRate: null };
    r.findings++;
    const key = f.decision === 'accepted' ? 'accepted' : f.decision === 'false-positive' ? 'falsePositive' : 'open';
    r[key]++;
    totals[key]++;
    rules.set(f.ruleId, r);
  }
  for (const r of rules.values()) r.falsePositiveRate = r.accepted + r.falsePositive ? r.falsePositive / (r.accepted + r.falsePositive) : null;

  const units = counter();
  const years = counter();
  const types = counter();
  let checked = 0;
  let withErrors = 0;
  let withFindings = 0;
  let reviewed = 0;
  for (const d of documents) {
    const n = perDoc.get(d.sha256);
    if (d.status === 'ok') checked++;
    if (d.errors > 0) withErrors++;
    if (n?.findings) withFindings++;
    if (n?.findings && n.decided === n.findings) reviewed++;
    units.add(d.organization ?? '单位未识别', n?.findings ?? 0);
    years.add(d.fiscalYear === null ? '年度未识别' : String(d.fiscalYear), n?.findings ?? 0);
    types.add(d.documentType ?? 'unknown', n?.findings ?? 0);
  }

  const checkedAt = new Map(documents.map((d) => [d.sha256, d.checkedAt]));
  const recent = [...batches].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, LAST_BATCHES);
  return {
    documents: { total: documents.length, checked, unreadable: documents.length - checked, withErrors, withFindings, reviewed },
    findings: totals,
    byRule: [...rules.values()].sort((a, b) => b.findings - a.findings || a.ruleId.localeCompare(b.ruleId)),
    byUnit: units
      .list()
      .sort((a, b) => b.findings - a.findings || b.documents - a.documents || a.label.localeCompare(b.label))
      .slice(0, TOP_UNITS),
    byYear: years.list().sort((a, b) => a.label.localeCompare(b.label)),
    byType: types.list().sort((a, b) => b.documents - a.documents),
    batches: recent.map((b) => throughput(b, checkedAt)),
  };
}

function throughput(b: BatchStatus, checkedAt: Map<string, string>): BatchThroughput {
  // a document checked before the batch (a duplicate) does not count towards its time
  const times = b.documents.map((d) => (d.sha256 ? checkedAt.get(d.sha256) : undefined)).filter((t): t is string => t !== undefined && t >= b.createdAt);
  const last = times.length ? times.reduce((a, t) => (t > a ? t : a)) : null;
  const seconds = b.completed && last ? Math.max(0.001, (Date.parse(last) - Date.parse(b.createdAt)) / 1000) : null;
  return { batchId: b.batchId, name: b.name, createdAt: b.createdAt, documents: b.total, seconds, perMinute: seconds ? (b.total / seconds) * 60 : null };
}
