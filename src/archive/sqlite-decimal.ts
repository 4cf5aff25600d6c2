import type Database from 'better-sqlite3';
import { cmp, dec, decOfNumber, parseDec } from '../figures/decimal.js';

/** The SQL function that compares a stored field with a filter's decimal literal: -1, 0 or 1. */
export const DECIMAL_CMP = 'crossfoot_decimal_cmp';

/**
 * SQLite keeps a field as the number the report carries (INTEGER or REAL), and a REAL comparison would round the
 * user's literal to a double first (2761000.0000000001 equals 2761000). This compares the stored number's decimal
 * with the literal exactly, with the checker's own decimal arithmetic — the same answer PostgreSQL's NUMERIC gives
 * for the value it stores (String(value)).
 */
export function registerDecimalCompare(db: Database.Database): void {
  db.function(DECIMAL_CMP, { deterministic: true }, (stored: unknown, literal: unknown) =>
    cmp(typeof stored === 'bigint' ? dec(stored) : decOfNumber(Number(stored)), parseDec(String(literal))),
  );
}
