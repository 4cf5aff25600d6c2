import { it } from 'vitest';
import { buildTextDocument } from '../../src/text/document.js';
import { extractFigures } from '../../src/figures/extract.js';
import { toPlain } from '../../src/figures/decimal.js';
import { checkDocument } from '../../src/pipeline.js';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync('/tmp/explore.json', 'utf8')) as { figs?: string[]; checks?: [string, string][] };
it('explore', async () => {
  for (const t of input.figs ?? []) {
    const doc = buildTextDocument({ format: 'txt', blocks: t.split('\n').map((text, index) => ({ index, kind: 'paragraph' as const, text })), warnings: [] });
    console.log('=== ' + t);
    for (const f of extractFigures(doc)) {
      const { value, yuan, start, end, numberStart, block, ...rest } = f;
      console.log(JSON.stringify({ ...rest, value: toPlain(value), yuan: yuan && toPlain(yuan) }));
    }
  }
  for (const [rule, t] of input.checks ?? []) {
    const r = await checkDocument(Buffer.from(t), { onlyRule: rule });
    console.log('### ' + rule + ' :: ' + t.replace(/\n/g, '⏎') + ` fy=${r.fiscalYear} type=${r.documentType} checks=${JSON.stringify(r.checks)}`);
    for (const f of r.findings) console.log(JSON.stringify({ id: f.id, messageId: f.messageId, sev: f.severity, figs: f.figures.map((id) => r.figures.find((x) => x.id === id)!.text), exp: f.expected, act: f.actual, calc: f.calculation, msg: f.message }));
  }
});
