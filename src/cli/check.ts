import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { commandSettings, loadPackSet } from '../packs.js';
import type { PackSet } from '../checks/pack-set.js';
import { crossCheck } from '../cross/check.js';
import { failedReport } from '../pipeline.js';
import { ReadError } from '../readers/types.js';
import { formatJson, formatJsonl, formatStylish, FORMATS, type Format } from '../report/formatters.js';
import type { Report } from '../report/schema.js';
import { checkInputs } from './check-inputs.js';
import { collectInputs } from './files.js';
import { assertWritableOutput, writeOutputFile } from './output.js';
import { CheckPool } from '../pool/pool.js';
import { Progress } from './progress.js';
import { UsageError, wholeNumberOption } from './usage.js';

/** `crossfoot check <files or folders…>`: checks in the pool's threads, prints the reports sorted by file. */
export async function checkCommand(args: string[]): Promise<number> {
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
  const timeoutMs = wholeNumberOption('timeout', values.timeout, settings.timeoutMs ?? 60_000);
  if (values.output) assertWritableOutput(values.output);

  const files = collectInputs(positionals);
  const progress = new Progress(process.stderr);
  const workers = Math.min(concurrency, Math.max(1, files.length));
  // The packs are read in the next microtask, after the threads have started loading the pipeline, so that the
  // two happen at once. A pack that does not load is refused before any document is read; the packs' cross rules
  // run here, over the run.
  const loading = Promise.resolve().then(() => loadPackSet(source));
  const pool = new CheckPool({ concurrency: workers, timeoutMs, limits, packs: loading, includeText: !!values.archive, includeTimings: !!values.timings, ...(settings.config?.limits.maxHeapMb ? { maxHeapMb: settings.config.limits.maxHeapMb } : {}) });
  pool.start(workers);
  let packs: PackSet;
  try {
    packs = await loading;
  } catch (error) {
    await pool.close();
    throw error;
  }
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
  if (values.archive) {
    // the archive's drivers are loaded only when it is used
    const [{ storeReports }, { archiveOptions }] = await Promise.all([import('./archive.js'), import('../archive/index.js')]);
    await storeReports(reports, texts, packs, archiveOptions(values.db));
  }

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
