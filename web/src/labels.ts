import { getJson } from './api.js';
import type { BrowserLabels } from './types.js';

/**
 * The Chinese names the pages show for the report's keys (document types, severities, decisions, fields), as the
 * server keeps them for its exports too (src/report/labels.ts, served at /api/labels). The shell loads them once
 * before any page renders, so that pages read them as plainly as a constant.
 */

let loaded: BrowserLabels | undefined;

export async function loadLabels(): Promise<void> {
  loaded ??= await getJson<BrowserLabels>('/api/labels');
}

/** The labels; reading them before the shell has loaded them is a bug, so it throws rather than shows bare keys. */
export function labels(): BrowserLabels {
  if (!loaded) throw new Error('labels() before loadLabels()');
  return loaded;
}
