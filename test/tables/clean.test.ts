/**
 * Clean table documents (fixtures/tables/*.txt) in every format — TXT, DOCX (render.ts), DOCX with merged cells
 * (renderMergedDocx), PDF (pdfkit via render.ts), PDF (LibreOffice via render.ts's renderPdfOffice, from the
 * merged-cell DOCX) — checked in ONE run of the real CLI: the tables are found with their titles, sizes and units,
 * their numeric cells are figures at their table positions, every table rule evaluates relations, and nothing
 * is flagged.
 *
 * Gaps of the readers are listed in KNOWN_GAPS: each is a test EXPECTED TO FAIL (`it.fails`), so fixing the
 * reader makes it fail — then delete the entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/pipeline.js';
import type { Report } from '../../src/report/schema.js';
import { assertBuilt, describeFindings, makeTempDir } from '../e2e/cli.js';
import { renderDocx, renderPdfKit, renderPdfOffice } from '../helpers/render.js';
import { FIXTURES, type FixtureSpec } from './cases.js';
import { checkFiles, plainText, problems, readFixture, renderMergedDocx } from './fixtures.js';

const FORMATS = ['txt', 'docx', 'docx-merged', 'pdf-kit', 'pdf-office'] as const;
type Format = (typeof FORMATS)[number];
const EXT: Record<Format, string> = { txt: 'txt', docx: 'docx', 'docx-merged': 'docx', 'pdf-kit': 'pdf', 'pdf-office': 'pdf' };

/** Fixtures render.ts's pdfkit renderer cannot lay out (a limit of the test helper, not of the reader). */
const KIT_UNRENDERABLE: Record<string, string> = {
  'perf-school-repair-2025.txt':
    'renderPdfKit gives every column after the first a fixed 90 pt: the 7- and 8-column 自评表 overflow the A4 ' +
    'text width, 执行率/得分/偏差原因 are drawn off the page and their text is cut ("9.55" comes out as "9")',
};

/**
 * Known reader gaps on the clean documents, by "<format> <fixture> <aspect>"; aspects: tables (count, title,
 * rows, cols, unit), cells (figures at their table positions), relations (as many relations evaluated as in
 * TXT), rules (every table rule evaluates at least one relation), pages (a cell on a later page says so).
 */
const KNOWN_GAPS: Record<string, string> = {
  'pdf-office final-water-2025.txt relations':
    'same as docx-merged: getTable() returns the merged header row as ["科目编码","科目名称","本年支出"], which ' +
    'buildTables right-aligns → 合计 column named 科目编码/合计 and skipped (108 relations instead of 127)',
  'pdf-office final-water-2025.txt tables':
    'two ruled tables on page 1 each follow a "单位：万元" line; pdf.ts reanchor() finds a table\'s anchor block ' +
    'again by its text, so 支出决算表 is anchored after the FIRST "单位：万元" and takes the title 收入支出决算总表',
  'pdf-office perf-school-repair-2025.txt tables':
    'header and label cells that wrap inside a ruled table ("年初预算\\n数", "维修改造校舍\\n面积") stay in the text as ' +
    'paragraph fragments between the caption and the table; tableTitle() looks 3 blocks back, so the titles ' +
    'become "数分值执行率得分" / "维修改造校舍" and the 单位：万元 note is lost (unit "")',
  'pdf-kit final-water-2025.txt tables':
    'page 1 holds only the two-sided 收入支出决算总表, whose rows (label number label number) never have two ' +
    'numbers side by side: ruledTablePages() does not select the page and the text rebuild needs tabs, so the ' +
    'table is not found; page 3 has one tabbed line ("本年收入合计\\t1360.00 …"), which excludes the whole page ' +
    'from getTable(): 财政拨款收入支出决算总表 is rebuilt from wrapped text into two 2-row scraps and the ' +
    'start of 一般公共预算财政拨款支出决算表 loses its header and title',
  'pdf-kit final-water-2025.txt cells': 'follows from the tables gap (table ids and rows shift)',
  'pdf-kit final-water-2025.txt relations': 'follows from the tables gap (79 relations instead of 127)',
};

const gap = (format: Format, spec: FixtureSpec, aspect: string): string | undefined => KNOWN_GAPS[`${format} ${spec.file} ${aspect}`];
const formatsOf = (spec: FixtureSpec): Format[] => FORMATS.filter((f) => f !== 'pdf-kit' || !KIT_UNRENDERABLE[spec.file]);
const fileOf = (spec: FixtureSpec, format: Format) => `${format}/${spec.file.replace(/\.txt$/, '')}.${EXT[format]}`;

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
const files = new Map<string, Uint8Array | string>();
let reports: Map<string, Report>;

