/**
 * Blind sets (fixtures/blind*, invented reports written by a reviewer who had not seen the rules, with an answer
 * key): the checker raises exactly the error and warning findings listed in each set's expected.json — every one a
 * planted slip by the key, so any other is a false alarm, and a listed one that disappears is a slip lost.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';

const fixtures = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'fixtures');
const sets = readdirSync(fixtures).filter((d) => d.startsWith('blind'));

describe.each(sets)('the blind set %s', (set) => {
  const dir = join(fixtures, set);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { rule: string; cites: string }[]>;
  const documents = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

  it('has an expectation for every document', () => {
    expect(Object.keys(expected).sort()).toEqual(documents);
  });

  it.each(documents)('%s: the planted slips it finds, and nothing else', async (name) => {
    const report = await checkDocument(readFileSync(join(dir, name)), { file: name });
    const serious = report.findings
      .filter((f) => f.severity !== 'info')
      .map((f) => ({ rule: f.ruleId, cites: report.figures.find((x) => x.id === f.figures[0])?.text }));
    expect(serious).toEqual(expected[name]);
  });
});
