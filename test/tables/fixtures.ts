/**
 * Helpers for the table tests: load the fixtures of fixtures/tables/, turn their merge markers into what each
 * renderer understands, render DOCX with real merged cells, check documents with the real CLI, and verify the
 * fixtures' own arithmetic (in integer 分, independently of src/).
 *
 * Merge markers (fixtures/tables/README.md): inside a `|` row, a cell that is exactly `<` is covered by the cell
 * to its left (a column span), a cell that is exactly `^` by the cell above (a row span). `plainText()` turns
 * them into empty cells — what a plain-text export or mammoth's expanded grid shows — for the TXT files and for
 * test/helpers/render.ts; `renderMergedDocx()` writes them as real `w:gridSpan` / `w:vMerge` cells.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { Finding, Report } from '../../src/report/schema.js';
import { applyPlanted, parseFixtureText, splitTableRow } from '../helpers/render.js';
import { citedTexts, parseJsonl, runCli, squash } from '../e2e/cli.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TABLE_FIXTURES = path.join(ROOT, 'fixtures', 'tables');

export const readFixture = (name: string): Promise<string> => readFile(path.join(TABLE_FIXTURES, name), 'utf8');

const MARKER = /^[<^]$/;

/** The fixture with its merge markers as empty cells (the form of TXT files and of render.ts's renderers). */
export function plainText(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim().startsWith('|') ? `| ${splitTableRow(line).map((c) => (MARKER.test(c) ? '' : c)).join(' | ')} |` : line))
    .join('\n');
}

/** Applies a planted edit to the fixture text (the find string must occur exactly once). */
export const plant = (text: string, find: string, replace: string): string => applyPlanted(text, find, replace);

// ---------------------------------------------------------------- DOCX with merged cells

const NUMERIC = /^[-−]?[\d,]+(?:\.\d+)?%?$/;

/** Leading rows without a numeric cell are the header rows (they get `tableHeader: true`, nothing else does). */
export function headerRowCount(rows: readonly string[][]): number {
  const first = rows.findIndex((r) => r.some((c) => NUMERIC.test(c.replace(/\s+/g, ''))));
  return first < 0 ? 1 : Math.max(1, first);
}

const BODY_FONT = { ascii: 'Noto Serif CJK SC', eastAsia: 'Noto Serif CJK SC', hAnsi: 'Noto Serif CJK SC' };
const HEAD_FONT = { ascii: 'Noto Sans CJK SC', eastAsia: 'Noto Sans CJK SC', hAnsi: 'Noto Sans CJK SC' };
const ZH_CN = { value: 'zh-CN', eastAsia: 'zh-CN' };

/** Printed width in half-em units: CJK characters are square, digits and Latin about half as wide. */
const TEXT_WIDTH = 11906 - 1588 - 1474; // A4 less the margins, twips

const displayWidth = (text: string): number => [...text].reduce((w, ch) => w + (/[\u2E80-\uFFEF]/.test(ch) ? 2 : 1.1), 0);

/**
 * Column widths in twips (they share the 8844 twips between the page margins), by the widest text each column
 * holds (spanned header cells not counted): labels get room and wrap when long, amounts never wrap.
 */
function columnWidths(rows: readonly string[][], cols: number): number[] {
  const weight = Array.from({ length: cols }, (_, c) => {
    const texts = rows.filter((r) => r[c + 1] !== '<').map((r) => (MARKER.test(r[c] ?? '') ? '' : r[c] ?? ''));
    const numeric = Math.max(0, ...texts.filter((t) => NUMERIC.test(t)).map(displayWidth));
    return Math.min(24, Math.max(9, numeric + 4, ...texts.map((t) => Math.min(displayWidth(t), 24))));
  });
  const sum = weight.reduce((a, b) => a + b, 0);
  return weight.map((w) => Math.floor((TEXT_WIDTH * w) / sum));
}