beforeAll(async () => {
  assertBuilt();
  tmp = await makeTempDir('tables-clean');
  await Promise.all(
    FIXTURES.map(async (spec) => {
      const text = await readFixture(spec.file);
      const plain = plainText(text);
      const merged = await renderMergedDocx(text);
      const rendered: Record<Format, () => Promise<Uint8Array | string>> = {
        txt: async () => plain,
        docx: () => renderDocx(plain),
        'docx-merged': async () => merged,
        'pdf-kit': () => renderPdfKit(plain),
        'pdf-office': () => renderPdfOffice(merged),
      };
      for (const format of formatsOf(spec)) files.set(fileOf(spec, format), await rendered[format]());
    }),
  );
  reports = await checkFiles(tmp.dir, files);
}, 180_000);

afterAll(async () => {
  await tmp?.cleanup();
});

/** Relations evaluated per table rule, in-process (checkDocument with onlyRule), for one file. */
async function relationsByRule(spec: FixtureSpec, format: Format): Promise<Record<string, number>> {
  const bytes = files.get(fileOf(spec, format))!;
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const out: Record<string, number> = {};
  for (const rule of spec.rules) out[rule] = (await checkDocument(data, { onlyRule: rule })).checks.run;
  return out;
}

for (const spec of FIXTURES) {
  describe(spec.file, () => {
    for (const format of formatsOf(spec)) {
      describe(format, () => {
        const report = () => reports.get(fileOf(spec, format))!;
        const test = (aspect: string) => (gap(format, spec, aspect) ? it.fails : it);

        it('is read and nothing is flagged', () => {
          const r = report();
          expect(r.status, describeFindings(r)).toBe('ok');
          expect(r.documentType).toBe(spec.documentType);
          expect(problems(r), describeFindings(r)).toEqual([]);
        });

        test('tables')('finds every table: count, title, rows, cols, unit (and a page in PDF)', () => {
          const r = report();
          expect(r.tables.map(({ title, rows, cols, unit }) => ({ title, rows, cols, unit }))).toEqual(spec.tables);
          expect(r.tables.map((t) => t.id)).toEqual(spec.tables.map((_, i) => `t${i + 1}`));
          if (format.startsWith('pdf')) for (const t of r.tables) expect(t.page, t.id).toBeGreaterThanOrEqual(1);
        });

        test('cells')('table cells are figures with loc.table / loc.row / loc.col', () => {
          const r = report();
          for (const cell of spec.cells) {
            const at = r.figures.filter((f) => f.loc.table === `t${cell.table + 1}` && f.loc.row === cell.row && f.loc.col === cell.col);
            expect(at.map((f) => f.text), JSON.stringify(cell)).toEqual([cell.text]);
            expect(at[0]!.kind).toBe(cell.text.endsWith('%') ? 'percent' : 'amount');
          }
          // every numeric cell of the expected tables is a figure, once
          const cells = r.figures.filter((f) => f.loc.table !== undefined);
          const keys = cells.map((f) => `${f.loc.table}:${f.loc.row}:${f.loc.col}`);
          expect(new Set(keys).size).toBe(keys.length);
          expect(cells.length).toBeGreaterThan(spec.tables.reduce((n, t) => n + t.rows, 0));
        });

        if (format === 'txt') {
          it('every table rule of the fixture evaluates relations', async () => {
            const runs = await relationsByRule(spec, format);
            for (const rule of spec.rules) expect(runs[rule], rule).toBeGreaterThan(0);
            expect(report().checks.run).toBeGreaterThanOrEqual(Object.values(runs).reduce((a, b) => a + b, 0));
          });
        } else {
          test('relations')('evaluates as many relations as the TXT (every table rule ran)', () => {
            expect(report().checks.run).toBe(reports.get(fileOf(spec, 'txt'))!.checks.run);
          });
          if (gap(format, spec, 'relations')) {
            // fewer relations than in TXT: at least every table rule still evaluates some (unless that is a gap too)
            test('rules')('every table rule of the fixture still evaluates relations', async () => {
              const runs = await relationsByRule(spec, format);
              for (const rule of spec.rules) expect(runs[rule], `${rule} ${JSON.stringify(runs)}`).toBeGreaterThan(0);
            });
          }
        }

        if (format.startsWith('pdf') && spec.tables.some((t) => t.rows >= 60)) {
          test('pages')('a table spanning pages: found once, its last rows on a later page than its first', () => {
            const r = report();
            expect(r.pages).toBeGreaterThanOrEqual(3);
            const long = r.tables.find((t) => t.rows >= 60)!;
            const rows = r.figures.filter((f) => f.loc.table === long.id);
            const first = rows.find((f) => f.loc.row === 1)!;
            const last = rows.find((f) => f.loc.row === long.rows - 1)!;
            expect(last.loc.page!).toBeGreaterThan(first.loc.page!);
          });
        }
      });
    }
  });
}
