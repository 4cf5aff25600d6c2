import type { Pack } from './checks/pack-schema.js';
import type { PackSet } from './checks/pack-set.js';
import { crossCheck } from './cross/check.js';
import { checkDocument } from './pipeline.js';
import type { Report } from './report/schema.js';

export interface ExampleFailure {
  ruleId: string;
  text: string;
  problem: string;
}

function cited(report: Report, figureIds: readonly string[]): string[] {
  return figureIds.map((id) => report.figures.find((f) => f.id === id)?.text ?? '');
}

/**
 * Runs every rule's valid/invalid examples with that rule alone (textlint-tester style): valid texts must give no
 * finding; invalid texts exactly the listed ones, each citing a figure that contains its `cites` text.
 */
export async function runExamples(pack: Pack, set: PackSet): Promise<{ run: number; failures: ExampleFailure[] }> {
  const failures: ExampleFailure[] = [];
  let run = 0;
  for (const rule of pack.rules) {
    const ruleId = `${pack.pack.id}/${rule.id}`;
    const check = (text: string) => checkDocument(Buffer.from(text, 'utf8'), { packs: set, onlyRule: ruleId });
    for (const text of rule.examples.valid) {
      run++;
      const report = await check(text);
      if (report.status !== 'ok') failures.push({ ruleId, text, problem: `not readable: ${report.error?.message}` });
      else if (report.findings.length)
        failures.push({ ruleId, text, problem: `expected no finding, got: ${report.findings.map((f) => `${f.messageId} ${f.message}`).join('; ')}` });
    }
    for (const example of rule.examples.invalid) {
      run++;
      const report = await check(example.text);
      const remaining = [...report.findings];
      for (const want of example.errors) {
        const i = remaining.findIndex((f) => f.messageId === want.messageId && (!want.cites || cited(report, f.figures).some((t) => t.includes(want.cites!))));
        if (i < 0) failures.push({ ruleId, text: example.text, problem: `missing ${want.messageId}${want.cites ? ` citing ${want.cites}` : ''}; got: ${report.findings.map((f) => `${f.messageId} [${cited(report, f.figures).join(', ')}]`).join('; ') || 'nothing'}` });
        else remaining.splice(i, 1);
      }
      for (const extra of remaining) failures.push({ ruleId, text: example.text, problem: `unexpected ${extra.messageId}: ${extra.message}` });
    }
  }
  for (const rule of pack.cross) {
    const ruleId = `${pack.pack.id}/${rule.id}`;
    const only = { ...set, crossRules: set.crossRules.filter((r) => r.ruleId === ruleId) };
    // each text is one document, named by its place in the example; only this rule runs across them
    const checkSet = async (texts: readonly string[]) =>
      crossCheck(await Promise.all(texts.map((t, i) => checkDocument(Buffer.from(t, 'utf8'), { packs: only, onlyRule: ruleId, file: `document-${i}.txt` }))), only);
    const crossFindings = (r: Report) => r.findings.filter((f) => f.ruleId === ruleId);
    for (const example of rule.examples.valid) {
      run++;
      const text = example.documents.join('\n---\n');
      const reports = await checkSet(example.documents);
      const got = reports.flatMap((r, i) => crossFindings(r).map((f) => `document ${i}: ${f.messageId} ${f.message}`));
      if (got.length) failures.push({ ruleId, text, problem: `expected no finding, got: ${got.join('; ')}` });
    }
    for (const example of rule.examples.invalid) {
      run++;
      const text = example.documents.join('\n---\n');
      const reports = await checkSet(example.documents);
      const remaining = reports.map((r) => [...crossFindings(r)]);
      const got = () => reports.flatMap((r, i) => crossFindings(r).map((f) => `document ${i}: ${f.messageId} [${cited(r, f.figures).join(', ')}]`)).join('; ') || 'nothing';
      for (const want of example.errors) {
        const report = reports[want.document]!;
        const left = remaining[want.document]!;
        const i = left.findIndex((f) => f.messageId === want.messageId && (!want.cites || cited(report, f.figures).some((t) => t.includes(want.cites!))));
        if (i < 0) failures.push({ ruleId, text, problem: `missing ${want.messageId} in document ${want.document}${want.cites ? ` citing ${want.cites}` : ''}; got: ${got()}` });
        else left.splice(i, 1);
      }
      remaining.forEach((left, i) => left.forEach((extra) => failures.push({ ruleId, text, problem: `unexpected ${extra.messageId} in document ${i}: ${extra.message}` })));
    }
  }
  return { run, failures };
}
