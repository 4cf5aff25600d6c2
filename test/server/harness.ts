/**
 * The real web server for the API and browser tests: `crossfoot serve --port 0` as a child process (the built
 * CLI), on a temporary SQLite archive and upload folder unless told otherwise; the bound address is read from
 * its stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { applyPlanted, renderDocx, renderPdfKit } from '../helpers/render.js';
import { assertBuilt, BIN, FIXTURES } from '../e2e/cli.js';

export interface Served {
  url: string;
  dir: string;
  uploadDir: string;
  db: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** SQLite path or postgres:// URL (default: a file in the temporary folder). */
  db?: string;
  args?: string[];
  env?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startServer(options: ServeOptions = {}): Promise<Served> {
  assertBuilt();
  const dir = await mkdtemp(path.join(tmpdir(), 'crossfoot-serve-'));
  const uploadDir = path.join(dir, 'uploads');
  const db = options.db ?? path.join(dir, 'archive.db');
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', REDIS_URL: '', CROSSFOOT_TOKEN: '', CROSSFOOT_DB: '', ...options.env };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--upload-dir', uploadDir, '-j', '2', '-q', ...(options.args ?? [])], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    url = /listening on (http:\/\/[^\s]+)/.exec(log)?.[1];
    if (url) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`crossfoot serve did not start:\n${log}`);
    await sleep(50);
  }
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    url,
    dir,
    uploadDir,
    db,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A file for a multipart upload. */
export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

export function formOf(files: readonly UploadFile[], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('file', new Blob([f.bytes]), f.name);
  return form;
}

export async function fixture(name: string): Promise<string> {
  return readFile(path.join(FIXTURES, 'reports', name), 'utf8');
}

/** The hostile fixture plus a sentence with a literal <mark> and a <script> (search highlights are offsets). */
export async function markupReport(): Promise<string> {
  return `${await fixture('xss-archives-2025.txt')}\n五、其他说明\n旧版检索页会把<mark>x</mark>显示为高亮，并执行<script>alert(2)</script>，已一并整改。\n`;
}

export interface PlantedCase {
  id: string;
  base: string;
  find: string;
  replace: string;
  expect: { ruleId: string; cites: string }[];
}

export async function plantedCase(id: string): Promise<{ entry: PlantedCase; text: string }> {
  const cases = JSON.parse(await readFile(path.join(FIXTURES, 'planted.json'), 'utf8')) as PlantedCase[];
  const entry = cases.find((c) => c.id === id);
  if (!entry) throw new Error(`no planted case ${id}`);
  const base = await readFile(path.join(FIXTURES, entry.base), 'utf8');
  return { entry, text: applyPlanted(base, entry.find, entry.replace) };
}

/** The fixture set the API and browser tests upload: TXT, DOCX, PDF, a zip, and a corrupt DOCX. */
export async function fixtureSet(): Promise<Record<string, UploadFile>> {
  const enc = new TextEncoder();
  const agri = await fixture('perf-agri-dept-2025.txt');
  const school = await fixture('final-school-2025.txt');
  const sangong = await fixture('sangong-market-2025.txt');
  const cdc = await fixture('perf-cdc-project-2025.txt');
  const street = await fixture('budget-street-2026.txt');
  const media = await fixture('mixed-media-center-2025.txt');
  return {
    txt: { name: 'perf-agri-dept-2025.txt', bytes: enc.encode(agri) },
    docx: { name: '第二中学决算说明.docx', bytes: await renderDocx(school) },
    pdf: { name: 'sangong-market-2025.pdf', bytes: await renderPdfKit(sangong) },
    zip: {
      name: '批量报送.zip',
      bytes: zipSync({
        '2025/': new Uint8Array(),
        '2025/perf-cdc-project-2025.txt': enc.encode(cdc),
        '2025/budget-street-2026.docx': await renderDocx(street),
        'mixed-media-center-2025.txt': enc.encode(media),
        '__MACOSX/._mixed-media-center-2025.txt': new Uint8Array([0, 5, 22, 7]),
      }),
    },
    corrupt: { name: 'broken.docx', bytes: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...enc.encode('not really a zip archive at all')]) },
  };
}
