/**
 * Shared helpers for the end-to-end tests: run the real, built CLI (`node bin/crossfoot.js`) as a child process
 * on real files written into a temporary folder, and parse its output against the report contract.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReportSchema, type Report } from '../../src/report/schema.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'crossfoot.js');
export const DIST_MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
export const FIXTURES = path.join(ROOT, 'fixtures');

/** Called from every e2e file's beforeAll: the e2e tests run the compiled CLI, never the sources. */
export function assertBuilt(): void {
  if (!existsSync(DIST_MAIN)) throw new Error(`${DIST_MAIN} is missing: run "npm run build" before the e2e tests`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** An unprivileged user (nobody): the tests run as root, whom file permissions do not stop. */
export const NOBODY = { uid: 65534, gid: 65534 };

/**
 * Runs `node bin/crossfoot.js …args` and resolves with its exit code and output (never rejects on a non-zero
 * exit). stdout is not a TTY here, so the default format is jsonl and the progress bar stays off. With `user`,
 * the CLI runs as that uid/gid (supplementary groups dropped).
 */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number; user?: { uid: number; gid: number }; env?: Record<string, string> } = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd ?? ROOT,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, ...options.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        ...options.user,
      },
      (error, stdout, stderr) => {
        const ms = performance.now() - started;
        if (error && typeof error.code !== 'number') {
          reject(new Error(`crossfoot ${args.join(' ')} did not exit normally: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr, ms });
      },
    );
  });
}

/**
 * Parses jsonl strictly: every line is one JSON object that satisfies the report schema; nothing else is on
 * stdout (no blank lines, no log lines).
 */
export function parseJsonl(stdout: string): Report[] {
  if (stdout === '') return [];
  if (!stdout.endsWith('\n')) throw new Error('jsonl output does not end with a newline');
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch (error) {
        throw new Error(`stdout line ${i + 1} is not JSON (${(error as Error).message}): ${line.slice(0, 200)}`);
      }
      const parsed = ReportSchema.safeParse(data);
      if (!parsed.success) throw new Error(`stdout line ${i + 1} does not match the report schema: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** The reports by `file`, refusing duplicates. */
export function byFile(reports: readonly Report[]): Map<string, Report> {
  const map = new Map<string, Report>();
  for (const r of reports) {
    if (map.has(r.file)) throw new Error(`${r.file} appears more than once in the output`);
    map.set(r.file, r);
  }
  return map;
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `crossfoot-e2e-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const fixtureText = (name: string): Promise<string> => readFile(path.join(FIXTURES, 'reports', name), 'utf8');

export const squash = (s: string): string => s.replace(/\s+/g, '');

/** The texts of the figures a finding cites, whitespace removed. */
export function citedTexts(report: Report, figureIds: readonly string[]): string[] {
  const byId = new Map(report.figures.map((f) => [f.id, f.text]));
  return figureIds.map((id) => squash(byId.get(id) ?? `<unknown figure ${id}>`));
}

/** A short, readable summary of a report's findings for assertion messages. */
export function describeFindings(report: Report): string {
  if (report.status === 'failed') return `failed: ${report.error?.code} ${report.error?.message}`;
  if (!report.findings.length) return '(no findings)';
  return report.findings
    .map((f) => `${f.severity} ${f.ruleId}/${f.messageId} cites [${citedTexts(report, f.figures).join(', ')}]: ${f.message}`)
    .join('\n');
}
