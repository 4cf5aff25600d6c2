/**
 * The real-report ledger (eval/ledger.yaml, issue 10): every error/warning finding on the 37 real documents of
 * ../shared must be one the ledger holds with a verdict, and every finding judged a `slip` must still be raised.
 * A change that adds a false alarm on a real report, or loses a real slip, fails here. Runs `node eval/real.mjs`,
 * which runs bin/crossfoot.js, i.e. dist/: `npm test` builds first.
 *
 * Skipped (loudly) only when ../shared is absent; CI has it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const shared = resolve(root, '../shared');
const present = existsSync(join(shared, 'corpus-pdf')) && existsSync(join(shared, 'fixtures-real'));
if (!present) {
  console.warn(`\n${'!'.repeat(100)}\n!!! ${shared} is missing: the real-report ledger test (eval/ledger.yaml) is SKIPPED\n${'!'.repeat(100)}\n`);
}

interface Row { file: string; ruleId: string; cites: string[]; message?: string; reason?: string | null }
interface Details {
  summary: { documents: number; findings: number; unreviewed: number; slipsGone: number; failedReports: number };
  unreviewed: Row[];
  slipsGone: Row[];
  failed: { file: string; code?: string; message?: string }[];
}

describe.skipIf(!present)('real-report ledger', () => {
  it('holds every error/warning finding on the real documents, and every slip is still found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossfoot-ledger-'));
    try {
      const out = join(dir, 'real.json');
      const run = spawnSync(process.execPath, [join(root, 'eval/real.mjs'), '--shared', shared, '--json', out], {
        cwd: root, encoding: 'utf8', timeout: 90_000, maxBuffer: 1 << 28,
      });
      const printed = `${run.stdout}\n${run.stderr}`.trim();
      expect(run.status, `eval/real.mjs failed to run:\n${printed}`).not.toBe(2);
      expect(existsSync(out), printed).toBe(true);
      const details = JSON.parse(readFileSync(out, 'utf8')) as Details;
      const show = (r: Row) => `${r.file} ${r.ruleId} [${r.cites.join(', ')}] ${r.message ?? r.reason ?? ''}`;
      expect(details.failed.map((f) => `${f.file}: ${f.code} ${f.message}`), 'documents that failed to check').toEqual([]);
      expect(details.summary.documents).toBe(37);
      expect(details.unreviewed.map(show),
        'findings the ledger does not hold: read the document, then add them to eval/ledger.yaml with a verdict '
        + '(npm run eval:real -- --record writes them as unreviewed) — or fix the false alarm').toEqual([]);
      expect(details.slipsGone.map(show), 'real slips the checker no longer finds').toEqual([]);
      expect(run.status, printed).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
