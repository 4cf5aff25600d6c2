import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { archiveOptions, type ArchiveRepository, openArchive } from '../archive/index.js';
import { withPriorYear } from '../archive/prior-year.js';
import { loadPackSet, packSourceOf, readConfig, readLimitsOf } from '../packs.js';
import { CheckPool } from '../pool/pool.js';
import { ReadError } from '../readers/types.js';
import type { Report } from '../report/schema.js';
import { checkInputs } from './check-inputs.js';
import { collectInputs } from './files.js';
import { UsageError, wholeNumberOption } from './usage.js';

interface Out {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function summary(report: Report, orphaned: number): string {
  if (report.status === 'failed') return `failed ${report.error?.code ?? ''}: ${report.error?.message ?? ''}`;
  const count = (s: string) => report.findings.filter((f) => f.severity === s).length;
  return `${count('error')} error(s), ${count('warning')} warning(s)${orphaned ? `, ${orphaned} review(s) orphaned` : ''}`;
}

/** Stores the report with its cross-year findings and prints its line (when `quietIfUnchanged`, only a change). */
async function store(archive: ArchiveRepository, report: Report, text: string | undefined, io: Out, quietIfUnchanged = false): Promise<void> {
  const stored = await withPriorYear(report, archive);
  const outcome = await archive.addReport(stored, text);
  if (quietIfUnchanged && outcome.status === 'unchanged') return;
  io.stdout.write(`${outcome.status.padEnd(9)} ${outcome.sha256.slice(0, 12)}  ${report.file}  ${summary(stored, outcome.orphanedReviews)}\n`);
}

/**
 * The cross-year check of a document stored before its organization's previous year came in, later in the same
 * run. Only these keys are kept (not the reports), so memory does not grow with the run's reports.
 */
class LatePriors {
  private readonly stored = new Map<string, { sha256: string; order: number }[]>();
  private order = 0;

  note(report: Report): void {
    if (report.status !== 'ok' || !report.organization || report.fiscalYear === undefined) return;
    const key = `${report.organization}\u0000${report.fiscalYear}`;
    this.stored.set(key, [...(this.stored.get(key) ?? []), { sha256: report.sha256, order: this.order++ }]);
  }

  /** Documents whose previous year was stored after them. */
  *stale(): Generator<string> {
    for (const [key, docs] of this.stored) {
      const [organization, year] = key.split('\u0000') as [string, string];
      const prior = this.stored.get(`${organization}\u0000${Number(year) - 1}`);
      if (!prior) continue;
      const lastPrior = Math.max(...prior.map((p) => p.order));
      for (const d of docs) if (d.order < lastPrior) yield d.sha256;
    }
  }
}

/**
 * `crossfoot archive add`: checks the files in the check pool (its time limit and per-thread heap cap: a document
 * that needs more fails alone, as E_TOO_LARGE or E_TIMEOUT) and stores each report as soon as it is checked, each
 * in its own transaction. Memory stays flat with the number of files, and a run that is killed keeps what it
 * stored; running it again leaves those unchanged.
 */
export async function addCommand(args: string[], io: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      rules: { type: 'string', multiple: true },
      config: { type: 'string', short: 'c' },
      concurrency: { type: 'string', short: 'j' },
      timeout: { type: 'string' },
    },
  });
  if (!positionals.length) throw new UsageError('archive add needs at least one file or folder');
  const config = values.config ? readConfig(values.config) : undefined;
  const source = packSourceOf(config, values.rules);
  // the packs are loaded here too: a broken pack is refused before any thread starts
  await loadPackSet(source);
  const limits = readLimitsOf(config);
  const timeoutMs = wholeNumberOption('timeout', values.timeout, config?.limits.timeoutMs ?? 60_000);
  const inputs = collectInputs(positionals);
  const threads = Math.min(Math.max(1, wholeNumberOption('concurrency', values.concurrency, availableParallelism())), Math.max(1, inputs.length));
  const archive = await openArchive(archiveOptions(values.db));
  const pool = new CheckPool({ concurrency: threads, timeoutMs, limits, source, includeText: true, ...(config?.limits.maxHeapMb ? { maxHeapMb: config.limits.maxHeapMb } : {}) });
  const late = new LatePriors();
  let unreadable = 0;
  try {
    // one archive write at a time: reports are written in the order they finish, each seeing the ones before
    let writing = Promise.resolve();
    await checkInputs(pool, inputs, { maxBytes: limits.maxBytes, lanes: threads * 2 }, (_, file, outcome) => {
      // not stored: the archive keys documents by their bytes' hash, and there are none
      if (outcome instanceof ReadError) {
        io.stderr.write(`crossfoot: ${file}: ${outcome.message}\n`);
        unreadable++;
        return;
      }
      // like check: a document that cannot be read is stored (status failed) and makes the exit code 1
      if (outcome.status === 'failed') unreadable++;
      writing = writing.then(() => store(archive, outcome, undefined, io).then(() => late.note(outcome)));
      return writing;
    });
    await pool.close();
    for (const sha256 of late.stale()) {
      const doc = await archive.document(sha256);
      if (doc) await store(archive, doc.report, doc.text, io, true);
    }
  } finally {
    await pool.close();
    await archive.close();
  }
  return unreadable ? 1 : 0;
}
