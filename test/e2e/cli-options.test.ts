/**
 * E2E (d): output formats, options, exit codes, configuration, extra rule packs and the `rules` commands of the
 * real CLI. Documents are rendered once (beforeAll) and shared; each test is one or two CLI runs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { applyPlanted, renderDocx, renderPdfKit } from '../helpers/render.js';
import { assertBuilt, FIXTURES, fixtureText, makeTempDir, parseJsonl, ROOT, runCli } from './cli.js';

interface PlantedCase {
  id: string;
  base: string;
  find: string;
  replace: string;
}

const EXTRA_PACK = `schemaVersion: 1
pack:
  id: local-extra
  version: 0.1.0
  title: 本地补充检查（测试）
  appliesTo: [all]
rules:
  - id: reception-within-abroad
    type: compare
    severity: warning
    description: 测试规则：公务接待费不应超过因公出国（境）费
    options:
      left: '公务接待费(?:支出)?$'
      right: '因公出国\\(境\\)费(?:支出)?$'
      leftName: 公务接待费
      rightName: 因公出国（境）费
    examples:
      valid:
        - 因公出国（境）费2.00万元，公务接待费1.50万元。
      invalid:
        - text: 因公出国（境）费1.00万元，公务接待费1.50万元。
          errors: [{ messageId: exceeds, cites: 1.50万元 }]
`;

/** Same rule, but a "valid" example that the rule (rightly) flags: the pack must be refused. */
const FAILING_PACK = EXTRA_PACK.replace('id: local-extra', 'id: local-broken').replace(
  '        - 因公出国（境）费2.00万元，公务接待费1.50万元。',
  '        - 因公出国（境）费1.00万元，公务接待费1.50万元。',
);

