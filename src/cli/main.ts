import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PackError } from '../checks/load-pack.js';
import { PackSchema } from '../checks/pack-schema.js';
import { commandSettings, ConfigError, loadPackSet, type PackSetSource } from '../packs.js';
import { crossCheck } from '../cross/check.js';
import { failedReport } from '../pipeline.js';
import { ReadError } from '../readers/types.js';
import { formatJson, formatJsonl, formatStylish, FORMATS, type Format } from '../report/formatters.js';
import { ReportSchema, type Report } from '../report/schema.js';
import { runExamples } from '../selftest.js';
import { checkInputs } from './check-inputs.js';
import { collectInputs } from './files.js';
import { assertWritableOutput, dropOutputWhenStdoutCloses, OutputError, writeOutputFile } from './output.js';
import { ArchiveError, archiveOptions } from '../archive/index.js';
import { archiveCommand, ARCHIVE_HELP, searchCommand, storeReports } from './archive.js';
import { CheckPool } from '../pool/pool.js';
import { Progress } from './progress.js';
import { QUEUE_HELP, statusCommand, submitCommand, workerCommand } from './queue.js';
import { serveCommand, SERVE_HELP } from './serve.js';
import { ServerConfigError } from '../server/config.js';
import { QueueError } from '../queue/config.js';
import { UsageError, wholeNumberOption } from './usage.js';

const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

const HELP = `crossfoot ${VERSION} — checks the arithmetic and consistency of Chinese budget-performance reports

Usage:
  crossfoot check <files or folders…> [options]   check DOCX/PDF/TXT reports (folders: recursively)
  crossfoot rules test [--rules PATH]…            run every rule's valid/invalid examples
  crossfoot rules list [--rules PATH]…            list the rules in force
  crossfoot rules schema [--report]               print the JSON Schema of rule packs (or of the report)
  crossfoot archive add|list|show|export …        the archive of checked reports (see below)
  crossfoot search "<words>" [filters]            Chinese full-text and field search over the archive
  crossfoot serve [--port N] [--host H] [--db PATH] the review web app and REST API (see below)
  crossfoot worker | submit <paths…> | status <id>  queue workers on Redis for bulk checking (see below)

Options for check:
  -f, --format jsonl|json|stylish   output format (default: stylish on a terminal, jsonl otherwise)
  -o, --output FILE                 write the output to FILE instead of stdout
      --rules PATH                  add a rule pack (a folder with pack.yaml, or the file); repeatable
  -c, --config FILE                 YAML/JSON config: packs, rule severities ('off' to disable), limits
  -j, --concurrency N               worker threads (default: the number of cores)
      --timeout MS                  per-document time limit (default 60000)
  -q, --quiet                       stylish: show errors only
      --timings                     put each stage's milliseconds in the reports (timingsMs); off by default,
                                    so that the same check run twice prints the same bytes
      --max-warnings N              exit 1 when there are more than N warnings
      --archive                     also store every report in the archive (--db PATH, CROSSFOOT_DB or
                                    DATABASE_URL; default ./crossfoot.db)
  -h, --help, -v, --version

Exit codes: 0 no error findings; 1 error findings or unreadable files (or too many warnings); 2 usage, config or internal failure (a rule that broke: E_RULE).

${ARCHIVE_HELP}

${QUEUE_HELP}

${SERVE_HELP}`;

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      rules: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      concurrency: { type: 'string', short: 'j' },
      timeout: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'max-warnings': { type: 'string' },
      archive: { type: 'boolean' },
      db: { type: 'string' },
      timings: { type: 'boolean' },
    },
  });
  if (!positionals.length) throw new UsageError('check needs at least one file or folder');
  const format = (values.format ?? (process.stdout.isTTY ? 'stylish' : 'jsonl')) as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format ${format} (use ${FORMATS.join(', ')})`);
  const concurrency = Math.max(1, wholeNumberOption('concurrency', values.concurrency, availableParallelism()));
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : wholeNumberOption('max-warnings', values['max-warnings'], 0);
  const settings = commandSettings(values);
  const { source, limits } = settings;
  // a pack that does not load is refused before any document is read; its cross rules run here, over the run
  const packs = await loadPackSet(source);
  const timeoutMs = wholeNumberOption('timeout', values.timeout, settings.timeoutMs ?? 60_000);
  if (values.output) assertWritableOutput(values.output);

  const files = collectInputs(positionals);
  const progress = new Progress(process.stderr);
  const workers = Math.min(concurrency, Math.max(1, files.length));
  const pool = new CheckPool({ concurrency: workers, timeoutMs, limits, source, includeText: !!values.archive, includeTimings: !!values.timings, ...(settings.config?.limits.maxHeapMb ? { maxHeapMb: settings.config.limits.maxHeapMb } : {}) });
  let reports: Report[] = [];
  await checkInputs(pool, files, { maxBytes: limits.maxBytes, lanes: workers * 2 }, (i, file, outcome) => {
    reports[i] = outcome instanceof ReadError ? failedReport(file, new Uint8Array(), outcome) : outcome;
    progress.tick(files.length, file);
  });
  await pool.close();
  progress.done();
  reports.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // a unit's documents in this run are held against each other (and, with --archive, against its archived ones)
  reports = crossCheck(reports, packs);
  // the text goes to the archive's index, not into the printed reports
  const texts = new Map<string, string>();
  for (const r of reports) {
    if (r.text !== undefined) texts.set(r.file, r.text);
    delete r.text;
  }
  if (values.archive) await storeReports(reports, texts, packs, archiveOptions(values.db));

  const text =
    format === 'jsonl' ? formatJsonl(reports) : format === 'json' ? formatJson(reports) : formatStylish(reports, { color: !values.output && !!process.stdout.isTTY, quiet: !!values.quiet });
  if (values.output) writeOutputFile(values.output, text);
  else process.stdout.write(text);

  const errors = reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
  const warnings = reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0);
  const unreadable = reports.some((r) => r.status === 'failed');
  // a broken rule is crossfoot's fault, not the documents': say which, and exit as an internal failure
  const broken = reports.flatMap((r) => (r.ruleErrors ?? []).map((e) => `${r.file}: rule ${e.ruleId} failed (E_RULE): ${e.message}`));
  for (const line of broken) process.stderr.write(`crossfoot: ${line}\n`);
  if (broken.length) return 2;
  return errors > 0 || unreadable || warnings > maxWarnings ? 1 : 0;
}

async function rules(args: string[]): Promise<number> {
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  dropOutputWhenStdoutCloses();
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(HELP + '\n');
      return command ? 0 : 2;
    }
    if (command === '-v' || command === '--version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    if (command === 'check') return await check(rest);
    if (command === 'rules') return await rules(rest);
    if (command === 'archive') return await archiveCommand(rest);
    if (command === 'search') return await searchCommand(rest);
    if (command === 'worker') return await workerCommand(rest);
    if (command === 'submit') return await submitCommand(rest);
    if (command === 'status') return await statusCommand(rest);
    if (command === 'serve') return await serveCommand(rest, VERSION);
    throw new UsageError(`unknown command ${command}`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`crossfoot: ${(error as Error).message}\nRun "crossfoot --help" for usage.\n`);
      return 2;
    }
    if (error instanceof PackError || error instanceof ConfigError || error instanceof ArchiveError || error instanceof QueueError || error instanceof ServerConfigError || error instanceof OutputError) {
      process.stderr.write(`crossfoot: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`crossfoot: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
