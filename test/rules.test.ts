import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PackSchema } from '../src/checks/pack-schema.js';
import { buildPackSet, builtinPacks } from '../src/checks/pack-set.js';
import { ReportSchema } from '../src/report/schema.js';
import { runExamples } from '../src/selftest.js';

const packs = builtinPacks();
const set = buildPackSet(packs);

describe('shipped rule packs', () => {
  it('ships the core, cross, perf-eval and final-accounts packs', () => {
    expect(packs.map((p) => p.pack.id).sort()).toEqual(['core', 'cross', 'final-accounts', 'perf-eval']);
  });

  for (const pack of packs) {
    describe(pack.pack.id, () => {
      for (const rule of pack.rules) {
        it(`${pack.pack.id}/${rule.id} passes its own examples`, async () => {
          expect(rule.examples.valid.length + rule.examples.invalid.length).toBeGreaterThan(0);
          const { failures } = await runExamples({ ...pack, rules: [rule], cross: [] }, set);
          expect(failures).toEqual([]);
        });
      }
      for (const rule of pack.cross) {
        it(`${pack.pack.id}/${rule.id} (across documents) passes its own examples`, async () => {
          expect(rule.examples.invalid.length).toBeGreaterThan(0);
          const { run, failures } = await runExamples({ ...pack, rules: [], cross: [rule] }, set);
          expect(run).toBe(rule.examples.valid.length + rule.examples.invalid.length);
          expect(failures).toEqual([]);
        });
      }
    });
  }
});

describe('published JSON Schemas', () => {
  it('rule-pack.schema.json matches the zod schema', () => {
    const published = JSON.parse(readFileSync(new URL('../schema/rule-pack.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(z.toJSONSchema(PackSchema, { io: 'input', unrepresentable: 'any' }));
  });

  it('report.schema.json matches the zod schema', () => {
    const published = JSON.parse(readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(z.toJSONSchema(ReportSchema));
  });
});