describe.concurrent('CLI formats, options and commands', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  /** error finding only (core/report-year) */
  const ERROR_DOC = 'error.txt';
  /** warning finding only (core/same-item-values) */
  const WARNING_DOC = 'warning.txt';
  /** info finding only (core/staff-within-quota) */
  const INFO_DOC = 'info.txt';
  const CLEAN_DOC = 'clean.txt';
  const CLEAN_DOCX = 'clean.docx';
  /** read fine, but not a budget report */
  const NOTES_DOC = 'notes.txt';
  const PDF_DOC = 'sangong.pdf';

  beforeAll(async () => {
    assertBuilt();
    ({ dir, cleanup } = await makeTempDir('options'));
    const cases: PlantedCase[] = JSON.parse(await readFile(path.join(FIXTURES, 'planted.json'), 'utf8'));
    const planted = async (id: string) => {
      const c = cases.find((x) => x.id === id)!;
      return applyPlanted(await readFile(path.join(FIXTURES, c.base), 'utf8'), c.find, c.replace);
    };
    const clean = await fixtureText('xss-archives-2025.txt');
    await writeFile(path.join(dir, ERROR_DOC), await planted('agri-income-year'));
    await writeFile(path.join(dir, WARNING_DOC), await planted('agri-project-spend-restated'));
    await writeFile(path.join(dir, INFO_DOC), await planted('agri-staff-over-quota'));
    await writeFile(path.join(dir, CLEAN_DOC), clean);
    await writeFile(path.join(dir, CLEAN_DOCX), await renderDocx(clean));
    await writeFile(path.join(dir, NOTES_DOC), 'hello world\n');
    await writeFile(path.join(dir, PDF_DOC), await renderPdfKit(await fixtureText('sangong-market-2025.txt')));
    await writeFile(path.join(dir, 'sangong.txt'), await fixtureText('sangong-market-2025.txt'));
    await mkdir(path.join(dir, 'packs', 'extra'), { recursive: true });
    await mkdir(path.join(dir, 'packs', 'broken'), { recursive: true });
    await writeFile(path.join(dir, 'packs', 'extra', 'pack.yaml'), EXTRA_PACK);
    await writeFile(path.join(dir, 'packs', 'broken', 'pack.yaml'), FAILING_PACK);
    await writeFile(path.join(dir, 'year-off.yaml'), "rules:\n  core/report-year: 'off'\n");
    await writeFile(path.join(dir, 'unknown-rule.yaml'), 'rules:\n  core/no-such-rule: warning\n');
  });

  afterAll(async () => {
    await cleanup?.();
  });

  const check = (...args: string[]) => runCli(['check', ...args], { cwd: dir });

  describe('formats', () => {
    it('--format json prints one array of schema-valid reports, the same as jsonl', async () => {
      const [json, jsonl] = await Promise.all([
        check(ERROR_DOC, CLEAN_DOC, '--format', 'json', '-j', '1'),
        check(ERROR_DOC, CLEAN_DOC, '--format', 'jsonl', '-j', '1'),
      ]);
      expect(json.code).toBe(1);
      const data: unknown = JSON.parse(json.stdout);
      expect(Array.isArray(data)).toBe(true);
      const reports = (data as unknown[]).map((r) => ReportSchema.parse(r));
      expect(reports.map((r) => r.file)).toEqual([CLEAN_DOC, ERROR_DOC]);
      const strip = (r: Report) => ({ ...r, timingsMs: undefined });
      expect(reports.map(strip)).toEqual(parseJsonl(jsonl.stdout).map(strip));
    });

    it('two runs on the same files print byte-identical jsonl; --timings adds each stage\'s milliseconds', async () => {
      const [first, second, timed] = await Promise.all([
        check(ERROR_DOC, CLEAN_DOCX, '--format', 'jsonl'),
        check(ERROR_DOC, CLEAN_DOCX, '--format', 'jsonl'),
        check(ERROR_DOC, CLEAN_DOCX, '--format', 'jsonl', '--timings'),
      ]);
      expect(first.code).toBe(1);
      expect(second.stdout).toBe(first.stdout);
      expect(parseJsonl(first.stdout).every((r) => r.timingsMs === undefined)).toBe(true);
      const withTimings = parseJsonl(timed.stdout);
      for (const r of withTimings) expect(Object.keys(r.timingsMs ?? {})).toEqual(expect.arrayContaining(['read', 'checks']));
      expect(withTimings.map((r) => ({ ...r, timingsMs: undefined }))).toEqual(parseJsonl(first.stdout).map((r) => ({ ...r, timingsMs: undefined })));
    });

    it('--format stylish: a header line per file with findings, line:col lines, and a summary line', async () => {
      const [stylish, jsonl] = await Promise.all([
        check(ERROR_DOC, WARNING_DOC, CLEAN_DOC, NOTES_DOC, '--format', 'stylish', '-j', '1'),
        check(ERROR_DOC, WARNING_DOC, CLEAN_DOC, NOTES_DOC, '--format', 'jsonl', '-j', '1'),
      ]);
      expect(stylish.code).toBe(1);
      expect(stylish.stdout).not.toContain('\u001b['); // no colour when stdout is not a terminal
      const lines = stylish.stdout.trimEnd().split('\n');
      expect(lines.at(-1)).toBe('✖ 共 4 个文件：错误 1 条，警告 1 条，未识别为报告 1 个');
      // every finding of the jsonl run appears as "  line:col  severity  message  ruleId" under its file's header,
      // then its calculation and its quote as a code frame ("    18 | …", on one line)
      const label = { error: '错误', warning: '警告', info: '提示' };
      for (const report of parseJsonl(jsonl.stdout)) {
        const header = lines.indexOf(report.file);
        // "hello world" has no figure a budget report would have: not passed, but not a report
        expect(report.notAReport, report.file).toBe(report.file === NOTES_DOC ? true : undefined);
        if (report.notAReport) {
          expect(lines[header + 1]).toBe('  未识别为报告  标题不是已知的报告类型，文中也没有任何金额，未作核对');
          continue;
        }
        if (!report.findings.length) {
          expect(header, `${report.file} has no findings, no block`).toBe(-1);
          continue;
        }
        expect(header).toBeGreaterThanOrEqual(0);
        let at = header + 1;
        for (const f of report.findings) {
          const line = lines[at++]!;
          expect(line).toMatch(new RegExp(`^\\s+${f.loc.line}:${f.loc.column}\\s+${label[f.severity]}\\s+`));
          expect(line).toContain(f.message);
          expect(line.trimEnd().endsWith(f.ruleId)).toBe(true);
          if (f.calculation) expect(lines[at++]).toBe(`             计算：${f.calculation}`);
          const quote = f.quote.replace(/\s+/g, ' ').trim();
          expect(lines[at++]).toBe(`             ${f.loc.line} | ${quote.length > 120 ? `${quote.slice(0, 119)}…` : quote}`);
        }
      }
    });

    it('--format stylish --quiet shows errors only (the summary still counts warnings)', async () => {
      const quiet = await check(ERROR_DOC, WARNING_DOC, '--format', 'stylish', '--quiet', '-j', '1');
      expect(quiet.code).toBe(1);
      expect(quiet.stdout).toContain('core/report-year');
      expect(quiet.stdout).not.toContain('core/same-item-values');
      expect(quiet.stdout).not.toMatch(/^\s+\d+:\d+\s+警告/m);
      expect(quiet.stdout.trimEnd().split('\n').at(-1)).toBe('✖ 共 2 个文件：错误 1 条，警告 1 条');
    });

    it('-o FILE writes the output to FILE and nothing to stdout', async () => {
      const out = path.join(dir, 'out', 'result.jsonl');
      await mkdir(path.dirname(out), { recursive: true });
      const run = await check(CLEAN_DOC, ERROR_DOC, '-o', out, '--format', 'jsonl', '-j', '1');
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      const reports = parseJsonl(await readFile(out, 'utf8'));
      expect(reports.map((r) => r.file)).toEqual([CLEAN_DOC, ERROR_DOC]);
    });

    it('--format is an error when unknown (exit 2, message on stderr, nothing on stdout)', async () => {
      const run = await check(CLEAN_DOC, '--format', 'xml');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/unknown format xml/);
    });

    it('without --format, a non-terminal stdout gets jsonl', async () => {
      const run = await check(CLEAN_DOC, CLEAN_DOCX, '-j', '1');
      expect(parseJsonl(run.stdout).map((r) => r.file)).toEqual([CLEAN_DOCX, CLEAN_DOC]);
    });
  });

  describe('exit codes', () => {
    it('0 on a clean report (TXT and DOCX)', async () => {
      const run = await check(CLEAN_DOC, CLEAN_DOCX, '--format', 'jsonl', '-j', '2');
      expect(run.code, run.stderr).toBe(0);
      expect(parseJsonl(run.stdout).every((r) => r.status === 'ok' && r.findings.length === 0)).toBe(true);
    });

    it('0 with info findings only; 0 with warnings only; 1 with an error', async () => {
      const [info, warning, error] = await Promise.all([check(INFO_DOC, '-j', '1'), check(WARNING_DOC, '-j', '1'), check(ERROR_DOC, '-j', '1')]);
      expect(parseJsonl(info.stdout)[0]!.findings.map((f) => f.severity)).toEqual(['info']);
      expect(info.code).toBe(0);
      expect(parseJsonl(warning.stdout)[0]!.findings.map((f) => f.severity)).toEqual(['warning']);
      expect(warning.code).toBe(0);
      expect(parseJsonl(error.stdout)[0]!.findings.map((f) => f.severity)).toEqual(['error']);
      expect(error.code).toBe(1);
    });

    it('--max-warnings 0 makes warnings alone exit 1; --max-warnings 1 tolerates one', async () => {
      const [zero, one] = await Promise.all([check(WARNING_DOC, '--max-warnings', '0', '-j', '1'), check(WARNING_DOC, '--max-warnings', '1', '-j', '1')]);
      expect(zero.code).toBe(1);
      expect(one.code).toBe(0);
    });

    it('2 on an unknown option, a bad number, a missing operand, an unknown command', async () => {
      const runs = await Promise.all([
        check(CLEAN_DOC, '--no-such-option'),
        check(CLEAN_DOC, '--concurrency', 'many'),
        check(),
        runCli(['frobnicate'], { cwd: dir }),
      ]);
      for (const run of runs) {
        expect(run.code, run.stderr).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^crossfoot: /);
      }
      expect(runs[0]!.stderr).toMatch(/no-such-option/);
    });
  });

  describe('configuration and rule packs', () => {
    it('--config with core/report-year off removes that finding', async () => {
      const [on, off] = await Promise.all([check(ERROR_DOC, '-j', '1'), check(ERROR_DOC, '--config', 'year-off.yaml', '-j', '1')]);
      expect(parseJsonl(on.stdout)[0]!.findings.map((f) => f.ruleId)).toContain('core/report-year');
      expect(on.code).toBe(1);
      const report = parseJsonl(off.stdout)[0]!;
      expect(report.findings.map((f) => f.ruleId)).not.toContain('core/report-year');
      expect(off.code).toBe(0);
    });

    it('--config naming an unknown rule exits 2 and names it', async () => {
      const run = await check(CLEAN_DOC, '--config', 'unknown-rule.yaml');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/core\/no-such-rule/);
    });

    it('--config with a file that does not exist exits 2', async () => {
      const run = await check(CLEAN_DOC, '--config', 'missing.yaml');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/missing\.yaml/);
    });

    it('--rules with an extra pack folder adds its rule and lists the pack in the report', async () => {
      const [without, withPack] = await Promise.all([
        check('sangong.txt', '-j', '1'),
        check('sangong.txt', PDF_DOC, '--rules', 'packs/extra', '-j', '2'),
      ]);
      expect(without.code).toBe(0);
      expect(parseJsonl(without.stdout)[0]!.findings).toEqual([]);
      const reports = parseJsonl(withPack.stdout);
      expect(reports.map((r) => r.file)).toEqual([PDF_DOC, 'sangong.txt']);
      for (const report of reports) {
        expect(report.packs).toContainEqual({ id: 'local-extra', version: '0.1.0' });
        const added = report.findings.filter((f) => f.ruleId === 'local-extra/reception-within-abroad');
        expect(added.length, report.file).toBeGreaterThan(0);
        expect(added.every((f) => f.severity === 'warning')).toBe(true);
        const cited = added.flatMap((f) => f.figures.map((id) => report.figures.find((x) => x.id === id)!.text));
        expect(cited).toContain('3.16万元');
      }
      // warnings only: exit 0, unless --max-warnings says otherwise
      expect(withPack.code).toBe(0);
    });

    it('--rules accepts the pack.yaml file itself; `rules list` shows the extra rule', async () => {
      const list = await runCli(['rules', 'list', '--rules', 'packs/extra/pack.yaml'], { cwd: dir });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/^local-extra\/reception-within-abroad\s+compare\s+warning/m);
      expect(list.stdout).toMatch(/^core\/report-year\s/m);
    });

    it('a pack whose examples fail is refused: exit 2, the message names the rule', async () => {
      const run = await check(CLEAN_DOC, '--rules', 'packs/broken');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/local-broken/);
      expect(run.stderr).toMatch(/reception-within-abroad/);
    });

    it('two packs with the same id are refused (exit 2)', async () => {
      const run = await check(CLEAN_DOC, '--rules', 'packs/extra', '--rules', 'packs/extra/pack.yaml');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/local-extra/);
    });
  });

  describe('time limit and ordering', () => {
    it('--timeout 1 fails the PDF with E_TIMEOUT, and the batch still completes', async () => {
      const files = [PDF_DOC, CLEAN_DOC, CLEAN_DOCX, ERROR_DOC];
      const run = await check(...files, '--timeout', '1', '-j', '2', '--format', 'jsonl');
      expect(run.code).toBe(1);
      const reports = parseJsonl(run.stdout);
      expect(reports.map((r) => r.file).sort()).toEqual([...files].sort());
      const pdf = reports.find((r) => r.file === PDF_DOC)!;
      expect(pdf.status).toBe('failed');
      expect(pdf.error?.code).toBe('E_TIMEOUT');
      for (const r of reports) if (r.status === 'failed') expect(r.error?.code, r.file).toBe('E_TIMEOUT');
    });

    it('output is sorted by file whatever the order given and the order of completion', async () => {
      const files = ['warning.txt', PDF_DOC, 'info.txt', CLEAN_DOCX, 'error.txt', 'clean.txt'];
      const run = await check(...files, '-j', '2');
      const got = parseJsonl(run.stdout).map((r) => r.file);
      expect(got).toEqual([...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });
  });

  describe('rules commands and help', () => {
    it('`rules test` exits 0 and prints "N passed, 0 failed"', async () => {
      const run = await runCli(['rules', 'test'], { cwd: dir });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const m = /^(\d+) passed, 0 failed$/m.exec(run.stdout);
      expect(m, run.stdout).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(10);
    });

    it('`rules test --rules` runs the extra pack too; a failing pack makes it exit non-zero', async () => {
      const [good, bad] = await Promise.all([
        runCli(['rules', 'test', '--rules', 'packs/extra'], { cwd: dir }),
        runCli(['rules', 'test', '--rules', 'packs/broken'], { cwd: dir }),
      ]);
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout).toMatch(/local-extra@0\.1\.0: 2 examples, 0 failed/);
      expect(bad.code).not.toBe(0);
      expect(bad.stdout + bad.stderr).toMatch(/local-broken\/reception-within-abroad/);
    });

    it('`rules schema` prints the JSON Schema of rule packs; --report that of the report', async () => {
      const [packSchema, reportSchema] = await Promise.all([
        runCli(['rules', 'schema'], { cwd: dir }),
        runCli(['rules', 'schema', '--report'], { cwd: dir }),
      ]);
      expect(packSchema.code).toBe(0);
      const pack = JSON.parse(packSchema.stdout) as { $schema?: string; type?: string; properties?: Record<string, unknown> };
      expect(pack.$schema).toMatch(/json-schema\.org/);
      expect(pack.type).toBe('object');
      expect(Object.keys(pack.properties ?? {})).toEqual(expect.arrayContaining(['schemaVersion', 'pack', 'rules']));
      expect(reportSchema.code).toBe(0);
      const report = JSON.parse(reportSchema.stdout) as { properties?: Record<string, unknown> };
      expect(Object.keys(report.properties ?? {})).toEqual(expect.arrayContaining(['file', 'status', 'findings', 'figures', 'fields']));
    });

    it('--help prints usage and exits 0; --version prints the version; no command exits 2', async () => {
      const [help, short, version, none] = await Promise.all([
        runCli(['--help'], { cwd: dir }),
        runCli(['-h'], { cwd: dir }),
        runCli(['--version'], { cwd: dir }),
        runCli([], { cwd: dir }),
      ]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage:/m);
      expect(help.stdout).toMatch(/crossfoot check/);
      expect(help.stdout).toMatch(/--max-warnings/);
      expect(short.stdout).toBe(help.stdout);
      expect(version.code).toBe(0);
      const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(version.stdout).toBe(`${pkg.version}\n`);
      expect(none.code).toBe(2);
      expect(none.stdout).toMatch(/^Usage:/m);
    });
  });
});
