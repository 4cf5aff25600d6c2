import { createHash } from 'node:crypto';
import { compare as compareVersions } from 'semver';
import type { Report } from '../report/schema.js';

/** Whether a report is written: new, the same as stored, a re-check that replaces it, or an older check. */

export type PackVersion = { id: string; version: string };

/**
 * What makes two stored reports the same: everything but the timings and the path the bytes were read from
 * (the same bytes under another name are the same document).
 */
export function contentDigest(report: Report, text: string): string {
  const content = JSON.stringify({ ...report, file: undefined, timingsMs: undefined });
  return createHash('sha256').update(content).update('\u0000').update(text).digest('hex');
}

/**
 * Every pack of `incoming` is also in `stored`, none newer there, one older: a stale worker's result. Versions
 * compare as semver does (1.1.0 is newer than 1.1.0-rc.1; rc.10 newer than rc.2).
 */
function olderPacks(incoming: readonly PackVersion[], stored: readonly PackVersion[]): boolean {
  let older = false;
  for (const p of incoming) {
    const s = stored.find((q) => q.id === p.id);
    if (!s) return false;
    const c = compareVersions(p.version, s.version);
    if (c > 0) return false;
    if (c < 0) older = true;
  }
  return older;
}

export type WritePlan = 'insert' | 'replace' | 'unchanged' | 'stale';

export function planWrite(stored: { digest: string; packs: PackVersion[] } | undefined, digest: string, packs: readonly PackVersion[]): WritePlan {
  if (!stored) return 'insert';
  if (stored.digest === digest) return 'unchanged';
  return olderPacks(packs, stored.packs) ? 'stale' : 'replace';
}
