/**
 * E2E (a): every clean fixture report, rendered to TXT, DOCX and PDF (pdfkit; LibreOffice for some), checked in
 * ONE run of the real CLI. Nothing may be flagged, and the metadata and fields the text states must come out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentType, Report } from '../../src/report/schema.js';
import { renderDocx, renderPdfKit, renderPdfOffice } from '../helpers/render.js';
import { assertBuilt, byFile, type CliResult, describeFindings, fixtureText, makeTempDir, parseJsonl, runCli } from './cli.js';

interface Expectation {
  title: string;
  fiscalYear: number;
  documentType: DocumentType;
  /** The organisation must start with this. */
  organization: string;
  /** Fields the text states, in yuan (amounts) or units (counts). */
  fields: Record<string, number>;
}

const FIXTURES: Record<string, Expectation> = {
  'perf-agri-dept-2025.txt': {
    title: '2025年度某县农业农村局部门整体支出绩效评价报告',
    fiscalYear: 2025,
    documentType: 'perf-eval',
    organization: '某县农业农村局',
    fields: {
      'income.total': 24_863_700,
      'income.fiscal': 23_915_200,
      'expenditure.total': 24_531_800,
      'expenditure.basic': 11_274_600,
      'expenditure.project': 13_257_200,
      'threePublic.total': 123_600,
      'threePublic.abroad': 0,
      'threePublic.vehicle': 84_200,
      'threePublic.reception': 39_400,
      'procurement.total': 4_374_000,
      'procurement.goods': 468_000,
      'procurement.works': 3_182_500,
      'procurement.services': 723_500,
      'procurement.sme': 4_011_500,
      'procurement.micro': 2_869_000,
      'staff.authorized': 48,
      'staff.actual': 45,
    },
  },
  'perf-cdc-project-2025.txt': {
    title: '2025年度某县疾病预防控制中心重大传染病防控项目支出绩效自评报告',
    fiscalYear: 2025,
    documentType: 'perf-eval',
    organization: '某县疾病预防控制中心',
    // a project report: no department-level totals are stated
    fields: {},
  },
  'final-school-2025.txt': {
    title: '某市第二中学2025年度单位决算说明',
    fiscalYear: 2025,
    documentType: 'final-accounts',
    organization: '某市第二中学',
    fields: {
      'income.total': 38_061_500,
      'income.fiscal': 35_426_800,
      'expenditure.total': 37_986_200,
      'expenditure.basic': 29_143_700,
      'expenditure.project': 8_842_500,
      'expenditure.personnel': 26_031_800,
      'expenditure.publicFunds': 3_111_900,
      'threePublic.total': 18_600,
      'procurement.total': 2_365_600,
      'procurement.goods': 1_268_000,
      'procurement.works': 685_000,
      'procurement.services': 412_600,
      'procurement.sme': 2_123_000,
      'procurement.micro': 1_506_000,
      'staff.authorized': 186,
      'staff.actual': 179,
    },
  },
  'budget-street-2026.txt': {
    title: '某区某街道办事处2026年度部门预算说明',
    fiscalYear: 2026,
    documentType: 'budget',
    organization: '某区某街道办事处',
    fields: {
      'expenditure.basic': 21_083_500,
      'expenditure.project': 31_284_500,
      'threePublic.abroad': 0,
      'threePublic.vehicle': 68_000,
      'threePublic.reception': 28_000,
      'staff.authorized': 62,
      'staff.actual': 58,
    },
  },
  'sangong-market-2025.txt': {
    title: '某县市场监督管理局2025年度“三公”经费决算说明',
    fiscalYear: 2025,
    documentType: 'sangong',
    organization: '某县市场监督管理局',
    fields: {
      'threePublic.total': 124_800,
      'threePublic.abroad': 19_300,
      'threePublic.vehicle': 73_900,
      'threePublic.reception': 31_600,
    },
  },
  'mixed-media-center-2025.txt': {
    title: '某县融媒体中心2025年度单位决算及绩效情况说明',
    fiscalYear: 2025,
    documentType: 'final-accounts',
    organization: '某县融媒体中心',
    fields: {
      'income.total': 12_486_530.27,
      'income.fiscal': 10_932_118.6,
      'expenditure.total': 12_318_904.55,
      'expenditure.basic': 7_026_481.39,
      'expenditure.project': 5_292_423.16,
      'threePublic.total': 268_450,
      'threePublic.abroad': 0,
      'threePublic.vehicle': 232_650,
      'threePublic.reception': 35_800,
      'procurement.total': 1_856_420,
      'procurement.sme': 1_856_420,
      'procurement.micro': 1_214_800,
      'staff.authorized': 40,
      'staff.actual': 36,
    },
  },
  'xss-archives-2025.txt': {
    title: '2025年度某区档案馆部门整体支出绩效自评报告',
    fiscalYear: 2025,
    documentType: 'perf-eval',
    organization: '某区档案馆',
    fields: {
      'expenditure.total': 4_862_500,
      'expenditure.basic': 3_186_400,
      'expenditure.project': 1_676_100,
      'staff.authorized': 16,
      'staff.actual': 14,
    },
  },
};