function mergedTable(rows: string[][]): Table {
  const cols = Math.max(1, ...rows.map((r) => r.length));
  const grid = rows.map((r) => Array.from({ length: cols }, (_, c) => r[c] ?? ''));
  const headerRows = headerRowCount(grid);
  const widths = columnWidths(grid, cols);
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: grid.map((row, r) => {
      const header = r < headerRows;
      const cells: TableCell[] = [];
      row.forEach((text, c) => {
        if (MARKER.test(text)) return; // covered by a span (the docx package writes the vMerge continuations)
        let columnSpan = 1;
        while (c + columnSpan < cols && row[c + columnSpan] === '<') columnSpan++;
        let rowSpan = 1;
        while (r + rowSpan < grid.length && grid[r + rowSpan]![c] === '^') rowSpan++;
        const width = widths.slice(c, c + columnSpan).reduce((a, b) => a + b, 0);
        const numeric = NUMERIC.test(text);
        cells.push(
          new TableCell({
            width: { size: width, type: WidthType.DXA },
            verticalAlign: VerticalAlign.CENTER,
            ...(columnSpan > 1 ? { columnSpan } : {}),
            ...(rowSpan > 1 ? { rowSpan } : {}),
            children: [
              new Paragraph({
                alignment: header ? AlignmentType.CENTER : numeric ? AlignmentType.RIGHT : AlignmentType.LEFT,
                children: [new TextRun({ text, font: header ? HEAD_FONT : BODY_FONT, bold: header, size: 21, language: ZH_CN })],
              }),
            ],
          }),
        );
      });
      // tableHeader only where true: `tableHeader: false` writes <w:tblHeader w:val="off"/>, which mammoth reads as a header
      return new TableRow({ ...(header ? { tableHeader: true } : {}), cantSplit: true, children: cells });
    }),
  });
}

/**
 * Renders a fixture to DOCX like render.ts's renderDocx (title, headings, body paragraphs), but its tables with
 * real merged cells (`<` column spans, `^` row spans), a repeated header on every page, and 10.5 pt cells.
 */
