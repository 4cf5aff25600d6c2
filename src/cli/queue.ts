import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { archiveOptions } from '../archive/index.js';
import { commandSettings, loadPackSet } from '../packs.js';
import { CheckWorker } from '../queue/worker.js';
import { QueueClient } from '../queue/client.js';
import { queueConfig, QueueUnavailableError } from '../queue/config.js';
import { packsKey } from '../queue/jobs.js';
import { checkPersistence } from '../queue/persistence.js';
import type { BatchStatus } from '../batch/summary.js';
import { collectInputs } from './files.js';
import { Progress } from './progress.js';
import { UsageError, wholeNumberOption } from './usage.js';


const PACK_OPTIONS = { rules: { type: 'string', multiple: true }, config: { type: 'string', short: 'c' } } as const;

/** `crossfoot worker`: runs until SIGINT/SIGTERM; the first signal drains, a second one abandons active jobs. */
export async function workerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...PACK_OPTIONS, concurrency: { type: 'string', short: 'j' }, timeout: { type: 'string' }, db: { type: 'string' } },
  });
  if (positionals.length) throw new UsageError(`worker takes no arguments (got ${positionals.join(' ')})`);
  const { source, timeoutMs, limits } = commandSettings(values);
  const concurrency = Math.max(1, wholeNumberOption('concurrency', values.concurrency, availableParallelism()));
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const config = queueConfig();
  await checkPersistence(config.redisUrl, log);
  const worker = await CheckWorker.start({
    config,
    archive: archiveOptions(values.db),
    source,
    concurrency,
    timeoutMs: wholeNumberOption('timeout', values.timeout, timeoutMs ?? 60_000),
    limits,
    log,
  });
  log(`worker ${process.pid} started: concurrency ${concurrency}, queue prefix "${config.prefix}"`);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log(`${signal} again: abandoning active jobs (another worker takes them over)`);
        void worker.close(true).then(() => resolve(0));
        return;
      }
      stopping = true;
      log(`${signal}: finishing active jobs, taking no new ones (send it again to stop at once)`);
      void worker.close().then(() => {
        log('worker stopped');
        resolve(0);
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

function statusText(status: BatchStatus, all: boolean): string {
  const lines = [
    `batch ${status.batchId} (${status.name}), submitted ${status.createdAt}`,
    `  ${status.total} documents: ${status.done} checked, ${status.failed} failed, ${status.pending} pending${status.completed ? ' — completed' : ''}`,
  ];
  const shown = all ? status.documents : status.documents.filter((d) => d.errorCode);
  for (const d of shown) {
    const state = d.errorCode ? `${d.errorCode}: ${d.errorMessage ?? ''}` : d.state === 'done' ? `${d.status ?? 'ok'}, ${d.errors ?? 0} errors, ${d.warnings ?? 0} warnings` : d.state;
    lines.push(`  ${d.duplicate ? '=' : d.errorCode ? '✖' : '·'} ${d.name}  ${state}`);
  }
  if (status.failedReason) lines.push(`  the batch could not be summed up: ${status.failedReason} (submit the same files again to retry)`);
  const s = status.summary;
  if (s) {
    const codes = Object.entries(s.byErrorCode).map(([code, n]) => `${code} ${n}`).join(', ');
    lines.push(`  summary: ${s.ok} ok, ${s.unreadable} unreadable${codes ? ` (${codes})` : ''}, ${s.infrastructureFailures} not checked; ${s.errors} errors, ${s.warnings} warnings; ${s.duplicates} already checked before`);
  }
  return lines.join('\n') + '\n';
}

/** 0 when every document was checked without error findings; 1 otherwise (as `check`); 2 when the batch failed. */
function exitCodeOf(status: BatchStatus): number {
  if (status.failedReason) return 2;
  const s = status.summary;
  return s && s.errors === 0 && s.unreadable === 0 && s.infrastructureFailures === 0 ? 0 : 1;
}

async function waitForBatch(client: QueueClient, batchId: string, stream: NodeJS.WriteStream): Promise<BatchStatus> {
  const progress = new Progress(stream);
  let outage = false;
  for (;;) {
    let status: BatchStatus | null;
    try {
      status = await client.status(batchId);
    } catch (error) {
      // the batch lives on in Redis (and the workers wait too): an outage is waited out, said once, not a failure
      if (!(error instanceof QueueUnavailableError)) throw error;
      if (!outage) stream.write(`crossfoot: ${error.message}; waiting for it to come back\n`);
      outage = true;
      await new Promise((r) => setTimeout(r, 1_000));
      continue;
    }
    if (outage) stream.write('crossfoot: Redis is back; still waiting for the batch\n');
    outage = false;
    if (!status) throw new UsageError(`batch ${batchId} disappeared from the queue (removed by its retention settings?)`);
    progress.show(status.done + status.failed, status.total, status.failed ? `, ${status.failed} failed` : '');
    if (status.completed || status.failedReason) {
      progress.done();
      return status;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

export async function submitCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...PACK_OPTIONS, name: { type: 'string' }, store: { type: 'string' }, detach: { type: 'boolean' }, format: { type: 'string', short: 'f' } },
  });
  if (!positionals.length) throw new UsageError('submit needs at least one file or folder');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format ${format} (use text or json)`);
  const files = collectInputs(positionals);
  const packs = packsKey(await loadPackSet(commandSettings(values).source));
  const client = await QueueClient.connect(queueConfig());
  try {
    const store = values.store ?? process.env.CROSSFOOT_STORE;
    const result = await client.submit(
      files.map(({ path, unreadable }) => ({ path, name: path, ...(unreadable ? { rejected: { code: unreadable.code, message: unreadable.message } } : {}) })),
      { packs, ...(values.name ? { name: values.name } : {}), ...(store ? { store } : {}) },
    );
    const duplicates = result.documents.filter((d) => d.duplicate).length;
    const rejected = result.documents.filter((d) => d.rejected);
    process.stdout.write(format === 'json' && values.detach ? JSON.stringify(result) + '\n' : `${result.batchId}\n`);
    process.stderr.write(
      result.existing
        ? `these files were submitted before as batch ${result.batchId}: nothing added\n`
        : `queued ${result.documents.length - duplicates - rejected.length} documents${duplicates ? `, ${duplicates} already queued or checked` : ''}${rejected.length ? `, ${rejected.length} unreadable` : ''}\n`,
    );
    for (const d of rejected) process.stderr.write(`  ✖ ${d.name}: ${d.rejected!.code} ${d.rejected!.message}\n`);
    if (values.detach) return 0;
    const status = await waitForBatch(client, result.batchId, process.stderr);
    process.stdout.write(format === 'json' ? JSON.stringify(status) + '\n' : statusText(status, false));
    return exitCodeOf(status);
  } finally {
    await client.close();
  }
}

export async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { documents: { type: 'boolean' }, format: { type: 'string', short: 'f' } } });
  if (positionals.length !== 1) throw new UsageError('status needs one batch id (printed by submit)');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format ${format} (use text or json)`);
  const client = await QueueClient.connect(queueConfig());
  try {
    const status = await client.status(positionals[0]!);
    if (!status) {
      process.stderr.write(`crossfoot: no batch ${positionals[0]} in the queue (wrong id, or removed after CROSSFOOT_KEEP_BATCH_SECONDS)\n`);
      return 1;
    }
    process.stdout.write(format === 'json' ? JSON.stringify(status, null, 2) + '\n' : statusText(status, !!values.documents));
    return status.completed || status.failedReason ? exitCodeOf(status) : 0;
  } finally {
    await client.close();
  }
}