/**
 * Fields the text states that the product does not (yet) extract. Each is a test that is EXPECTED TO FAIL
 * (`it.fails`): when the product learns the field, that test fails — move the field into FIXTURES above.
 */
const KNOWN_FIELD_GAPS: Record<string, { fields: Record<string, number>; reason: string; closed?: true }> = {
  'budget-street-2026.txt': {
    fields: { 'income.total': 52_368_000, 'expenditure.total': 52_368_000, 'threePublic.total': 96_000, 'procurement.total': 7_163_500 },
    reason:
      'a budget report states its totals at the budget stage (部门收入预算 / 支出预算 / “三公”经费预算 / 政府采购预算总额); ' +
      'the field labels do not allow 预算 there and the default stage preference (final, none, actual) skips budget figures',
  },
  'final-school-2025.txt': {
    fields: { 'threePublic.reception': 18_600 },
    reason: '“三公”经费…支出决算1.86万元…全部为公务接待费: the alias the field spec mentions is not applied',
    closed: true,
  },
  'mixed-media-center-2025.txt': {
    fields: { 'procurement.goods': 1_326_420, 'procurement.works': 0, 'procurement.services': 530_000 },
    reason: '政府采购支出总额…其中：货物…，工程…，服务…: the parts are labelled 货物/工程/服务 without the 政府采购 of their total',
    closed: true,
  },
};

/**
 * Inputs known to be flagged although the report is clean, because of a reader bug. Each is EXPECTED TO FAIL
 * (`it.fails`); when the reader is fixed, that test fails — delete the entry.
 */
const KNOWN_FALSE_POSITIVES: Record<string, string> = {
};

/** LibreOffice is slow (~2 s a file): only these reports also go through it. */
const OFFICE_REPORTS = ['final-school-2025.txt', 'sangong-market-2025.txt', 'mixed-media-center-2025.txt'];

interface Input {
  file: string;
  fixture: string;
  format: 'txt' | 'docx' | 'pdf';
}

const INPUTS: Input[] = Object.keys(FIXTURES).flatMap((fixture) => {
  const stem = fixture.replace(/\.txt$/, '');
  return [
    { file: `txt/${fixture}`, fixture, format: 'txt' as const },
    { file: `docx/${stem}.docx`, fixture, format: 'docx' as const },
    { file: `pdfkit/${stem}.pdf`, fixture, format: 'pdf' as const },
    ...(OFFICE_REPORTS.includes(fixture) ? [{ file: `office/${stem}.pdf`, fixture, format: 'pdf' as const }] : []),
  ];
});

