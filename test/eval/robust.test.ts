/**
 * The robustness corpus (fixtures/robust, invented reports whose every relation is right, written by make.py in
 * phrasings the rules were not developed on): the checker raises no error or warning on them, reads their year,
 * as TXT and as LibreOffice renders them to DOCX and PDF (as the evaluation's documents are made), and still finds
 * slips planted into them (eval/mutate.mjs --docs). A finding here is a false alarm by construction.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';
import { renderTextsWithOffice } from '../helpers/render.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'fixtures/robust');
const documents = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

describe('the robustness corpus', () => {
  it('holds documents of every kind', () => {
    expect(documents.length).toBeGreaterThanOrEqual(15);
  });

  it.each(documents)('%s: no error or warning, and the fiscal year of its title', async (name) => {
    const report = await checkDocument(readFileSync(join(dir, name)), { file: name });
    expect(report.status).toBe('ok');
    const serious = report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.ruleId}: ${f.message}`);
    expect(serious).toEqual([]);
    expect(report.fiscalYear).toBe(Number(/_(\d{4})\.txt$/.exec(name)![1]));
    expect(report.checks.run).toBeGreaterThan(5);
  });

  it('the same documents as LibreOffice renders them (each line a paragraph: DOCX, then PDF) raise no error or warning', async () => {
    const out = mkdtempSync(join(tmpdir(), 'crossfoot-robust-render-'));
    try {
      const { docx, pdf } = renderTextsWithOffice(dir, documents, out);
      const rendered = [...docx, ...pdf];
      const serious: string[] = [];
      for (const file of rendered) {
        const report = await checkDocument(readFileSync(file), { file });
        expect(report.status, file).toBe('ok');
        for (const f of report.findings) if (f.severity !== 'info') serious.push(`${file.slice(out.length)}: ${f.ruleId}: ${f.message}`);
      }
      expect(serious).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);

  it('slips planted into it are found, with no new false alarm', () => {
    const out = mkdtempSync(join(tmpdir(), 'crossfoot-robust-'));
    try {
      const json = join(out, 'mutate.json');
      const run = spawnSync(process.execPath, [join(root, 'eval/mutate.mjs'), '--docs', dir, '--max-per-doc', '30', '--json', json], { encoding: 'utf8', timeout: 240_000 });
      expect(run.status, run.stderr).toBe(0);
      const result = JSON.parse(readFileSync(json, 'utf8')) as { byType: Record<string, { planted: number; found: number }>; newFalseAlarms: number };
      for (const [type, { planted, found }] of Object.entries(result.byType)) {
        if (planted >= 10) expect(found / planted, type).toBeGreaterThanOrEqual(0.9);
      }
      expect(result.newFalseAlarms).toBeLessThanOrEqual(1); // a year moved onto the second base of its sentence
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
