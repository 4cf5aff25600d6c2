/**
 * A back-off on guessed tokens: a client address that has given `maxFailures` wrong tokens within a quarter of
 * an hour is refused (429) until that quarter is over, whatever it sends — the right token included, or the
 * answer would tell a guesser when it got it right. Only tokens count (Bearer, ?token=, the login form); an
 * unknown session cookie (a browser after a restart) is not a guess.
 */
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** Addresses remembered at most: beyond it the oldest windows are forgotten. */
const MAX_CLIENTS = 10_000;

interface Window {
  failures: number;
  endsAt: number;
}

export class FailedLogins {
  /** By client address, in the order their windows opened. */
  private readonly windows = new Map<string, Window>();

  constructor(private readonly maxFailures: number) {}

  /** How long (ms) this client is still refused; 0: it may try. */
  heldFor(client: string): number {
    const w = this.windows.get(client);
    if (!w) return 0;
    const left = w.endsAt - Date.now();
    if (left <= 0) {
      this.windows.delete(client);
      return 0;
    }
    return w.failures >= this.maxFailures ? left : 0;
  }

  failed(client: string): void {
    const now = Date.now();
    const w = this.windows.get(client);
    if (w && w.endsAt > now) {
      w.failures++;
      return;
    }
    this.windows.delete(client);
    while (this.windows.size >= MAX_CLIENTS) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(client, { failures: 1, endsAt: now + FAILURE_WINDOW_MS });
  }

  succeeded(client: string): void {
    this.windows.delete(client);
  }
}
