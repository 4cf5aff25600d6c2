/**
 * Figures located in the document's text (loc.textStart/textEnd into Report.text) and table cells in the report,
 * for a viewer that highlights every figure a finding involves: every fixture as TXT, one as DOCX and PDF.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';
import type { FigureRecord, Report } from '../../src/report/schema.js';
import { renderDocx, renderPdfKit } from '../helpers/render.js';

const REPORTS = path.resolve(import.meta.dirname, '../../fixtures/reports');
const FIXTURES = readdirSync(REPORTS).filter((f) => f.endsWith('.txt')).sort();
/** The fixture with a table, rendered to DOCX and PDF. */
const WITH_TABLE = 'sangong-market-2025.txt';

const digits = (s: string) => s.replace(/[^\d０-９]/g, '').replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
const inText = (f: FigureRecord) => f.loc.table === undefined;

/** Every prose figure's span of the text holds the figure as printed. */
function expectProseSpans(report: Report): void {
  const text = report.text!;
  const prose = report.figures.filter(inText);
  expect(prose.length).toBeGreaterThan(0);
  for (const f of prose) {
    expect(f.loc.textStart, f.id).toBeTypeOf('number');
    const span = text.slice(f.loc.textStart, f.loc.textEnd);
    expect(digits(span), `${f.id} ${f.text}`).toBe(digits(f.text));
    expect(span).toBe(f.text);
  }
}

/** Every cell figure stands in its table's cells; with a text span, the span holds it too. */
function expectCells(report: Report, spans: 'all' | 'none'): void {
  const cellFigures = report.figures.filter((f) => !inText(f));
  expect(cellFigures.length).toBeGreaterThan(0);
  for (const f of cellFigures) {
    const table = report.tables.find((t) => t.id === f.loc.table)!;
    expect(table.cells, f.id).toBeDefined();
    expect(table.cells!.length).toBe(table.rows);
    for (const row of table.cells!) expect(row.length).toBe(table.cols);
    expect(table.cells![f.loc.row!]![f.loc.col!]!.trim()).toBe(f.text);
    if (spans === 'all') expect(report.text!.slice(f.loc.textStart, f.loc.textEnd), f.id).toBe(f.text);
    else expect(f.loc.textStart, f.id).toBeUndefined();
  }
}

describe('figure offsets into the document text', () => {
  it.each(FIXTURES)('TXT %s: every prose figure is found at its offsets', async (name) => {
    const report = await checkDocument(readFileSync(path.join(REPORTS, name)), { file: name, includeText: true });
    expectProseSpans(report);
    for (const f of report.findings) expect(f.loc.textStart, f.ruleId).toBeTypeOf('number');
  });

  it('the offsets are the same without the text, and the tables then carry no cells', async () => {
    const bytes = readFileSync(path.join(REPORTS, WITH_TABLE));
    const withText = await checkDocument(bytes, { includeText: true });
    const without = await checkDocument(bytes);
    expect(without.text).toBeUndefined();
    expect(without.figures.map((f) => f.loc)).toEqual(withText.figures.map((f) => f.loc));
    expect(without.tables.some((t) => t.cells)).toBe(false);
  });

  it('TXT tables: cells are blocks of the text, so their figures have offsets', async () => {
    const report = await checkDocument(readFileSync(path.join(REPORTS, WITH_TABLE)), { includeText: true });
    expectCells(report, 'all');
  });

  describe('DOCX and PDF', () => {
    let docx: Report;
    let pdf: Report;
    beforeAll(async () => {
      const text = readFileSync(path.join(REPORTS, WITH_TABLE), 'utf8');
      docx = await checkDocument(await renderDocx(text), { includeText: true });
      pdf = await checkDocument(await renderPdfKit(text), { includeText: true });
    });

    it('DOCX: prose and cell figures are found at their offsets', () => {
      expectProseSpans(docx);
      expectCells(docx, 'all');
    });

    it('PDF: prose figures are found at their offsets; table rows are not in the text, so cells have none', () => {
      expect(pdf.format).toBe('pdf');
      expectProseSpans(pdf);
      expectCells(pdf, 'none');
    });
  });

  it('DOCX merged cells: the text at the top-left position, the covered cells empty', async () => {
    const cell = (text: string, columnSpan?: number) => new TableCell({ children: [new Paragraph(text)], ...(columnSpan ? { columnSpan } : {}) });
    const table = new Table({
      rows: [
        new TableRow({ children: [cell('项目'), cell('本年支出', 2)] }),
        new TableRow({ children: [cell(''), cell('基本支出'), cell('项目支出')] }),
        new TableRow({ children: [cell('合计'), cell('30.00'), cell('12.50')] }),
      ],
    });
    const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('单位：万元'), table] }] }));
    const report = await checkDocument(bytes, { includeText: true });
    expect(report.tables[0]!.cells).toEqual([
      ['项目', '本年支出', ''],
      ['', '基本支出', '项目支出'],
      ['合计', '30.00', '12.50'],
    ]);
    expectCells(report, 'all');
  });
});
