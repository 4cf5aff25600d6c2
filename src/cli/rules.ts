import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PackSchema } from '../checks/pack-schema.js';
import { loadPackSet, type PackSetSource } from '../packs.js';
import { ReportSchema } from '../report/schema.js';
import { runExamples } from '../selftest.js';
import { UsageError } from './usage.js';

/** `crossfoot rules test|list|schema`. */
export async function rulesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { rules: { type: 'string', multiple: true }, config: { type: 'string', short: 'c' }, report: { type: 'boolean' } } });
  const sub = positionals[0];
  if (sub === 'schema') {
    const schema = values.report ? z.toJSONSchema(ReportSchema) : z.toJSONSchema(PackSchema, { io: 'input', unrepresentable: 'any' });
    process.stdout.write(JSON.stringify(schema, null, 2) + '\n');
    return 0;
  }
  const source: PackSetSource = { extraPacks: values.rules ?? [], rules: {}, examplesVerified: sub === 'test' };
  const set = await loadPackSet(source);
  if (sub === 'list') {
    for (const r of set.rules) process.stdout.write(`${r.ruleId.padEnd(32)} ${r.spec.type.padEnd(10)} ${r.severity.padEnd(8)} ${r.spec.description}\n`);
    return 0;
  }
  if (sub === 'test') {
    let run = 0;
    let failed = 0;
    for (const pack of set.packs) {
      const result = await runExamples(pack, set);
      run += result.run;
      failed += result.failures.length;
      for (const f of result.failures) process.stdout.write(`✖ ${f.ruleId}: ${f.problem}\n    ${f.text.replace(/\n/g, '\n    ')}\n`);
      process.stdout.write(`${result.failures.length ? '✖' : '✔'} ${pack.pack.id}@${pack.pack.version}: ${result.run} examples, ${result.failures.length} failed\n`);
    }
    process.stdout.write(`${run - failed} passed, ${failed} failed\n`);
    return failed ? 1 : 0;
  }
  throw new UsageError('rules needs one of: test, list, schema');
}
