/**
 * E2E (b): every planted error from fixtures/planted.json, applied to its base report and rendered to DOCX and
 * PDF (pdfkit) — plus TXT, which tells a reader problem from a rule problem — checked in ONE run of the real CLI.
 *
 * Matching is one-to-one: `expect` lists every finding the edit must produce, so each entry needs its own
 * finding, whose ruleId is one of `entry.ruleId.split('|')`, whose severity is info for `severity: "info"`
 * entries and error/warning otherwise, and which cites a figure whose text (whitespace removed) contains
 * `entry.cites`. Entries with `expect: []` are rounding-only edits: no error/warning finding at all.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/report/schema.js';
import { applyPlanted, renderDocx, renderPdfKit } from '../helpers/render.js';
import { assertBuilt, byFile, citedTexts, type CliResult, describeFindings, FIXTURES, makeTempDir, parseJsonl, runCli, squash } from './cli.js';

interface PlantedExpect {
  ruleId: string;
  cites: string;
  severity?: 'info';
}
interface PlantedCase {
  id: string;
  base: string;
  find: string;
  replace: string;
  expect: PlantedExpect[];
  note: string;
}

const FORMATS = ['txt', 'docx', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

/**
 * Cases that fail in PDF only, because of how the PDF text layer is turned back into paragraphs. Each is a
 * test EXPECTED TO FAIL (`it.fails`); when the reader is fixed, that test fails — delete the entry.
 */
const PDF_KNOWN_FAILURES: Record<string, string> = {
};

/**
 * Cases that fail in EVERY format: a product gap, not a reader limit. EXPECTED TO FAIL (`it.fails`); when fixed,
 * the test fails — delete the entry.
 */
const KNOWN_FAILURES: Record<string, string> = {
  'street-project-amount':
    'only one finding (core/listed-parts-sum 2108.35 + 3182.45 ≠ 5236.80); the second expected finding — section 八 ' +
    'still says 2026年部门预算项目支出3128.45万元 — is not produced (core/same-item-values does not pair 项目支出 ' +
    'with 部门预算项目支出)',
};

const fileOf = (id: string, format: Format) => `${format}/${id}.${format}`;

/** Whether `finding` can stand for `entry`. */
function satisfies(report: Report, finding: Finding, entry: PlantedExpect): boolean {
  if (!entry.ruleId.split('|').includes(finding.ruleId)) return false;
  if (entry.severity === 'info' ? finding.severity !== 'info' : finding.severity === 'info') return false;
  return citedTexts(report, finding.figures).some((text) => text.includes(squash(entry.cites)));
}

/** One-to-one assignment of expected entries to findings (augmenting paths); returns the unmatched entries. */
function unmatched(report: Report, entries: PlantedExpect[]): PlantedExpect[] {
  const owner = new Map<number, number>(); // finding index → entry index
  const tryAssign = (e: number, seen: Set<number>): boolean => {
    for (let f = 0; f < report.findings.length; f++) {
      if (seen.has(f) || !satisfies(report, report.findings[f]!, entries[e]!)) continue;
      seen.add(f);
      const current = owner.get(f);
      if (current === undefined || tryAssign(current, seen)) {
        owner.set(f, e);
        return true;
      }
    }
    return false;
  };
  return entries.filter((_, e) => !tryAssign(e, new Set()));
}

const CASES: PlantedCase[] = JSON.parse(await readFile(path.join(FIXTURES, 'planted.json'), 'utf8'));

describe('planted errors, DOCX + PDF (+ TXT), one CLI run', () => {
  let cleanup: () => Promise<void>;
  let result: CliResult;
  let reports: Map<string, Report>;

  beforeAll(async () => {
    assertBuilt();
    let dir: string;
    ({ dir, cleanup } = await makeTempDir('planted'));
    for (const format of FORMATS) await mkdir(path.join(dir, format));
    const bases = new Map<string, string>();
    for (const c of CASES) {
      if (!bases.has(c.base)) bases.set(c.base, await readFile(path.join(FIXTURES, c.base), 'utf8'));
      const text = applyPlanted(bases.get(c.base)!, c.find, c.replace);
      await writeFile(path.join(dir, fileOf(c.id, 'txt')), text);
      await writeFile(path.join(dir, fileOf(c.id, 'docx')), await renderDocx(text));
      await writeFile(path.join(dir, fileOf(c.id, 'pdf')), await renderPdfKit(text));
    }
    // folders as input: the CLI walks them
    result = await runCli(['check', ...FORMATS, '--format', 'jsonl', '--concurrency', '2'], { cwd: dir });
    reports = byFile(parseJsonl(result.stdout));
  });

  afterAll(async () => {
    await cleanup?.();
  });

  it('every planted file appears exactly once; the run exits 1 (there are error findings)', () => {
    expect(CASES.length).toBeGreaterThan(30);
    expect([...reports.keys()].sort()).toEqual(CASES.flatMap((c) => FORMATS.map((f) => fileOf(c.id, f))).sort());
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
  });

  it('planted.json entries are well-formed', () => {
    for (const c of CASES) {
      for (const e of c.expect) {
        expect(e.ruleId, c.id).toMatch(/^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*)*$/);
        expect(e.cites, c.id).toBeTruthy();
      }
    }
  });

  for (const c of CASES) {
    for (const format of FORMATS) {
      const known = KNOWN_FAILURES[c.id] ?? (format === 'pdf' ? PDF_KNOWN_FAILURES[c.id] : undefined);
      const title = `${c.id} (${format}): ${c.expect.length ? c.expect.map((e) => `${e.ruleId} cites ${e.cites}`).join(' + ') : 'rounding only, not flagged'}`;
      (known ? it.fails : it)(known ? `${title} — KNOWN FAILURE: ${known}` : title, () => {
        const report = reports.get(fileOf(c.id, format))!;
        expect(report, 'report present').toBeDefined();
        expect(report.status, report.error?.message).toBe('ok');
        const context = `${c.note}\nfindings:\n${describeFindings(report)}`;
        if (c.expect.length === 0) {
          expect(report.findings.filter((f) => f.severity !== 'info'), context).toEqual([]);
        } else {
          expect(unmatched(report, c.expect), context).toEqual([]);
        }
      });
    }
  }
});
