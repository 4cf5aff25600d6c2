import type { Pack } from './checks/pack-schema.js';
import type { PackSet } from './checks/pack-set.js';
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
  return { run, failures };
}
