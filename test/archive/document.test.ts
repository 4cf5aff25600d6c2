/**
 * `document(sha256)`, what a report viewer reads, on both backends: the report with its tables' cells and the
 * stored text, which is the text the figures' offsets index — whether stored by `archive add` or by a caller.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveRepository } from '../../src/archive/repository.js';
import { runCli } from '../e2e/cli.js';
import { checkDocument } from '../../src/pipeline.js';
import type { Report } from '../../src/report/schema.js';
import { renderDocx } from '../helpers/render.js';
import { BACKENDS, type Scratch } from './backends.js';
import { REPORTS } from './corpus.js';

const SANGONG = path.join(REPORTS, 'sangong-market-2025.txt');

/** The report as the archive gives it back: without its text, which is stored beside it. */
function withoutText(report: Report): Report {
  const { text: _text, ...rest } = structuredClone(report);
  return rest;
}

describe.each(BACKENDS)('archive document() on $name', ({ scratch }) => {
  let s: Scratch;
  let archive: ArchiveRepository;
  let docx: Report;

  beforeAll(async () => {
    s = await scratch();
    archive = await s.open();
    docx = await checkDocument(await renderDocx(readFileSync(SANGONG, 'utf8')), { file: 'sangong.docx', includeText: true });
  });
  afterAll(async () => {
    await archive?.close();
    await s?.dispose();
  });

  it('gives back the report with its cells and the text once, beside it', async () => {
    expect(docx.tables[0]!.cells).toBeDefined();
    expect((await archive.addReport(docx)).status).toBe('added');
    const stored = await archive.document(docx.sha256);
    expect(stored).not.toBeNull();
    expect(stored!.text).toBe(docx.text);
    expect(stored!.report).toEqual(withoutText(docx));
    expect('text' in stored!.report).toBe(false);
    expect((await archive.reports([docx.sha256]))[0]).toEqual(stored!.report);
    for (const f of stored!.report.figures) expect(stored!.text.slice(f.loc.textStart, f.loc.textEnd), f.id).toBe(f.text);
  });

  it('a text given apart is stored the same way', async () => {
    const report = await checkDocument(Buffer.from('2025年度部门决算说明\n支出合计12.00万元，其中基本支出5.00万元，项目支出7.00万元。'), { includeText: true });
    const text = report.text!;
    await archive.addReport(withoutText(report), text);
    expect(await archive.document(report.sha256)).toEqual({ report: withoutText(report), text });
  });

  it('archive add stores the text the offsets index (the pipeline text, not the reader blocks one per line)', async () => {
    // the built CLI: archive add checks in the pool's worker threads, which load the built files
    expect(await runCli(['archive', 'add', SANGONG, '--db', s.db])).toMatchObject({ code: 0, stderr: '' });
    const checked = await checkDocument(readFileSync(SANGONG), { includeText: true });
    const stored = (await archive.document(checked.sha256))!;
    expect(stored.text).toBe(checked.text);
    expect(stored.report.tables.map((t) => t.cells)).toEqual(checked.tables.map((t) => t.cells));
    for (const f of stored.report.figures) expect(stored.text.slice(f.loc.textStart, f.loc.textEnd), f.id).toBe(f.text);
  });

  it('an unknown document is null', async () => {
    expect(await archive.document('0'.repeat(64))).toBeNull();
  });
});
