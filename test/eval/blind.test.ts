/**
 * Blind sets (fixtures/blind*, invented reports written by a reviewer who had not seen the rules, with an answer
 * key): the checker raises exactly the error and warning findings listed in each set's expected.json — every one a
 * planted slip by the key, so any other is a false alarm, and a listed one that disappears is a slip lost. The same
 * holds for each document as LibreOffice renders it to DOCX and PDF (each line a paragraph), as the held-back real
 * reports are made.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';
import { renderTextsWithOffice } from '../helpers/render.js';

const fixtures = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'fixtures');
const sets = readdirSync(fixtures).filter((d) => d.startsWith('blind'));

describe.each(sets)('the blind set %s', (set) => {
  const dir = join(fixtures, set);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { rule: string; cites: string }[]>;
  const documents = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  // a rendering that reads more than its TXT (a tab-aligned table the PDF reader rebuilds) lists what it raises,
  // each a planted slip by the key, in rendered.json by the rendered file's name
  const renderedPath = join(dir, 'rendered.json');
  const rendered = (existsSync(renderedPath) ? JSON.parse(readFileSync(renderedPath, 'utf8')) : {}) as Record<string, { rule: string; cites: string }[]>;

  it('has an expectation for every document', () => {
    expect(Object.keys(expected).sort()).toEqual(documents);
  });

  it.each(documents)('%s: the planted slips it finds, and nothing else', async (name) => {
    expect(await serious(readFileSync(join(dir, name)), name)).toEqual(expected[name]);
  });

  it('the same findings on each document rendered to DOCX and to PDF', async () => {
    const out = mkdtempSync(join(tmpdir(), `crossfoot-${set}-render-`));
    try {
      renderTextsWithOffice(dir, documents, out);
      const differences: string[] = [];
      for (const name of documents) {
        for (const file of [join(out, 'docx', name.replace(/\.txt$/, '.docx')), join(out, 'pdf', name.replace(/\.txt$/, '.pdf'))]) {
          // a rendering may print a figure with other spaces (12,486.35 万元): compared without them
          const key = ({ rule, cites }: { rule: string; cites: string | undefined }) => `${rule} ${cites?.replace(/\s+/g, '')}`;
          const found = (await serious(readFileSync(file), file)).map(key);
          const wanted = (rendered[basename(file)] ?? expected[name]!).map(key);
          for (const f of found) if (!wanted.includes(f)) differences.push(`${file.slice(out.length)}: raised ${f}`);
          for (const w of wanted) if (!found.includes(w)) differences.push(`${file.slice(out.length)}: lost ${w}`);
        }
      }
      expect(differences).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});

/** The error and warning findings of a document: each rule with the text of the figure it cites first. */
async function serious(bytes: Buffer, file: string): Promise<{ rule: string; cites: string | undefined }[]> {
  const report = await checkDocument(bytes, { file });
  return report.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => ({ rule: f.ruleId, cites: report.figures.find((x) => x.id === f.figures[0])?.text }));
}
