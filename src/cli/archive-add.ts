import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { archiveOptions, type ArchiveRepository, openArchive } from '../archive/index.js';
import type { PackSet } from '../checks/pack-set.js';
import { storeWithUnit } from '../cross/archive.js';
import { commandSettings, loadPackSet } from '../packs.js';
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

/**
 * Stores the report with its unit's cross-document findings and prints its line, then a line for each archived
 * report of its unit that it changed (re-stored: a 2025 report stored before its 2024 gets its prior-year finding).
 */
async function store(archive: ArchiveRepository, checked: Report, packs: PackSet, io: Out): Promise<void> {
  const text = checked.text;
  delete checked.text;
  const { report, outcome, updated } = await storeWithUnit(archive, checked, text, packs);
  for (const { report: r, outcome: o } of [{ report, outcome }, ...updated])
    io.stdout.write(`${o.status.padEnd(9)} ${o.sha256.slice(0, 12)}  ${r.file}  ${summary(r, o.orphanedReviews)}\n`);
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
  const { config, source, limits, timeoutMs: configured } = commandSettings(values);
  // the packs are loaded here too: a broken pack is refused before any thread starts; their cross rules run here
  const packs = await loadPackSet(source);
  const timeoutMs = wholeNumberOption('timeout', values.timeout, configured ?? 60_000);
  const inputs = collectInputs(positionals);
  const threads = Math.min(Math.max(1, wholeNumberOption('concurrency', values.concurrency, availableParallelism())), Math.max(1, inputs.length));
  const archive = await openArchive(archiveOptions(values.db));
  const pool = new CheckPool({ concurrency: threads, timeoutMs, limits, packs, includeText: true, ...(config?.limits.maxHeapMb ? { maxHeapMb: config.limits.maxHeapMb } : {}) });
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
      writing = writing.then(() => store(archive, outcome, packs, io));
      return writing;
    });
  } finally {
    await pool.close();
    await archive.close();
  }
  return unreadable ? 1 : 0;
}
