import { ArchiveUnavailableError } from './errors.js';

/** How long a write waits for another process's lock, in all, before the caller is told to retry. */
const BUSY_BUDGET_MS = 10_000;

const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test((error as { code?: string }).code ?? '');

/**
 * Runs a write transaction, waiting out a lock held by another process asynchronously: SQLite's own busy
 * timeout sleeps inside the call and would freeze the event loop (a server's every request) for its length.
 * After the budget the archive is unavailable for now: a retry, not a failure of the document.
 */
export async function retryWhileBusy<T>(write: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_BUDGET_MS;
  for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
    try {
      return write();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() > deadline) throw new ArchiveUnavailableError(`the SQLite archive stayed locked by another process for ${BUSY_BUDGET_MS / 1000} s: try again`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