export async function renderMergedDocx(text: string): Promise<Buffer> {
  const blocks = parseFixtureText(text);
  const children: (Paragraph | Table)[] = [];
  const run = (t: string, font = BODY_FONT, extra: { bold?: boolean; size?: number } = {}) =>
    new TextRun({ text: t, font, size: 28, language: ZH_CN, ...extra });
  let title = '';
  for (const b of blocks) {
    if (b.kind === 'title') {
      title = b.text;
      children.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [run(b.text, HEAD_FONT, { bold: true, size: 36 })] }));
    } else if (b.kind === 'h1') {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(b.text, HEAD_FONT, { bold: true, size: 32 })] }));
    } else if (b.kind === 'h2') {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [run(b.text, HEAD_FONT, { bold: true })] }));
    } else if (b.kind === 'body') {
      // a table's caption and unit note are centred / right-aligned lines, as in a real disclosure
      const caption = b.text.endsWith('表') && b.text.length <= 40;
      const unit = /^单位[:：]/.test(b.text);
      children.push(
        new Paragraph({
          alignment: caption ? AlignmentType.CENTER : unit ? AlignmentType.RIGHT : AlignmentType.JUSTIFIED,
          ...(caption || unit ? {} : { indent: { firstLine: 560 } }),
          spacing: { line: 360 },
          children: [run(b.text, caption ? HEAD_FONT : BODY_FONT, caption ? { bold: true } : unit ? { size: 21 } : {})],
        }),
      );
    } else if (b.kind === 'table') {
      children.push(mergedTable(b.rows));
      children.push(new Paragraph({ children: [] }));
    }
  }
  const doc = new Document({
    creator: 'crossfoot table fixtures',
    title,
    styles: { default: { document: { run: { font: BODY_FONT, size: 28, language: ZH_CN } } } },
    sections: [{ properties: { page: { margin: { top: 1440, bottom: 1440, left: 1588, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------- PDF (LibreOffice, many at once)

/**
 * Converts many DOCX files to PDF in ONE headless LibreOffice run (what render.ts's renderPdfOffice does for one
 * file, ~2 s each; a batch costs the start-up once, ~0.3 s per further document). Same private-profile setup.
 */
export async function renderPdfOfficeBatch(docxs: readonly Buffer[]): Promise<Buffer[]> {
  if (!docxs.length) return [];
  const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-soffice-batch-'));
  try {
    const inputs = await Promise.all(
      docxs.map(async (docx, i) => {
        const input = path.join(dir, `d${i}.docx`);
        await writeFile(input, docx);
        return input;
      }),
    );
    await promisify(execFile)(
      'soffice',
      [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...inputs],
      { timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return await Promise.all(docxs.map((_, i) => readFile(path.join(dir, `d${i}.pdf`))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- running the CLI

/** Writes `files` (relative name → bytes) under `dir` and checks them all in one CLI run; reports by name. */
export async function checkFiles(dir: string, files: ReadonlyMap<string, Uint8Array | string>): Promise<Map<string, Report>> {
  const names = [...files.keys()];
  for (const name of names) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, files.get(name)!);
  }
  // one worker: each worker warms up on its own (dictionaries, pdf.js), which costs more than it saves here
  const result = await runCli(['check', '--format', 'jsonl', '-j', '1', ...names], { cwd: dir, timeoutMs: 120_000 });
  if (result.code === 2) throw new Error(`crossfoot exited 2: ${result.stderr}`);
  const out = new Map<string, Report>();
  for (const report of parseJsonl(result.stdout)) out.set(report.file, report);
  for (const name of names) if (!out.has(name)) throw new Error(`${name} missing from the output`);
  return out;
}

/** Error and warning findings (info findings are "please verify" notes, not problems). */
export const problems = (report: Report): Finding[] => report.findings.filter((f) => f.severity !== 'info');

export interface Expected {
  ruleId: string;
  /** The text of the wrong cell or figure (whitespace removed), which the finding must cite among its figures. */
  cites: string;
}

/** Whether `finding` stands for `entry`: same rule, an error/warning, citing the figure. */
export function satisfies(report: Report, finding: Finding, entry: Expected): boolean {
  return finding.ruleId === entry.ruleId && finding.severity !== 'info' && citedTexts(report, finding.figures).includes(squash(entry.cites));
}

/**
 * One-to-one matching of expected entries to error/warning findings: returns the entries left unmatched and
 * the findings no entry claimed.
 */
export function match(report: Report, entries: readonly Expected[]): { missing: Expected[]; extra: Finding[] } {
  const found = problems(report);
  const owner = new Map<number, number>();
  const assign = (e: number, seen: Set<number>): boolean => {
    for (let f = 0; f < found.length; f++) {
      if (seen.has(f) || !satisfies(report, found[f]!, entries[e]!)) continue;
      seen.add(f);
      const current = owner.get(f);
      if (current === undefined || assign(current, seen)) {
        owner.set(f, e);
        return true;
      }
    }
    return false;
  };
  const missing = entries.filter((_, e) => !assign(e, new Set()));
  const extra = found.filter((_, f) => !owner.has(f));
  return { missing, extra };
}

// ---------------------------------------------------------------- the fixtures' own arithmetic

/** An amount cell in integer 分 (hundredths of its printed unit); undefined for placeholders and text. */
export function cents(text: string): bigint | undefined {
  const t = text.replace(/[\s,]/g, '');
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  const v = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
  return m[1] ? -v : v;
}

export const isBlank = (text: string): boolean => /^(?:|-|—|－|\/|<|\^)$/.test(text.trim());

/** The `|` tables of a fixture text, as grids of cell texts (markers kept). */
export function fixtureTables(text: string): string[][][] {
  return parseFixtureText(text).flatMap((b) => (b.kind === 'table' ? [b.rows] : []));
}
