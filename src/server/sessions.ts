import { createHash, randomBytes } from 'node:crypto';

/**
 * Browser sessions: after a login the browser holds a random session id, never the access token, so logging
 * out can revoke it (a cookie replayed afterwards is refused) and a leaked cookie does not leak the token.
 * Kept in this process's memory: a restart logs every browser out, which only asks for the token again.
 */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Sessions kept at most; beyond it the oldest are dropped (a flood of logins cannot grow memory without end). */
const MAX_SESSIONS = 10_000;

/** Ids are looked up by their hash, so the lookup's timing says nothing about the stored ids. */
const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url');

export class Sessions {
  /** Key → expiry (ms since the epoch), in the order opened. */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly ttlMs = SESSION_TTL_MS) {}

  open(): string {
    const id = randomBytes(32).toString('base64url');
    this.dropExpired();
    while (this.expiries.size >= MAX_SESSIONS) this.expiries.delete(this.expiries.keys().next().value!);
    this.expiries.set(keyOf(id), Date.now() + this.ttlMs);
    return id;
  }

  isOpen(id: string | undefined): boolean {
    if (!id) return false;
    const key = keyOf(id);
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    if (expiry > Date.now()) return true;
    this.expiries.delete(key);
    return false;
  }

  revoke(id: string | undefined): void {
    if (id) this.expiries.delete(keyOf(id));
  }

  /** Sessions are opened in expiry order (one TTL for all), so the expired ones are at the front. */
  private dropExpired(): void {
    const now = Date.now();
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(key);
    }
  }
}