describe('clean fixture reports, TXT + DOCX + PDF, one CLI run', () => {
  let cleanup: () => Promise<void>;
  let result: CliResult;
  let reports: Map<string, Report>;

  beforeAll(async () => {
    assertBuilt();
    let dir: string;
    ({ dir, cleanup } = await makeTempDir('clean'));
    for (const sub of ['txt', 'docx', 'pdfkit', 'office']) await mkdir(path.join(dir, sub));
    const texts = new Map<string, string>();
    for (const fixture of Object.keys(FIXTURES)) texts.set(fixture, await fixtureText(fixture));
    const docxOf = new Map<string, Buffer>();
    for (const input of INPUTS) {
      const text = texts.get(input.fixture)!;
      let bytes: Buffer | string;
      if (input.file.startsWith('txt/')) bytes = text;
      else if (input.file.startsWith('docx/')) docxOf.set(input.fixture, (bytes = await renderDocx(text)));
      else if (input.file.startsWith('pdfkit/')) bytes = await renderPdfKit(text);
      else bytes = await renderPdfOffice(docxOf.get(input.fixture) ?? (await renderDocx(text)));
      await writeFile(path.join(dir, input.file), bytes);
    }
    result = await runCli(['check', ...INPUTS.map((i) => i.file), '--format', 'jsonl', '--concurrency', '2'], { cwd: dir });
    reports = byFile(parseJsonl(result.stdout));
  });

  afterAll(async () => {
    await cleanup?.();
  });

  it('stdout is schema-valid jsonl with every input exactly once, sorted by file', () => {
    expect(result.stderr).toBe('');
    const files = [...reports.keys()];
    expect(files).toHaveLength(INPUTS.length);
    expect([...files].sort()).toEqual(INPUTS.map((i) => i.file).sort());
    expect(files).toEqual([...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('exits 0 unless a known false positive produced an error', () => {
    const anyError = [...reports.values()].some((r) => r.findings.some((f) => f.severity === 'error'));
    const knownPresent = INPUTS.some((i) => i.file in KNOWN_FALSE_POSITIVES);
    expect(result.code).toBe(anyError && knownPresent ? 1 : 0);
  });

  for (const input of INPUTS) {
    const known = KNOWN_FALSE_POSITIVES[input.file];
    (known ? it.fails : it)(`${input.file}: read, no error/warning findings${known ? ` — KNOWN FALSE POSITIVE: ${known}` : ''}`, () => {
      const report = reports.get(input.file)!;
      expect(report, 'report present').toBeDefined();
      expect(report.status, report.error?.message).toBe('ok');
      expect(report.format).toBe(input.format);
      if (input.format === 'pdf') expect(report.pages).toBeGreaterThanOrEqual(1);
      const serious = report.findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      expect(serious, describeFindings(report)).toEqual([]);
      expect(report.checks.failed).toBe(report.findings.length);
      expect(report.checks.run).toBeGreaterThan(0);
    });

    it(`${input.file}: title, fiscal year, document type, organisation, fields`, () => {
      const report = reports.get(input.file)!;
      const want = FIXTURES[input.fixture]!;
      expect(report.title).toBe(want.title);
      expect(report.fiscalYear).toBe(want.fiscalYear);
      expect(report.documentType).toBe(want.documentType);
      expect(report.organization ?? '').toMatch(new RegExp(`^${want.organization}`));
      expect(report.fields).toMatchObject(want.fields);
      expect(report.figures.length).toBeGreaterThan(5);
    });
  }

  it('the same report gives the same fields and (outside tables) the same figures in every format', () => {
    // table cells are compared elsewhere: how well a table survives depends on the format
    const prose = (r: Report) =>
      r.figures.filter((f) => (f.loc as { table?: string }).table === undefined).map((f) => f.text.replace(/\s+/g, ''));
    for (const fixture of Object.keys(FIXTURES)) {
      const same = INPUTS.filter((i) => i.fixture === fixture && !(i.file in KNOWN_FALSE_POSITIVES)).map((i) => reports.get(i.file)!);
      const [first, ...rest] = same;
      for (const r of rest) {
        expect(r.fields, `${r.file} vs ${first!.file}`).toEqual(first!.fields);
        expect(prose(r), `${r.file} vs ${first!.file}`).toEqual(prose(first!));
      }
    }
  });

  for (const [fixture, gap] of Object.entries(KNOWN_FIELD_GAPS)) {
    // a closed gap stays as an ordinary test of the field
    (gap.closed ? it : it.fails)(`${gap.closed ? 'FIELD (gap closed)' : 'KNOWN FIELD GAP'} ${fixture}: ${Object.keys(gap.fields).join(', ')} — ${gap.reason}`, () => {
      const report = reports.get(`txt/${fixture}`)!;
      expect(report.fields).toMatchObject(gap.fields);
    });
  }
});
